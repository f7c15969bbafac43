// The live channel over real sockets on 127.0.0.1 (seed 002's frames): Auth, send → durable →
// Ack, delivery to every socket, offline push and resume, reads, typing, keepalive, bad input,
// floods and origins. The gateway runs in this process over a fresh store.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import WebSocket from 'ws';
import { count } from 'drizzle-orm';
import { db } from '@/server/db/client';
import { messages } from '@/server/db/schema';
import { createSession, revokeSession, setUserStatus } from '@/server/domain/accounts';
import { markConversationRead, openDirectConversation, openShopConversation } from '@/server/domain/conversations';
import { conversationHistory, getVisibleMessage, sendMessage, sendMessages, undeliveredMessages } from '@/server/domain/messages';
import { createShop } from '@/server/domain/shops';
import { makeUserWithToken, useFreshStore } from '@/server/test-support';
import { parseJson } from '@/server/lib/json';
import { SocketClient, signedInClient, startGateway, type Frame } from './socket-client';

let gateway: Awaited<ReturnType<typeof startGateway>>;
const clients: SocketClient[] = [];

beforeEach(async () => {
  useFreshStore();
  gateway = await startGateway({ authTimeoutMs: 300 });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await gateway.stop();
});

function track(client: SocketClient): SocketClient {
  clients.push(client);
  return client;
}

async function connect(userId: number, token: string, auth: Record<string, unknown> = {}): Promise<SocketClient> {
  return track(await signedInClient(gateway.url, userId, token, auth));
}

async function rawClient(url = gateway.url, headers?: Record<string, string>): Promise<SocketClient> {
  const client = track(new SocketClient(url, new WebSocket(url, { headers })));
  await client.opened;
  return client;
}

function storedCount(): number {
  return db().select({ n: count() }).from(messages).get()!.n;
}

const srcIdOf = (frame: Frame): bigint => BigInt((parseJson(frame.content) as { srcId: bigint | number }).srcId);
const isAckOf = (id: bigint) => (frame: Frame) => frame.msgType === 'Ack' && srcIdOf(frame) === id;

async function pair() {
  const alice = await makeUserWithToken('member', 'Alice');
  const bob = await makeUserWithToken('member', 'Bob');
  const chat = openDirectConversation(alice.user.id, bob.user.id);
  return { alice, bob, chat };
}

test('Auth takes the token raw, as {"token": …} in a JSON string, or as the seed writes it', async () => {
  const { alice } = await pair();
  for (const content of [alice.token, JSON.stringify({ token: alice.token }), `{'${alice.token}'}`]) {
    const client = await rawClient();
    client.send({ msgType: 'Auth', fromUserId: alice.user.id, content });
    assert.deepEqual(await client.next((f) => f.msgType === 'Auth'), { msgType: 'Auth', content: 'ok' });
  }
});

test('a wrong token, someone else’s fromUserId, another frame first, or no Auth in time: an Error frame, then 4001', async () => {
  const { alice, bob } = await pair();
  const attempts: (string | null)[] = [
    JSON.stringify({ msgType: 'Auth', fromUserId: alice.user.id, content: 'not-a-token' }),
    JSON.stringify({ msgType: 'Auth', fromUserId: bob.user.id, content: alice.token }),
    JSON.stringify({ msgType: 'Text', fromUserId: alice.user.id, toUserId: bob.user.id, content: 'hi' }),
    'not json',
    null, // says nothing: the 300 ms this test's gateway allows run out
  ];
  for (const frame of attempts) {
    const client = await rawClient();
    if (frame !== null) client.send(frame);
    assert.equal(await client.closed(), 4001, `closed with 4001 after ${frame}`);
    const errors = client.ofType('Error');
    assert.equal(errors.length, 1, `one Error frame for ${frame}`);
    assert.equal(errors[0].code, 401);
    assert.ok(errors[0].content.length > 0);
  }
  assert.equal(storedCount(), 0, 'the Text sent before Auth was not stored');
});

