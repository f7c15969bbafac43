// Uploads: script dressed as images, double extensions, NUL bytes and paths in names, empty and
// oversized files, images declaring absurd dimensions. Each is refused and leaves nothing behind, or
// is stored under a generated name and served back as an inert image.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { startServer, type RunningServer } from '../server-process';
import { call, countAttack, PNG, signIn, uploadFile, type Account, reportAttacks } from './support';

let server: RunningServer;
let alice: Account;

before(async () => {
  server = await startServer();
  alice = await signIn(server, 'alice');
});

after(async () => {
  reportAttacks('uploads.test.ts');
  await server?.stop('SIGKILL');
});

const text = (s: string) => new TextEncoder().encode(s);

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A valid, tiny PNG that declares `width` × `height` pixels (one row of image data). */
function pngDeclaring(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(Buffer.alloc(2))), pngChunk('IEND', Buffer.alloc(0))]));
}

/** A JPEG whose start-of-frame comes after a 70 KB APP1 block, declaring `width` × `height`. */
function jpegDeclaring(width: number, height: number): Uint8Array {
  const app1 = Buffer.alloc(4 + 65_000);
  app1.set([0xff, 0xe1]);
  app1.writeUInt16BE(65_002 - 2 + 2, 2);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, 0, 0, 0, 0, 0x01, 0x01, 0x11, 0x00]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  const jfif = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  return new Uint8Array(Buffer.concat([jfif, app1.subarray(0, 65_004), sof, Buffer.from([0xff, 0xd9])]));
}

const uploadsDir = () => join(server.dir, 'uploads');
const storedFiles = () => (existsSync(uploadsDir()) ? readdirSync(uploadsDir()).sort() : []);

test('script and markup named as images, empty, oversized and absurdly large images are refused and leave no file', async () => {
  const before = storedFiles();
  const refused: [string, Uint8Array, string, number][] = [
    ['SVG named .png', text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'), 'cat.png', 415],
    ['HTML named .png', text('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'), 'cat.png', 415],
    ['HTML named .jpg.html', text('<html><script>alert(1)</script></html>'), 'cat.jpg.html', 415],
    // GIF's magic bytes, then script: its "dimensions" are the script's bytes, far too many pixels.
    ['JavaScript named .gif', text('GIF89a=1;alert(document.domain)//'), 'x.gif', 400],
    ['a PDF', text('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'), 'doc.png', 415],
    ['NUL bytes', new Uint8Array(4096), 'zeros.png', 415],
    ['empty', new Uint8Array(0), 'empty.png', 400],
    ['a PNG declaring 100000 × 100000', pngDeclaring(100_000, 100_000), 'bomb.png', 400],
    ['a PNG declaring 2^31 × 1', pngDeclaring(2 ** 31 - 1, 1), 'wide.png', 400],
    ['a PNG declaring 0 × 0', pngDeclaring(0, 0), 'zero.png', 400],
    ['a PNG declaring 10000 × 10000', pngDeclaring(10_000, 10_000), 'bomb2.png', 400],
    ['a JPEG declaring 65535 × 65535 behind a big EXIF block', jpegDeclaring(65_535, 65_535), 'bomb.jpg', 400],
  ];
  for (const [what, bytes, name, status] of refused) {
    for (const path of ['/api/upload', '/im/file/upload']) {
      const answer = await uploadFile(server, alice.token, bytes, name, path);
      countAttack();
      const shape = path === '/api/upload' ? answer.body?.error?.message : answer.body?.msg;
      assert.ok(typeof shape === 'string' && shape.length > 0, `${what} on ${path}: ${answer.text}`);
      if (path === '/api/upload') assert.equal(answer.status, status, `${what}: ${answer.text}`);
      else assert.equal(answer.body.code, 400, `${what} on seed 002: ${answer.text}`);
    }
  }
  const huge = new Uint8Array(10 * 1024 * 1024 + 1);
  huge.set(PNG);
  const oversized = await uploadFile(server, alice.token, huge, 'big.png');
  countAttack();
  assert.equal(oversized.status, 413);
  assert.deepEqual(storedFiles(), before, 'nothing kept, not even a temporary file');
});

test('tricky names are never used: the file gets a generated name, its own name is kept as text', async () => {
  // A NUL in the name's header breaks the multipart framing: refused as malformed, nothing kept.
  const nul = await uploadFile(server, alice.token, PNG, 'photo.png\u0000.html');
  countAttack();
  assert.equal(nul.status, 400, nul.text);
  const names = ['../../../etc/passwd.png', '..\\..\\chat.db.png', '/etc/cron.d/x.png', 'photo.php.png', 'photo.png%00.html', '照片 ‮gnp.exe', "x'; DROP TABLE files;--.png", '<img src=x onerror=alert(1)>.png', 'a'.repeat(1000) + '.png'];
  for (const name of names) {
    const answer = await uploadFile(server, alice.token, PNG, name);
    countAttack();
    assert.equal(answer.status, 201, `${name}: ${answer.text}`);
    assert.match(answer.body.url, /^\/file\/down\/[0-9a-f]{32}\.png$/, name);
  }
  assert.ok(storedFiles().every((file) => /^[0-9a-f]{32}\.png$/.test(file)), `only generated names on disk: ${storedFiles()}`);
  const db = new Database(server.dbPath, { readonly: true });
  const kept = (db.prepare('SELECT original_name AS name FROM files ORDER BY created_at').all() as { name: string }[]).map((row) => row.name);
  db.close();
  assert.ok(kept.includes('照片 ‮gnp.exe'), `a UTF-8 name is kept as UTF-8, not read as Latin-1: ${kept.join(' | ')}`);
  assert.ok(kept.includes("x'; DROP TABLE files;--.png"), 'SQL in a name is stored as text');
  assert.ok(kept.every((n) => [...n].length <= 255), 'names are cut to 255 characters');
});

test('a polyglot (a real PNG with HTML after it) is served as an inert image: true type, nosniff, sandbox, no HTML disposition', async () => {
  const polyglot = new Uint8Array(Buffer.concat([Buffer.from(PNG), Buffer.from('<html><script>alert(1)</script></html>')]));
  const uploaded = await uploadFile(server, alice.token, polyglot, 'page.html');
  countAttack();
  assert.equal(uploaded.status, 201);
  assert.match(uploaded.body.url, /\.png$/, 'the name follows the bytes, not the uploaded name');
  for (const prefix of ['', '/im']) {
    const served = await call(server, `${prefix}${uploaded.body.url}`, { token: alice.token });
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
    assert.match(served.headers.get('content-security-policy') ?? '', /default-src 'none'.*sandbox/);
    assert.match(served.headers.get('content-disposition') ?? '', /^inline; filename="[0-9a-f]{32}\.png"$/);
  }
});
