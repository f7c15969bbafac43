import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { sessions, users } from '../db/schema';
import { useFreshStore } from '../test-support';
import { authenticate, hashToken, revokeSession, setUserStatus, signIn, signUp } from './accounts';
import { events } from './events';

beforeEach(() => {
  useFreshStore();
});

test('sign-up stores a salted scrypt hash and a hashed session token, never the secrets', async () => {
  const { user, token } = await signUp({ username: 'alice', password: 'correct horse' });
  const row = db().select().from(users).where(eq(users.id, user.id)).get()!;
  assert.match(row.passwordHash!, /^scrypt\$32768\$8\$1\$/);
  assert.ok(!row.passwordHash!.includes('correct horse'));
  const other = await signUp({ username: 'bob', password: 'correct horse' });
  const bobRow = db().select().from(users).where(eq(users.id, other.user.id)).get()!;
  assert.notEqual(bobRow.passwordHash, row.passwordHash, 'salted: the same password hashes differently');

  const stored = db().select().from(sessions).where(eq(sessions.userId, user.id)).all();
  assert.equal(stored.length, 1);
  assert.equal(stored[0].tokenHash, hashToken(token));
  assert.notEqual(stored[0].tokenHash, token);
  assert.equal(authenticate(token).username, 'alice');
  assert.equal(user.role, 'member');
  assert.equal(user.uuid.length, 32);
  assert.match(user.uuid, /^[A-Za-z0-9]{32}$/);
  assert.ok(!('passwordHash' in user));
});

test('a wrong password or unknown user is refused with the same answer', async () => {
  await signUp({ username: 'alice', password: 'correct horse' });
  await assert.rejects(signIn('alice', 'wrong horse'), { code: 'UNAUTHORIZED', message: 'wrong username or password' });
  await assert.rejects(signIn('nobody', 'correct horse'), { code: 'UNAUTHORIZED', message: 'wrong username or password' });
  const { user } = await signIn('alice', 'correct horse');
  assert.equal(user.username, 'alice');
});

test('a revoked token no longer authenticates; other sessions keep working', async () => {
  const first = await signUp({ username: 'alice', password: 'correct horse' });
  const second = await signIn('alice', 'correct horse');
  revokeSession(first.token);
  assert.throws(() => authenticate(first.token), { code: 'UNAUTHORIZED' });
  assert.equal(authenticate(second.token).id, first.user.id);
  assert.throws(() => authenticate('made-up-token'), { code: 'UNAUTHORIZED' });
  assert.throws(() => authenticate(undefined), { code: 'UNAUTHORIZED' });
});

test('a banned user can neither sign in nor use an old token', async () => {
  const { user, token } = await signUp({ username: 'alice', password: 'correct horse' });
  const ended: number[] = [];
  const off = events().on('sessionsEnded', (event) => ended.push(event.userId));
  try {
    setUserStatus(user.id, 'banned');
  } finally {
    off();
  }
  assert.deepEqual(ended, [user.id], 'live connections are told to close');
  assert.throws(() => authenticate(token), { code: 'BANNED' });
  await assert.rejects(signIn('alice', 'correct horse'), { code: 'BANNED' });
  setUserStatus(user.id, 'normal');
  assert.equal(authenticate(token).id, user.id, 'lifting the ban restores the session');
});

test('usernames are unique and checked; passwords need 8 characters', async () => {
  await signUp({ username: 'alice', password: 'correct horse' });
  await assert.rejects(signUp({ username: 'alice', password: 'another one' }), { code: 'CONFLICT' });
  await assert.rejects(signUp({ username: 'bob', password: 'short' }), { code: 'BAD_REQUEST' });
  await assert.rejects(signUp({ username: '<script>', password: 'correct horse' }), { code: 'BAD_REQUEST' });
});
