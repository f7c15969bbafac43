// Paths: traversal in every spelling on both download routes (raw, encoded, double-encoded, overlong
// UTF-8, backslashes, absolute paths, NUL, bad percent-encoding) answers 4xx without a redirect
// and never with a byte of a file outside the upload folder.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startServer, type RunningServer } from '../server-process';
import { countAttack, PNG, signIn, uploadFile, type Account, reportAttacks } from './support';

let server: RunningServer;
let alice: Account;
let stored = '';

before(async () => {
  server = await startServer();
  alice = await signIn(server, 'alice');
  stored = ((await uploadFile(server, alice.token, PNG, 'p.png')).body.url as string).split('/').pop()!;
});

after(async () => {
  reportAttacks('paths.test.ts');
  await server?.stop('SIGKILL');
});

/** The raw request line, as an attacker's client sends it: no URL normalisation on our side. */
function rawGet(path: string, token: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET', headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const TARGETS = ['chat.db', 'chat.db-wal', '../chat.db', '../../../../etc/passwd', `../uploads/${'x'.repeat(32)}.png`];

function spellings(target: string): string[] {
  const plain = target;
  const encodedSlash = target.replaceAll('/', '%2F');
  const encodedAll = [...target].map((c) => (c === '.' ? '%2e' : c === '/' ? '%2f' : c)).join('');
  const doubled = encodedAll.replaceAll('%', '%25');
  const backslash = target.replaceAll('/', '\\');
  const encodedBackslash = target.replaceAll('/', '%5C');
  const overlong = target.replaceAll('.', '%c0%ae').replaceAll('/', '%c0%af');
  return [plain, encodedSlash, encodedAll, doubled, backslash, encodedBackslash, overlong, `${encodedSlash}%00.png`, `${stored}%00${encodedSlash}`];
}

/** Built once the stored file's name is known. */
const oddNames = () => [
  '%2Fetc%2Fpasswd',
  '%2F%2Fetc%2Fpasswd',
  'C:%5CWindows%5Cwin.ini',
  '%',
  '%zz',
  '%E0%A4%A',
  '%ff%fe',
  '%C0%80',
  `${stored}%`,
  `${stored}%2`,
  `%2e%2e%2f${stored}`,
  `.%2F${stored}`,
  `${stored}%2F`,
  `${stored}%3Fdownload%3D1`,
  stored.toUpperCase(),
  `${stored}.png`,
  `%00`,
  '..',
  '.',
  '...',
];

test('traversal in every spelling, on both download routes, is a 4xx that carries nothing from outside the upload folder', async () => {
  const db = readFileSync(server.dbPath).subarray(0, 16);
  const passwd = readFileSync('/etc/passwd').subarray(0, 12);
  const names = [...TARGETS.flatMap(spellings), ...oddNames()];
  for (const prefix of ['/file/down/', '/im/file/down/']) {
    for (const name of names) {
      const answer = await rawGet(`${prefix}${name}`, alice.token);
      countAttack();
      const what = `${JSON.stringify(prefix + name)}: ${answer.status} ${answer.body.subarray(0, 200).toString()}`;
      assert.ok(answer.status >= 400 && answer.status < 500, what);
      assert.equal(answer.headers.location, undefined, `${what} redirects`);
      assert.ok(!answer.body.includes(db) && !answer.body.includes(passwd), `${what} leaks a file`);
    }
  }
  // Paths that leave the route altogether are Next's 404 pages, never a file either.
  for (const path of ['/file/down/../../chat.db', '/file/down/%2e%2e/%2e%2e/chat.db', '/im/file/down/..%2f..%2f..%2fetc/passwd', '/file/down//etc/passwd', '/file/down/a/../../../etc/passwd']) {
    const answer = await rawGet(path, alice.token);
    countAttack();
    assert.ok(answer.status >= 400 && answer.status < 500 || (answer.status === 200 && !answer.body.includes(db) && !answer.body.includes(passwd)), `${path}: ${answer.status}`);
    assert.equal(answer.headers.location, undefined, `${path} redirects`);
  }
  const own = await rawGet(`/file/down/${stored}`, alice.token);
  assert.equal(own.status, 200, 'the stored file itself is served');
  assert.deepEqual(new Uint8Array(own.body), PNG);
});
