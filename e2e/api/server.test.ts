// The real process: Next's route handlers and the custom server share one store, the demo data is
// there, files cannot be reached by path tricks, and SIGTERM stops it cleanly.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { startServer, type RunningServer } from '../server-process';

let server: RunningServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop('SIGKILL');
});

async function signIn(username: string): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo-pass-1' }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { token: string }).token;
}

test('health answers 200 and the demo accounts can sign in', async () => {
  const health = await fetch(`${server.url}/api/health`);
  assert.equal(health.status, 200);
  assert.equal(typeof (await signIn('alice')), 'string');
});

test('the demo data is served through tRPC: Alice sees her chats with Bob and the tea shop', async () => {
  const token = await signIn('alice');
  const response = await fetch(`${server.url}/api/trpc/conversations.list`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { result: { data: { json: { peer: { nickname: string }; shop: { name: string } | null; unread: number }[] } } };
  const names = body.result.data.json.map((c) => c.shop?.name ?? c.peer.nickname);
  assert.deepEqual(names.sort(), ['Bob', '清风茶舍 Breeze Tea']);
  assert.equal(body.result.data.json.find((c) => c.peer.nickname === 'Bob')?.unread, 1);
});

test('an upload through the real server comes back with its type; path tricks on the download route never reach a file', async () => {
  const token = await signIn('bob');
  const form = new FormData();
  const png = await fetch(`${server.url}/demo/tea-field.png`);
  assert.equal(png.status, 200);
  form.append('file', new Blob([await png.arrayBuffer()]), 'photo.png');
  const uploaded = await fetch(`${server.url}/api/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  assert.equal(uploaded.status, 201);
  const { url } = (await uploaded.json()) as { url: string };
  const auth = { headers: { authorization: `Bearer ${token}` } };
  const served = await fetch(`${server.url}${url}`, auth);
  assert.equal(served.headers.get('content-type'), 'image/png');
  assert.equal((await fetch(`${server.url}/im${url}`, auth)).status, 200, 'seed 002 path serves the same file');

  for (const path of ['/file/down/..%2Fchat.db', '/file/down/%2e%2e%2fchat.db', '/file/down/%252e%252e%252fchat.db', '/file/down/..%5Cchat.db', '/file/down/%2Fetc%2Fpasswd', '/im/file/down/..%2F..%2Fchat.db']) {
    const response = await fetch(`${server.url}${path}`, auth);
    assert.ok(response.status >= 400 && response.status < 500, `${path} answered ${response.status}`);
    assert.ok(!(await response.text()).includes('SQLite format'), path);
  }
});

test('SIGTERM stops the server cleanly and leaves an intact store', async () => {
  const own = await startServer({ CHAT_DEMO: '1' });
  const code = await own.stop('SIGTERM');
  assert.equal(code, 0, own.output());
  const db = new Database(own.dbPath, { readonly: true });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  assert.ok((db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n > 0);
  db.close();
});
