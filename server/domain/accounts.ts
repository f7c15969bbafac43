// Accounts: sign-up, sign-in, sessions. A session token is 32 random bytes shown once to the
// client; the store keeps only its SHA-256, so the table alone cannot be replayed.
import { hash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { db, preparedStatements } from '../db/client';
import { sessions, users } from '../db/schema';
import { DomainError } from './errors';
import { events } from './events';
import { verifyAgainstNothing, verifyPassword } from './passwords';
import { createUser, findUserByUsername, publicUser, recordLogin, type PublicUser, type Role } from './users';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

export type SignedIn = { user: PublicUser; token: string };

export function hashToken(token: string): string {
  // The one-shot hash: no Hash object (with its native handle) per authenticated request.
  return hash('sha256', token, 'hex');
}

export function createSession(userId: number): string {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  db()
    .insert(sessions)
    .values({ tokenHash: hashToken(token), userId, createdAt: now, expiresAt: now + SESSION_TTL_MS })
    .run();
  return token;
}

export async function signUp(
  input: { username: string; password: string; nickname?: string; role?: Exclude<Role, 'admin'> },
  ip?: string,
): Promise<SignedIn> {
  const row = await createUser({ ...input, role: input.role ?? 'member', ip });
  recordLogin(row.id, ip);
  return { user: publicUser(row), token: createSession(row.id) };
}

export async function signIn(username: string, password: string, ip?: string): Promise<SignedIn> {
  const row = findUserByUsername(username);
  const ok = row?.passwordHash ? await verifyPassword(password, row.passwordHash) : await verifyAgainstNothing(password);
  if (!row || !ok) throw new DomainError('UNAUTHORIZED', 'wrong username or password');
  if (row.status === 'banned') throw new DomainError('BANNED', 'this account is banned');
  recordLogin(row.id, ip);
  return { user: publicUser(row), token: createSession(row.id) };
}

/** The user a token belongs to; throws UNAUTHORIZED for a missing, expired or revoked token, BANNED for a banned user. */
// Every authenticated request of every face starts here: prepared once per store (building and
// preparing the query again cost more than the rest of a history page).
const sessionStatements = preparedStatements((db) => ({
  userOfSession: db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql.placeholder('now'))))
    .prepare(),
}));

export function authenticate(token: string | null | undefined): PublicUser {
  if (!token) throw new DomainError('UNAUTHORIZED', 'sign in first');
  const row = sessionStatements().userOfSession.get({ tokenHash: hashToken(token), now: Date.now() });
  if (!row) throw new DomainError('UNAUTHORIZED', 'the token is not valid');
  if (row.user.status === 'banned') throw new DomainError('BANNED', 'this account is banned');
  return publicUser(row.user);
}

/** Like authenticate, but null instead of an error (pages that work signed out too). */
export function userForToken(token: string | null | undefined): PublicUser | null {
  try {
    return authenticate(token);
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

export function revokeSession(token: string): void {
  const tokenHash = hashToken(token);
  const row = db()
    .update(sessions)
    .set({ revokedAt: Date.now() })
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)))
    .returning({ userId: sessions.userId })
    .get();
  if (row) events().emit('sessionsEnded', { userId: row.userId, tokenHash });
}

/**
 * Bans or restores a user. A ban keeps the sessions (their tokens then answer BANNED, which some
 * dialects report apart from a bad token) and closes the user's live connections at once.
 */
export function setUserStatus(userId: number, status: 'normal' | 'banned'): void {
  db().update(users).set({ status, updatedAt: Date.now() }).where(eq(users.id, userId)).run();
  if (status === 'banned') events().emit('sessionsEnded', { userId, tokenHash: null });
}
