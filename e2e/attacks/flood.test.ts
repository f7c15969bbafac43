// Flood and size: oversized bodies on every face, oversized socket frames, a socket far beyond its
// rate and ten thousand bad frames. Each is refused with its code; the others' sockets carry on, the
// server stays up and its memory stays bounded.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { startServer, type RunningServer } from '../server-process';
import { SocketClient } from '../ws/socket-client';
import { call, countAttack, framesAnswering, liveSocket, signIn, storeFingerprint, trpc, wsUrl, type Account, type Answer, reportAttacks } from './support';

let server: RunningServer;
let alice: Account;
let bob: Account;
let aliceBob = 0;
const sockets: SocketClient[] = [];

before(async () => {
  server = await startServer();
  alice = await signIn(server, 'alice');
  bob = await signIn(server, 'bob');
  const chats = await trpc(server, alice.token, 'conversations.list', undefined, 'query');
  aliceBob = chats.body.result.data.json.find((c: { peer: { id: number } }) => c.peer.id === bob.id).id;
});

after(async () => {
  reportAttacks('flood.test.ts');
  for (const socket of sockets) socket.ws.terminate();
  await server?.stop('SIGKILL');
});

/** The server's resident memory, in MiB. */
function serverRssMiB(): number {
  const status = readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024;
}

/** A POST whose body is sent in chunks with no Content-Length, so only a limit while reading stops it. */
function chunkedPost(path: string, token: string, contentType: string, chunks: Iterable<string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'transfer-encoding': 'chunked' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: new Headers(), text, body: text ? JSON.parse(text) : undefined }));
      },
    );
    // The server may answer and close before the whole body is written.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    (async () => {
      for (const chunk of chunks) if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      req.end();
    })().catch(() => {});
  });
}

function* bigJson(bytes: number, field: string): Generator<string> {
  yield `{"${field}":"`;
  const piece = 'x'.repeat(64 * 1024);
  for (let sent = 0; sent < bytes; sent += piece.length) yield piece;
  yield '"}';
}

const TWO_MIB = 2 * 1024 * 1024;

test('bodies over 1 MiB are refused with 413 in each face’s shape, declared or chunked, and change nothing', async () => {
  const faces: [string, string, (a: Answer) => boolean, string?][] = [
    ['tRPC', '/api/trpc/messages.send', (a) => a.status === 413 && a.body?.error?.json?.data?.code === 'PAYLOAD_TOO_LARGE'],
    ['REST', '/api/auth/register', (a) => a.status === 413 && a.body?.error?.code === 'PAYLOAD_TOO_LARGE'],
    ['seed 002', '/im/user/chat/list', (a) => a.status === 500 && a.body?.code === 400 && /at most/.test(a.body.msg)],
    ['seed 003', '/chat-records/create', (a) => a.status === 413 && a.body?.result === 'error'],
    ['seed 004', '/api/platform?s=Platform.ChatMessage.GetMessageList', (a) => a.status === 200 && a.body?.ret === 400 && /at most/.test(a.body.msg)],
    ['seed 003 form', '/chat-records/create', (a) => a.status === 413 && a.body?.result === 'error', 'application/x-www-form-urlencoded'],
  ];
  // Each route once with a small body first: loading its code is not what is measured.
  for (const [, path] of faces) await call(server, path, { token: alice.token, json: {} });
  const before = storeFingerprint(server);
  const rssBefore = serverRssMiB();
  for (const [face, path, refused, contentType = 'application/json'] of faces) {
    const declared = await call(server, path, { token: alice.token, method: 'POST', body: [...bigJson(TWO_MIB, 'cnt')].join(''), headers: { 'content-type': contentType } });
    assert.ok(refused(declared), `${face}, declared length: ${declared.status} ${declared.text.slice(0, 300)}`);
    const chunked = await chunkedPost(path, alice.token, contentType, bigJson(8 * TWO_MIB, 'cnt'));
    assert.ok(refused(chunked), `${face}, chunked: ${chunked.status} ${chunked.text.slice(0, 300)}`);
    countAttack(2);
  }
  assert.equal(storeFingerprint(server), before);
  assert.ok(serverRssMiB() < rssBefore + 150, `memory bounded: ${rssBefore.toFixed(0)} MiB before, ${serverRssMiB().toFixed(0)} MiB after 16 MiB bodies`);
  assert.equal((await call(server, '/api/health')).status, 200);
});

