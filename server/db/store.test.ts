import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDirectConversation } from '../domain/conversations';
import { conversationHistory, getVisibleMessage, sendMessage } from '../domain/messages';
import { makeUser, useFreshStore } from '../test-support';
import { closeConnection, openStore } from './client';

test('migrations build every table on an empty file, and running them again changes nothing', () => {
  const store = useFreshStore();
  const tables = store.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all();
  for (const table of ['users', 'groups', 'user_groups', 'sessions', 'shops', 'conversations', 'conversation_members', 'messages', 'message_deletions', 'files']) {
    assert.ok(tables.includes(table), `table ${table} exists`);
  }
  const again = openStore(store.path);
  const migrations = JSON.parse(readFileSync(join(process.cwd(), 'drizzle/meta/_journal.json'), 'utf8')).entries.length;
  assert.equal(again.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get(), BigInt(migrations), 'each migration ran once');
  assert.equal(again.sqlite.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(again.sqlite.pragma('foreign_keys', { simple: true }), 1n);
  closeConnection(again);
});

test('message ids above 2^53 are stored and read back digit for digit', async () => {
  useFreshStore();
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  const ids = [2n ** 63n - 1n, 1268242042090295297n];
  for (const id of ids) sendMessage({ senderId: alice.id, conversationId: chat, type: 'text', content: `id ${id}`, id });

  const stored = conversationHistory(bob.id, chat).messages.map((m) => m.id);
  assert.deepEqual(stored, ids);
  assert.equal(getVisibleMessage(bob.id, 1268242042090295297n).content, 'id 1268242042090295297');
  assert.equal(String(getVisibleMessage(alice.id, 2n ** 63n - 1n).id), '9223372036854775807');
});

test('what commits append to the WAL is copied back into the database file off the event loop', async () => {
  const store = useFreshStore();
  const before = statSync(store.path).size;
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  for (let i = 0; i < 200; i++) sendMessage({ senderId: alice.id, conversationId: chat, type: 'text', content: `message ${i} `.repeat(20) });
  // Commits never checkpoint (wal_autocheckpoint is off), so only the checkpointer grows the file.
  const deadline = Date.now() + 10_000;
  while (statSync(store.path).size <= before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(statSync(store.path).size > before, 'the database file took the pages of the WAL');
  assert.equal(conversationHistory(bob.id, chat, { limit: 200 }).messages.length, 200);

  // Once the thread has copied all of it, the next commits write the WAL from its start again:
  // the same load again leaves it about as large (it would double if it only ever grew).
  const walAfterFirst = statSync(`${store.path}-wal`).size;
  await new Promise((resolve) => setTimeout(resolve, 2_500)); // past the thread's next pass, with nothing committed
  for (let i = 0; i < 200; i++) sendMessage({ senderId: bob.id, conversationId: chat, type: 'text', content: `answer ${i} `.repeat(20) });
  assert.ok(statSync(`${store.path}-wal`).size < 1.5 * walAfterFirst, 'the WAL started over');
  assert.equal(conversationHistory(alice.id, chat, { limit: 200 }).messages.at(-1)!.content, `answer 199 `.repeat(20));
});