test('revoking the token closes its sockets; banning the user closes all of theirs', async () => {
  const { alice } = await pair();
  const second = createSession(alice.user.id);
  const first = await connect(alice.user.id, alice.token);
  const other = await connect(alice.user.id, second);
  revokeSession(alice.token);
  assert.equal(await first.closed(), 4001);
  assert.equal(first.ofType('Error').at(-1)?.code, 401);
  assert.equal(other.closeCode, null, 'the other session’s socket stays');
  setUserStatus(alice.user.id, 'banned');
  assert.equal(await other.closed(), 4001);
  const refused = await rawClient();
  refused.send({ msgType: 'Auth', fromUserId: alice.user.id, content: second });
  assert.equal(await refused.closed(), 4001, 'a banned user cannot authenticate');
});

test('a send is stored, then Acked with srcId digit for digit, even for an odd id above 2^53', async () => {
  const { alice, bob, chat } = await pair();
  const sender = await connect(alice.user.id, alice.token);
  const id = 1268242042090295297n;
  let storedWhenAcked: string | undefined;
  sender.ws.on('message', (data) => {
    const frame = parseJson(data.toString()) as Frame;
    if (frame.msgType === 'Ack') storedWhenAcked = getVisibleMessage(alice.user.id, id).content;
  });
  sender.send(`{"id":${id},"fromUserId":${alice.user.id},"toUserId":${bob.user.id},"chatType":"Single","msgType":"Text","content":"Hello,World"}`);
  const ack = await sender.next((f) => f.msgType === 'Ack');
  assert.equal(storedWhenAcked, 'Hello,World', 'the message was committed before its Ack was sent');
  assert.equal(srcIdOf(ack), id);
  assert.match(ack.content, /"srcId":1268242042090295297\b/, 'the digits are exact in the frame text');
  assert.equal(ack.chatType, 'Single');
  assert.equal(typeof ack.id, 'bigint', 'the Ack carries an id of its own');
  assert.notEqual(ack.id, id);
  const history = conversationHistory(bob.user.id, chat).messages;
  assert.deepEqual(history.map((m) => [m.id, m.senderId, m.type, m.content]), [[id, alice.user.id, 'text', 'Hello,World']]);
});

test('the same id sent twice is stored once and Acked twice; an id someone else used gets an Error frame', async () => {
  const { alice, bob, chat } = await pair();
  const carol = await makeUserWithToken('member', 'Carol');
  const sender = await connect(alice.user.id, alice.token);
  const frame = { id: 9007199254740993n, fromUserId: alice.user.id, toUserId: bob.user.id, chatType: 'Single', msgType: 'Text', content: 'once' };
  sender.send(frame);
  sender.send(frame);
  await sender.waitFor(() => sender.ofType('Ack').length === 2);
  assert.deepEqual(sender.ofType('Ack').map(srcIdOf), [frame.id, frame.id]);
  assert.equal(conversationHistory(alice.user.id, chat).messages.length, 1);

  const thief = await connect(carol.user.id, carol.token);
  thief.send({ ...frame, fromUserId: carol.user.id, content: 'mine now' });
  const error = await thief.next((f) => f.msgType === 'Error');
  assert.equal(error.srcId, frame.id);
  assert.match(error.content, /already used/);
  assert.equal(thief.ofType('Ack').length, 0);
  assert.equal(storedCount(), 1);
});

test('every socket of the recipient gets the message, so do the sender’s other sockets, and the recipient’s Ack marks it delivered (told to sockets that asked for receipts)', async () => {
  const { alice, bob, chat } = await pair();
  const bobSockets = [await connect(bob.user.id, bob.token), await connect(bob.user.id, bob.token), await connect(bob.user.id, bob.token)];
  const aliceSending = await connect(alice.user.id, alice.token, { receipts: true });
  const alicePhone = await connect(alice.user.id, alice.token);
  aliceSending.send({ fromUserId: alice.user.id, toUserId: bob.user.id, chatType: 'Single', msgType: 'Image', content: '/file/down/cat.png' });
  const ack = await aliceSending.next((f) => f.msgType === 'Ack');
  const id = srcIdOf(ack);
  for (const socket of [...bobSockets, alicePhone]) {
    const frame = await socket.next((f) => f.msgType === 'Image');
    assert.equal(frame.id, id);
    assert.equal(frame.fromUserId, alice.user.id);
    assert.equal(frame.toUserId, bob.user.id);
    assert.equal(frame.chatType, 'Single');
    assert.equal(frame.content, '/file/down/cat.png');
    assert.equal(frame.cId, chat);
    assert.equal(typeof frame.timestamp, 'number');
  }
  assert.equal(aliceSending.ofType('Image').length, 0, 'the sending socket has its Ack, not an echo');
  assert.equal(getVisibleMessage(bob.user.id, id).deliveredAt, null);

  bobSockets[1].send({ msgType: 'Ack', content: `{'srcId': ${id}}` }); // the seed's own quoting
  const delivered = await aliceSending.next((f) => f.msgType === 'Delivered');
  assert.deepEqual(parseJson(delivered.content), { cId: chat, ids: [id] });
  assert.notEqual(getVisibleMessage(bob.user.id, id).deliveredAt, null);
  assert.deepEqual(undeliveredMessages(bob.user.id), []);
  // A seed 002 client (no receipts in its Auth) is not sent a frame type the seed does not have.
  alicePhone.send({ msgType: 'Ping' });
  await alicePhone.next((f) => f.msgType === 'Pong');
  assert.equal(alicePhone.ofType('Delivered').length, 0);
});

