// The own REST API (SPEC.md): the handlers the route files mount, called with real Requests.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, test } from 'node:test';
import { login, register } from '@/server/rest/auth';
import { health } from '@/server/rest/health';
import { shopCreate, shopList } from '@/server/rest/shops';
import { download, upload } from '@/server/rest/uploads';
import { parseJson } from '@/server/lib/json';
import { useFreshStore } from '@/server/test-support';

let uploadDir = '';
beforeEach(() => {
  uploadDir = join(useFreshStore().dir, 'uploads');
});

const PNG = new Uint8Array(readFileSync('public/demo/tea-field.png'));

function post(path: string, body: unknown, token?: string): Request {
  return new Request(`http://test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function uploadRequest(bytes: Uint8Array<ArrayBuffer>, filename: string, token?: string): Request {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  return new Request('http://test/api/upload', {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
}

async function json(response: Response): Promise<any> {
  return parseJson(await response.text());
}

async function registered(username: string, role: 'member' | 'seller' = 'member') {
  const response = await register(post('/api/auth/register', { username, password: 'password-123', role }));
  assert.equal(response.status, 201);
  return (await json(response)) as { user: { id: number }; token: string };
}

test('register answers 201 with the public user and a token, never the password or its hash', async () => {
  const response = await register(post('/api/auth/register', { username: 'alice', password: 'password-123', nickname: 'Alice' }));
  assert.equal(response.status, 201);
  const body = await json(response);
  assert.deepEqual(Object.keys(body.user).sort(), ['avatar', 'id', 'nickname', 'role', 'username', 'uuid']);
  assert.equal(body.user.role, 'member');
  assert.equal(typeof body.token, 'string');
  assert.ok(body.token.length >= 40);

  const taken = await register(post('/api/auth/register', { username: 'alice', password: 'password-456' }));
  assert.equal(taken.status, 409);
  assert.equal((await json(taken)).error.code, 'CONFLICT');
  const admin = await register(post('/api/auth/register', { username: 'eve', password: 'password-123', role: 'admin' }));
  assert.equal(admin.status, 400);
});

test('login: 200 with a token on the right password, 401 otherwise; bad JSON is a 400', async () => {
  await registered('alice');
  const ok = await login(post('/api/auth/login', { username: 'alice', password: 'password-123' }));
  assert.equal(ok.status, 200);
  assert.equal((await json(ok)).user.username, 'alice');
  const wrong = await login(post('/api/auth/login', { username: 'alice', password: 'password-124' }));
  assert.equal(wrong.status, 401);
  assert.deepEqual(await json(wrong), { error: { code: 'UNAUTHORIZED', message: 'wrong username or password' } });
  const malformed = await login(post('/api/auth/login', '{"username": "alice",'));
  assert.equal(malformed.status, 400);
});

test('only sellers open shops, keeping the id they give; the list is public', async () => {
  const member = await registered('alice');
  const seller = await registered('teahouse', 'seller');
  const denied = await shopCreate(post('/api/shops', { name: 'Mine' }, member.token));
  assert.equal(denied.status, 403);
  assert.equal((await shopCreate(post('/api/shops', { name: 'Anon' }))).status, 401);

  const created = await shopCreate(post('/api/shops', { id: 's1001', name: 'Breeze Tea', logo: '/demo/tea.svg' }, seller.token));
  assert.equal(created.status, 201);
  assert.deepEqual((await json(created)).shop, { id: 's1001', name: 'Breeze Tea', logo: '/demo/tea.svg', sellerId: seller.user.id });
  const again = await shopCreate(post('/api/shops', { id: 's1001', name: 'Copy' }, seller.token));
  assert.equal(again.status, 409);

  const list = await json(await shopList());
  assert.deepEqual(list.shops.map((s: { id: string }) => s.id), ['s1001']);
});

test('a real PNG is stored under a generated name and served with its true type and nosniff', async () => {
  const { token } = await registered('alice');
  const response = await upload(uploadRequest(PNG, 'holiday photo.png', token));
  assert.equal(response.status, 201);
  const { url } = await json(response);
  assert.match(url, /^\/file\/down\/[0-9a-f]{32}\.png$/);

  const name = url.split('/').pop();
  const served = await download(new Request(`http://test${url}`, { headers: { authorization: `Bearer ${token}` } }));
  assert.equal(served.status, 200);
  assert.equal(served.headers.get('content-type'), 'image/png');
  assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(new Uint8Array(await served.arrayBuffer()), PNG);
  const anonymous = await download(new Request(`http://test${url}`));
  assert.equal(anonymous.status, 401);
});

test('a text file named .png, an empty file and an oversized file are refused and leave nothing behind', async () => {
  const { token } = await registered('alice');
  const fake = await upload(uploadRequest(new TextEncoder().encode('<svg onload=alert(1)></svg>'), 'cat.png', token));
  assert.equal(fake.status, 415);
  assert.equal((await json(fake)).error.code, 'UNSUPPORTED_MEDIA_TYPE');
  const empty = await upload(uploadRequest(new Uint8Array(0), 'empty.png', token));
  assert.equal(empty.status, 400);

  const huge = new Uint8Array(10 * 1024 * 1024 + 1);
  huge.set(PNG);
  const oversized = await upload(uploadRequest(huge, 'big.png', token));
  assert.equal(oversized.status, 413);
  assert.deepEqual(readdirSync(uploadDir), [], 'no file, not even a temporary one, is kept');
  assert.equal((await upload(uploadRequest(PNG, 'x.png'))).status, 401);
});

test('download names outside the generated ones are not found, whatever they point at', async () => {
  const { token } = await registered('alice');
  const auth = { headers: { authorization: `Bearer ${token}` } };
  for (const name of ['../chat.db', '..%2Fchat.db', '../../etc/passwd', '/etc/passwd', '..\\chat.db', 'chat.db', '%2e%2e%2fchat.db', 'a'.repeat(32) + '.png']) {
    const response = await download(new Request(`http://test/file/down/${name}`, auth));
    assert.equal(response.status, 404, name);
  }
});

test('health answers 200 while the store answers', async () => {
  const response = health();
  assert.equal(response.status, 200);
  assert.deepEqual(await json(response), { status: 'ok' });
});
