// Users: creation (by sign-up or by an app's backend), lookup, search, status.
import { randomBytes } from 'node:crypto';
import { and, eq, or, sql } from 'drizzle-orm';
import { db, preparedStatements } from '../db/client';
import { groups, userGroups, users } from '../db/schema';
import { badRequest, DomainError, notFound } from './errors';
import { requireUnicodeText } from './text';
import { hashPassword } from './passwords';

export type Role = 'member' | 'seller' | 'admin';
export type UserRow = typeof users.$inferSelect;

/** What anyone may see of a user. */
export type PublicUser = {
  id: number;
  uuid: string;
  username: string;
  nickname: string;
  avatar: string;
  role: Role;
};

/** A user's whole record as `viewerId` may see it: private fields are empty unless it is their own. */
export type UserProfile = PublicUser & {
  status: 'normal' | 'banned';
  createdAt: number;
  updatedAt: number;
  lastLoginAt: number | null;
  mobile: string;
  realName: string | null;
  registerIp: string;
  lastLoginIp: string;
};

export function profileFor(viewerId: number, row: UserRow): UserProfile {
  const own = viewerId === row.id;
  return {
    ...publicUser(row),
    status: row.status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastLoginAt: row.lastLoginAt,
    mobile: own ? row.mobile : '',
    realName: own ? row.realName : null,
    registerIp: own ? row.registerIp : '',
    lastLoginIp: own ? row.lastLoginIp : '',
  };
}

export function publicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    uuid: row.uuid,
    username: row.username,
    nickname: row.nickname,
    avatar: row.avatar,
    role: row.role,
  };
}

const UUID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 characters of [A-Za-z0-9], as the seeds' uuids. */
export function newUuid(): string {
  // 248 is the largest multiple of 62 below 256: rejecting bytes above it keeps every letter equally likely.
  let out = '';
  while (out.length < 32) {
    for (const byte of randomBytes(48)) {
      if (byte < 248 && out.length < 32) out += UUID_ALPHABET[byte % 62];
    }
  }
  return out;
}

export const USERNAME_PATTERN = /^[\p{L}\p{N}_.-]{2,32}$/u;

export type NewUser = {
  username: string;
  role: Role;
  nickname?: string;
  password?: string;
  avatar?: string;
  ip?: string;
  company?: string;
  app?: string;
  thirdUserId?: string;
};

export async function createUser(input: NewUser): Promise<UserRow> {
  if (!USERNAME_PATTERN.test(input.username)) {
    throw badRequest('username must be 2 to 32 letters, digits, "_", "." or "-"');
  }
  const nickname = (input.nickname ?? input.username).trim();
  if (nickname.length < 1 || nickname.length > 64) throw badRequest('nickname must be 1 to 64 characters');
  requireUnicodeText(nickname, 'nickname');
  for (const field of ['company', 'app', 'thirdUserId', 'avatar'] as const) requireUnicodeText(input[field] ?? '', field);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  if (findUserByUsername(input.username)) throw new DomainError('CONFLICT', 'username is taken');

  const now = Date.now();
  return db().transaction((tx) => {
    const row = tx
      .insert(users)
      .values({
        uuid: newUuid(),
        username: input.username,
        nickname,
        avatar: input.avatar ?? '',
        role: input.role,
        passwordHash,
        registerIp: input.ip ?? '',
        company: input.company,
        app: input.app,
        thirdUserId: input.thirdUserId,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning()
      .get();
    // The check above runs before the slow hash; a concurrent sign-up may have won since.
    if (!row) throw new DomainError('CONFLICT', 'username is taken');
    tx.insert(groups).values({ name: input.role }).onConflictDoNothing().run();
    const group = tx.select().from(groups).where(eq(groups.name, input.role)).get()!;
    tx.insert(userGroups).values({ userId: row.id, groupId: group.id }).run();
    return row;
  });
}

// Prepared once per store: the lookups behind every dialect's request (building drizzle's query and
// preparing it again cost hundreds of µs a call; a JSON:API page of 20 dialogs makes 21).
const lookups = preparedStatements((db) => ({
  byId: db.select().from(users).where(eq(users.id, sql.placeholder('id'))).prepare(),
  byUuid: db.select().from(users).where(eq(users.uuid, sql.placeholder('uuid'))).prepare(),
}));

export function findUserById(id: number): UserRow | undefined {
  return lookups().byId.get({ id });
}

export function getUser(id: number): UserRow {
  const row = findUserById(id);
  if (!row) throw notFound('no such user');
  return row;
}

export function findUserByUsername(username: string): UserRow | undefined {
  return db().select().from(users).where(eq(users.username, username)).get();
}

export function findUserByUuid(uuid: string): UserRow | undefined {
  return lookups().byUuid.get({ uuid });
}

export function findAppUser(company: string, app: string, thirdUserId: string): UserRow | undefined {
  return db()
    .select()
    .from(users)
    .where(and(eq(users.company, company), eq(users.app, app), eq(users.thirdUserId, thirdUserId)))
    .get();
}

/**
 * The user an app's backend knows as `thirdUserId` (seed 002's register): created on the first
 * call, the same user on every later one.
 */
export async function registerAppUser(identity: { company: string; app: string; thirdUserId: string }): Promise<UserRow> {
  const existing = findAppUser(identity.company, identity.app, identity.thirdUserId);
  if (existing) return existing;
  try {
    return await createUser({
      username: `app_${newUuid().slice(0, 16)}`,
      nickname: identity.thirdUserId.slice(0, 64),
      role: 'member',
      ...identity,
    });
  } catch (error) {
    // Two first calls at once: the unique (company, app, thirdUserId) index let one win.
    const winner = findAppUser(identity.company, identity.app, identity.thirdUserId);
    if (winner) return winner;
    throw error;
  }
}

export function groupsOfUser(userId: number): { id: number; name: string }[] {
  return db()
    .select({ id: groups.id, name: groups.name })
    .from(userGroups)
    .innerJoin(groups, eq(groups.id, userGroups.groupId))
    .where(eq(userGroups.userId, userId))
    .all();
}

/** Users whose username or nickname contains `query`, for starting a chat. */
export function searchUsers(query: string, limit = 20): PublicUser[] {
  const escaped = query.replace(/[\\%_]/g, (c) => `\\${c}`);
  const pattern = `%${escaped}%`;
  return db()
    .select()
    .from(users)
    .where(
      and(
        eq(users.status, 'normal'),
        or(
          sql`${users.username} LIKE ${pattern} ESCAPE '\\'`,
          sql`${users.nickname} LIKE ${pattern} ESCAPE '\\'`,
        ),
      ),
    )
    .limit(limit)
    .all()
    .map(publicUser);
}

export function recordLogin(userId: number, ip: string | undefined): void {
  const now = Date.now();
  db()
    .update(users)
    .set({ lastLoginAt: now, lastLoginIp: ip ?? '', updatedAt: now })
    .where(eq(users.id, userId))
    .run();
}