test('messages arrive whole whatever their size in bytes (frames of 2- and 4-byte lengths, multi-byte text)', async () => {
  const { alice, bob } = await pair();
  const bobSocket = await connect(bob.user.id, bob.token);
  const aliceSocket = await connect(alice.user.id, alice.token);
  // A frame's length is in bytes, not characters: 'é' is 2 bytes, '😀' 4 (and 2 UTF-16 units).
  const contents = ['hé', 'é'.repeat(60), 'é'.repeat(15_000), '😀'.repeat(8_000)];
  for (const content of contents) {
    const [bobFrom, aliceFrom] = [bobSocket.frames.length, aliceSocket.frames.length];
    aliceSocket.send({ fromUserId: alice.user.id, toUserId: bob.user.id, chatType: 'Single', msgType: 'Text', content });
    const frame = await bobSocket.next((f) => f.msgType === 'Text', 5_000, bobFrom);
    assert.equal(frame.content, content);
    const ack = await aliceSocket.next((f) => f.msgType === 'Ack', 5_000, aliceFrom);
    assert.equal(frame.id, srcIdOf(ack));
  }
  // A frame after the largest still arrives whole.
  const from = aliceSocket.frames.length;
  aliceSocket.send({ msgType: 'Ping' });
  await aliceSocket.next((f) => f.msgType === 'Pong', 5_000, from);
});

test('a message stored by another face is pushed live through the event bus', async () => {
  const member = await makeUserWithToken('member', 'Mei');
  const seller = await makeUserWithToken('seller', 'Tea seller');
  createShop(seller.user, { id: 's1001', name: 'Breeze Tea' });
  const chat = openShopConversation(member.user.id, 's1001');
  const sellerSocket = await connect(seller.user.id, seller.token);
  const sent = sendMessage({ senderId: member.user.id, conversationId: chat, type: 'text', content: '有龙井吗？' }).message;
  const frame = await sellerSocket.next((f) => f.msgType === 'Text');
  assert.equal(frame.id, sent.id);
  assert.equal(frame.cId, chat);
  assert.equal(frame.content, '有龙井吗？');
});

test('a shop chat is written to by naming its cId; a toUserId that is not the peer is refused', async () => {
  const member = await makeUserWithToken('member', 'Mei');
  const seller = await makeUserWithToken('seller', 'Tea seller');
  const stranger = await makeUserWithToken('member', 'Stranger');
  createShop(seller.user, { id: 's1001', name: 'Breeze Tea' });
  const chat = openShopConversation(member.user.id, 's1001');
  const sellerSocket = await connect(seller.user.id, seller.token);
  sellerSocket.send({ cId: chat, toUserId: member.user.id, msgType: 'Text', content: '有的' });
  await sellerSocket.next((f) => f.msgType === 'Ack');
  assert.deepEqual(conversationHistory(member.user.id, chat).messages.map((m) => m.content), ['有的']);

  sellerSocket.send({ id: 77n, cId: chat, toUserId: stranger.user.id, msgType: 'Text', content: 'misrouted' });
  assert.equal(BigInt((await sellerSocket.next((f) => f.msgType === 'Error')).srcId), 77n);
  const strangerSocket = await connect(stranger.user.id, stranger.token);
  strangerSocket.send({ id: 78n, cId: chat, msgType: 'Text', content: 'let me in' });
  const refused = await strangerSocket.next((f) => f.msgType === 'Error');
  assert.equal(refused.code, 404, 'a chat that is not yours looks like one that does not exist');
  assert.equal(storedCount(), 1);
});

