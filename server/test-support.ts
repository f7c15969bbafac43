// Shared setup for tests that use the domain in-process: a fresh store and upload folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, useStore, type Store } from './db/client';
import { createSession } from './domain/accounts';
import { resetMessageIds } from './domain/ids';
import { createUser, publicUser, type PublicUser, type Role } from './domain/users';
import { useSettings } from './env';

export function useFreshStore(): Store & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'chat-test-'));
  useSettings({ ...process.env, CHAT_DB_PATH: join(dir, 'chat.db'), CHAT_UPLOAD_DIR: join(dir, 'uploads'), CHAT_DEMO: '0' });
  resetMessageIds();
  return { ...useStore(openStore(join(dir, 'chat.db'))), dir };
}

let counter = 0;
/** A user without a password (as an app's backend creates them): no slow hash in tests that need none. */
export async function makeUser(role: Role = 'member', nickname?: string): Promise<PublicUser> {
  counter += 1;
  return publicUser(await createUser({ username: `user${counter}_${process.pid}`, role, nickname }));
}

/** A user and a session token for them (as sign-in would give). */
export async function makeUserWithToken(role: Role = 'member', nickname?: string): Promise<{ user: PublicUser; token: string }> {
  const user = await makeUser(role, nickname);
  return { user, token: createSession(user.id) };
}