test('a tRPC batch of more than 50 calls is refused whole, in tRPC’s shape', async () => {
  const paths = (n: number) => Array.from({ length: n }, () => 'auth.me').join(',');
  const input = encodeURIComponent("{}");
  const ok = await call(server, `/api/trpc/${paths(50)}?batch=1&input=${input}`, { token: alice.token });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.length, 50);
  const refused = await call(server, `/api/trpc/${paths(500)}?batch=1&input=${input}`, { token: alice.token });
  countAttack();
  assert.equal(refused.status, 400, refused.text.slice(0, 200));
  assert.match(refused.text, /Batch call exceeds maximum size/);
});

test('socket frames over 64 KiB get an Error and are dropped; over 512 KiB close the socket with 1009', async () => {
  const socket = await liveSocket(server, alice);
  sockets.push(socket);
  const big = { id: (1n << 61n) + 1n, fromUserId: alice.id, cId: aliceBob, chatType: 'Single', msgType: 'Text', content: 'x'.repeat(70 * 1024) };
  // Alice's undelivered messages are pushed after Auth too: only the Errors answer the frames.
  const answers = (await framesAnswering(socket, [big])).filter((frame) => frame.msgType === 'Error');
  countAttack();
  assert.equal(answers.length, 1);
  assert.equal(answers[0].msgType, 'Error');
  assert.match(answers[0].content, /at most 65536/);

  socket.send('x'.repeat(600 * 1024));
  countAttack();
  assert.equal(await socket.closed(), 1009);
});

test('ten thousand bad frames and a socket far over its rate: told with an Error, closed with 1008; others are not slowed or dropped', async () => {
  const rssBefore = serverRssMiB();
  const bystander = await liveSocket(server, bob);
  const aliceSocket = await liveSocket(server, alice);
  sockets.push(bystander, aliceSocket);
  const before = storeFingerprint(server);

  // A burst under the limit: each bad frame gets its Error, the socket stays open.
  const within = await liveSocket(server, alice);
  sockets.push(within);
  const bad = ['{', 'null', '[]', '{"msgType":"Nope"}', '{"msgType":"Ack","content":"{}"}', '{"msgType":"Text"}', '"\\ud800"', '{"msgType":"Read","content":"{\\"cId\\":-1}"}'];
  const burst = Array.from({ length: 800 }, (_, i) => bad[i % bad.length]);
  const answered = (await framesAnswering(within, burst)).filter((frame) => frame.msgType === 'Error');
  countAttack(burst.length);
  assert.equal(answered.length, burst.length, 'each bad frame gets its Error');
  assert.ok(answered.every((frame) => frame.code === 400), 'each a 400');
  assert.equal(within.closeCode, null, 'still open');

  // Far beyond: ten thousand at once on new sockets, with and without Auth.
  const flooders: SocketClient[] = [];
  for (let i = 0; i < 3; i++) {
    const flooder = i === 0 ? new SocketClient(wsUrl(server)) : await liveSocket(server, alice);
    await flooder.opened;
    flooders.push(flooder);
    sockets.push(flooder);
  }
  for (const flooder of flooders) for (let i = 0; i < 10_000; i++) flooder.send(bad[i % bad.length]);
  countAttack(30_000);

  // Meanwhile Alice's own other socket still sends and Bob still receives.
  const id = (1n << 61n) + 77n;
  aliceSocket.send({ id, fromUserId: alice.id, cId: aliceBob, chatType: 'Single', msgType: 'Text', content: 'still here' });
  await aliceSocket.next((frame) => frame.msgType === 'Ack' && String(frame.content).includes(String(id)), 10_000);
  await bystander.next((frame) => frame.id === id, 10_000);

  assert.equal(await flooders[0].closed(10_000), 4001, 'a bad first frame ends an unauthenticated socket');
  for (const flooder of flooders.slice(1)) {
    assert.equal(await flooder.closed(10_000), 1008);
    assert.ok(flooder.frames.some((frame) => frame.msgType === 'Error' && frame.code === 400 && /too many frames/.test(frame.content)), 'told why first');
  }
  assert.equal(within.closeCode, null, 'the socket that kept within its rate is still open');
  assert.deepEqual((await framesAnswering(bystander, [])).length, 0);
  assert.equal((await call(server, '/api/health')).status, 200, 'the server is up');
  assert.ok(serverRssMiB() < rssBefore + 150, `memory bounded: ${rssBefore.toFixed(0)} MiB before, ${serverRssMiB().toFixed(0)} MiB after`);
  const after = storeFingerprint(server);
  assert.notEqual(after, before, 'the one real message was stored');
});