test('a backlog of 1,000 offline messages arrives in order, each Acked exactly once, across a disconnect in the middle of the push', async () => {
  const { alice, bob, chat } = await pair();
  const carol = await makeUserWithToken('member', 'Carol');
  const second = openDirectConversation(carol.user.id, bob.user.id);
  // Two chats interleaved, written in batches as the gateway writes them; 15 MB in all, more than
  // the socket buffers hold, so the push paces itself and the disconnect below comes mid-push.
  const padding = ' '.padEnd(15_000, '.');
  const inputs = Array.from({ length: 1000 }, (_, i) =>
    i % 3 === 0
      ? { senderId: carol.user.id, conversationId: second, type: 'text', content: `carol ${i}${padding}` }
      : { senderId: alice.user.id, conversationId: chat, type: 'text', content: `alice ${i}${padding}` },
  );
  for (let i = 0; i < inputs.length; i += 100) sendMessages(inputs.slice(i, i + 100));
  const stored = undeliveredMessages(bob.user.id, 2000);
  assert.equal(stored.length, 1000);
  // Oldest first; within a millisecond the two chats may interleave either way, but each chat's own order is kept.
  const order = stored.map((m) => m.content);
  const ofChat = (texts: string[], who: string) => texts.filter((text) => text.startsWith(who));
  for (const who of ['alice', 'carol']) {
    assert.deepEqual(ofChat(order, who), ofChat(inputs.map((input) => input.content), who), `${who}'s chat in the order sent`);
  }

  const acked: string[] = [];
  const ackEach = (client: SocketClient, stopAfter: number) =>
    client.ws.on('message', (data) => {
      const frame = parseJson(data.toString()) as Frame;
      if (frame.msgType !== 'Text' || acked.length >= stopAfter) return;
      acked.push(frame.content);
      client.send({ msgType: 'Ack', content: `{"srcId":${frame.id}}` });
      if (acked.length === stopAfter) client.close();
    });

  const first = track(new SocketClient(gateway.url));
  await first.opened;
  ackEach(first, 400);
  first.send({ msgType: 'Auth', fromUserId: bob.user.id, content: bob.token });
  await first.closed(10_000);
  const firstTexts = first.ofType('Text').map((f) => f.content);
  assert.deepEqual(firstTexts.slice(0, 400), order.slice(0, 400), 'the first socket got the oldest first');
  assert.ok(firstTexts.length < 1000, `the push was cut off midway (${firstTexts.length} of 1000 had arrived)`);

  const resumed = track(new SocketClient(gateway.url));
  await resumed.opened;
  ackEach(resumed, 1000);
  resumed.send({ msgType: 'Auth', fromUserId: bob.user.id, content: bob.token });
  await resumed.waitFor(() => acked.length === 1000, 10_000, 'the rest of the backlog');
  assert.deepEqual(resumed.ofType('Text').map((f) => f.content), order.slice(400), 'the rest, in order, none of what was Acked');
  assert.deepEqual(acked, order, 'every message Acked exactly once, in order');
  await resumed.waitFor(() => undeliveredMessages(bob.user.id).length === 0, 5_000, 'the Acks to be recorded');
});

test('a message whose Ack never came is pushed again at the next Auth; an Acked one never again', async () => {
  const { alice, bob, chat } = await pair();
  const receiver = await connect(bob.user.id, bob.token);
  const sent = sendMessage({ senderId: alice.user.id, conversationId: chat, type: 'text', content: 'did you get this?' }).message;
  await receiver.next((f) => f.id === sent.id);
  receiver.ws.terminate(); // gone without an Ack

  const again = await connect(bob.user.id, bob.token);
  const pushed = await again.next((f) => f.msgType === 'Text');
  assert.equal(pushed.id, sent.id);
  again.send({ msgType: 'Ack', content: `{"srcId":${sent.id}}` });
  await again.waitFor(() => undeliveredMessages(bob.user.id).length === 0, 5_000, 'the Ack');
  again.close();

  const third = await connect(bob.user.id, bob.token);
  third.send({ msgType: 'Ping' });
  await third.next((f) => f.msgType === 'Pong');
  assert.equal(third.ofType('Text').length, 0);
});

test('Read marks the chat read and tells both sides; a read made elsewhere sends the same frame', async () => {
  const { alice, bob, chat } = await pair();
  sendMessage({ senderId: alice.user.id, conversationId: chat, type: 'text', content: 'one' });
  sendMessage({ senderId: alice.user.id, conversationId: chat, type: 'text', content: 'two' });
  const aliceSocket = await connect(alice.user.id, alice.token);
  const bobSocket = await connect(bob.user.id, bob.token);
  bobSocket.send({ msgType: 'Read', content: JSON.stringify({ cId: chat }) });
  const read = await aliceSocket.next((f) => f.msgType === 'Read');
  assert.equal(read.fromUserId, bob.user.id);
  assert.deepEqual(
    { ...(parseJson(read.content) as object), readAt: 0 },
    { cId: chat, readerId: bob.user.id, seq: 2, readAt: 0 },
  );
  assert.ok(conversationHistory(alice.user.id, chat).messages.every((m) => m.read));

  const from = aliceSocket.frames.length;
  sendMessage({ senderId: alice.user.id, conversationId: chat, type: 'text', content: 'three' });
  markConversationRead(bob.user.id, chat);
  const again = await aliceSocket.next((f) => f.msgType === 'Read', 5_000, from);
  assert.equal((parseJson(again.content) as { seq: number }).seq, 3);

  bobSocket.send({ msgType: 'Read', content: JSON.stringify({ cId: 999_999 }) });
  assert.equal((await bobSocket.next((f) => f.msgType === 'Error')).code, 404);
});

test('Typing is relayed to the peer and never stored; Ping gets Pong', async () => {
  const { alice, bob, chat } = await pair();
  const carol = await makeUserWithToken('member', 'Carol');
  const aliceSocket = await connect(alice.user.id, alice.token);
  const bobSocket = await connect(bob.user.id, bob.token);
  const carolSocket = await connect(carol.user.id, carol.token);
  aliceSocket.send({ msgType: 'Typing', toUserId: bob.user.id });
  const typing = await bobSocket.next((f) => f.msgType === 'Typing');
  assert.equal(typing.fromUserId, alice.user.id);
  assert.deepEqual(parseJson(typing.content), { cId: chat });
  carolSocket.send({ msgType: 'Typing', content: JSON.stringify({ cId: chat }) });
  assert.equal((await carolSocket.next((f) => f.msgType === 'Error')).code, 404, 'not her chat');
  aliceSocket.send({ msgType: 'Ping' });
  await aliceSocket.next((f) => f.msgType === 'Pong');
  assert.equal(bobSocket.ofType('Typing').length, 1, 'carol’s typing went nowhere');
  assert.equal(storedCount(), 0);
});

test('bad frames get an Error frame saying what is wrong; the socket stays open and nothing is stored', async () => {
  const { alice, bob } = await pair();
  const socket = await connect(alice.user.id, alice.token);
  const base = { fromUserId: alice.user.id, toUserId: bob.user.id, chatType: 'Single', msgType: 'Text', content: 'hi' };
  const cases: [string, RegExp][] = [
    ['{"msgType": "Text", ', /not JSON/],
    ['[1,2,3]', /JSON object/],
    [JSON.stringify({ content: 'no type' }), /msgType is missing/],
    [JSON.stringify({ ...base, msgType: 'Video' }), /unknown msgType: Video/],
    [JSON.stringify({ ...base, toUserId: 'bob' }), /toUserId must be a user id/],
    [JSON.stringify({ ...base, toUserId: undefined }), /toUserId is missing/],
    [JSON.stringify({ ...base, content: 42 }), /content must be a string/],
    [JSON.stringify({ ...base, content: '' }), /content must not be empty/],
    [JSON.stringify({ ...base, chatType: 'Group' }), /Single/],
    [JSON.stringify({ ...base, id: -5 }), /id must be a positive 64-bit integer/],
    [JSON.stringify({ ...base, id: '99999999999999999999' }), /id must be a positive 64-bit integer/],
    [JSON.stringify({ ...base, fromUserId: bob.user.id }), /fromUserId is not yours/],
    [JSON.stringify({ ...base, toUserId: 424242 }), /no such user/],
    [JSON.stringify({ ...base, content: 'x'.repeat(16_001) }), /at most 16000 characters/],
    [JSON.stringify({ ...base, content: 'y'.repeat(100_000) }), /the frame is \d+ bytes; at most 65536/],
    [JSON.stringify({ msgType: 'Ack', content: '{"srcId": "soon"}' }), /srcId/],
    [JSON.stringify({ msgType: 'Read', content: 'everything' }), /Read content must be a JSON object/],
    [JSON.stringify({ msgType: 'Auth', content: alice.token }), /already authenticated/],
  ];
  for (const [text, reason] of cases) {
    const from = socket.frames.length;
    socket.send(text);
    const error = await socket.next((f) => f.msgType === 'Error', 5_000, from);
    assert.match(error.content, reason, `for ${text.slice(0, 80)}`);
    assert.ok([400, 403, 404].includes(error.code));
  }
  socket.ws.send(Buffer.from([1, 2, 3]));
  assert.match((await socket.next((f) => f.msgType === 'Error' && /JSON text/.test(f.content))).content, /JSON text/);
  socket.send({ msgType: 'Ping' });
  await socket.next((f) => f.msgType === 'Pong');
  assert.equal(socket.closeCode, null, 'still open');
  assert.equal(storedCount(), 0);
});

test('a frame beyond the hard limit closes that socket with 1009', async () => {
  const { alice } = await pair();
  const socket = await connect(alice.user.id, alice.token);
  socket.send('z'.repeat(600 * 1024));
  assert.equal(await socket.closed(), 1009);
});

test('a socket that floods is told and closed with 1008; others are unaffected', async () => {
  const { alice, bob } = await pair();
  const flooder = await connect(alice.user.id, alice.token);
  const calm = await connect(bob.user.id, bob.token);
  const started = performance.now();
  for (let i = 0; i < 3000; i++) flooder.send('{"msgType":"Ping"}');
  assert.equal(await flooder.closed(), 1008);
  const seconds = (performance.now() - started) / 1000;
  assert.match(flooder.ofType('Error').at(-1)!.content, /too many frames: at most 500 a second/);
  const answered = flooder.ofType('Pong').length;
  assert.ok(answered >= 1000 && answered <= 1000 + 500 * seconds, `the burst and the rate were answered, nothing more (${answered})`);
  calm.send({ fromUserId: bob.user.id, toUserId: alice.user.id, msgType: 'Text', content: 'still here' });
  await calm.next((f) => f.msgType === 'Ack');
});

test('a client that Acks every frame of a backlog far beyond the frame limit gets it all; Acks of messages never sent still count as a flood', async () => {
  const { alice, bob, chat } = await pair();
  // 5,000 messages pushed in well under the 8 s the frame budget would need to allow 5,000 Acks.
  const inputs = Array.from({ length: 5000 }, (_, i) => ({ senderId: alice.user.id, conversationId: chat, type: 'text', content: `m${i}` }));
  for (let i = 0; i < inputs.length; i += 500) sendMessages(inputs.slice(i, i + 500));
  const receiver = track(new SocketClient(gateway.url));
  await receiver.opened;
  receiver.ws.on('message', (data) => {
    const frame = parseJson(data.toString()) as Frame;
    if (frame.msgType === 'Text') receiver.send(`{"msgType":"Ack","content":"{\\"srcId\\":${frame.id}}"}`);
  });
  receiver.send({ msgType: 'Auth', fromUserId: bob.user.id, content: bob.token });
  await receiver.waitFor(() => undeliveredMessages(bob.user.id).length === 0 || receiver.closeCode !== null, 20_000, 'every Ack recorded');
  assert.equal(receiver.closeCode, null, `the socket stayed open (${receiver.ofType('Error').at(-1)?.content ?? ''})`);
  assert.equal(receiver.ofType('Text').length, 5000);
  assert.deepEqual(undeliveredMessages(bob.user.id), []);

  const forger = await connect(alice.user.id, alice.token);
  for (let i = 0; i < 3000; i++) forger.send(`{"msgType":"Ack","content":"{\\"srcId\\":${1_000_000 + i}}"}`);
  assert.equal(await forger.closed(), 1008);
});

test('browser origins outside the allowed list are refused before the upgrade; clients without Origin are let in', async () => {
  await gateway.stop();
  gateway = await startGateway({ allowedOrigins: ['https://chat.example'] });
  await assert.rejects(rawClient(gateway.url, { origin: 'https://evil.example' }), /upgrade refused: 403/);
  await rawClient(gateway.url, { origin: 'https://chat.example' });
  await rawClient(gateway.url);

  await gateway.stop();
  gateway = await startGateway(); // default: the app's own origin
  const host = new URL(gateway.url).host;
  await rawClient(gateway.url, { origin: `http://${host}` });
  await assert.rejects(rawClient(gateway.url, { origin: 'http://localhost:1' }), /upgrade refused: 403/);
});

test('a socket that stops reading is dropped once 8 MiB pile up; what it missed comes from the store on reconnect', async () => {
  const { alice, bob, chat } = await pair();
  const stalled = await connect(bob.user.id, bob.token);
  const tcp = (stalled.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  tcp.pause(); // reads nothing more
  const text = 'z'.repeat(15_000);
  for (let i = 0; i < 20; i++) {
    sendMessages(Array.from({ length: 100 }, () => ({ senderId: alice.user.id, conversationId: chat, type: 'text', content: text })));
  }
  assert.equal(gateway.sockets.gateway.connectionCount, 0, 'the server let go of the socket');
  tcp.resume();
  assert.equal(await stalled.closed(5_000), 1006, 'dropped without a closing handshake');
  assert.ok(stalled.ofType('Text').length < 2000);
  const resumed = await connect(bob.user.id, bob.token);
  await resumed.waitFor(() => resumed.ofType('Text').length === 2000, 10_000, 'the whole backlog');
});

test('the server pings and drops a peer that stops answering', async () => {
  await gateway.stop();
  gateway = await startGateway({ heartbeatMs: 100 });
  const { alice } = await pair();
  const silent = track(new SocketClient(gateway.url, new WebSocket(gateway.url, { autoPong: false })));
  await silent.opened;
  silent.send({ msgType: 'Auth', fromUserId: alice.user.id, content: alice.token });
  const answering = await connect(alice.user.id, alice.token);
  assert.equal(await silent.closed(2_000), 1006, 'terminated without a closing handshake');
  assert.equal(answering.closeCode, null, 'a socket that answers pings stays');
});

test('pings are spread over the heartbeat, not sent to every socket at once', async () => {
  await gateway.stop();
  gateway = await startGateway({ heartbeatMs: 400 });
  const { alice } = await pair();
  const sockets = await Promise.all(Array.from({ length: 40 }, () => connect(alice.user.id, alice.token)));
  const firstPing = await Promise.all(sockets.map((socket) => new Promise<number>((resolve) => socket.ws.once('ping', () => resolve(performance.now())))));
  const span = Math.max(...firstPing) - Math.min(...firstPing);
  assert.ok(span >= 200, `the first pings of 40 sockets came within ${span.toFixed(0)} ms of each other`);
  assert.ok(sockets.every((socket) => socket.closeCode === null), 'every socket answered and stays');
});

test('shutdown commits and Acks what was sent, then closes with 1001', async () => {
  const { alice, bob, chat } = await pair();
  const sender = await connect(alice.user.id, alice.token);
  const frames = Array.from({ length: 50 }, (_, i) => ({ id: BigInt(1000 + i), toUserId: bob.user.id, msgType: 'Text', content: `m${i}` }));
  for (const frame of frames) sender.send(frame);
  await sender.next((f) => f.msgType === 'Ack'); // the server is reading the batch
  await gateway.sockets.shutdown();
  assert.equal(await sender.closed(), 1001);
  const acked = sender.ofType('Ack').map(srcIdOf);
  assert.ok(acked.length > 0);
  const stored = new Set(conversationHistory(bob.user.id, chat, { limit: 200 }).messages.map((m) => m.id));
  for (const id of acked) assert.ok(stored.has(id), `Acked ${id} is stored`);
});
