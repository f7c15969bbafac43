// Access: a third user (Eve) tries every conversation, message and file of Alice and Bob through
// tRPC, the socket and all five dialects. Every try is refused, a refusal of an existing id is
// byte-identical to one of a missing id, and the store is unchanged afterwards.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startServer, type RunningServer } from '../server-process';
import type { SocketClient } from '../ws/socket-client';
import {
  reportAttacks,
  call,
  comparable,
  countAttack,
  framesAnswering,
  liveSocket,
  PNG,
  registerUser,
  signIn,
  storeFingerprint,
  trpc,
  uploadFile,
  wsUrl,
  type Account,
  type Answer,
} from './support';
import { SocketClient as Client } from '../ws/socket-client';
import { stringifyJson } from '@/server/lib/json';

let server: RunningServer;
let alice: Account;
let bob: Account;
let eve: Account;
let teahouse: Account;
let lilei: Account;
const sockets: SocketClient[] = [];

/** Alice's and Bob's ids, each beside a missing id of the same kind. */
let theirChats: number[] = [];
let theirMessages: bigint[] = [];
let sentFile = '';
let privateFile = '';
const MISSING_CHAT = 987_654;
const MISSING_MESSAGE = 1268242042090295296n;
const MISSING_FILE = `${randomBytes(16).toString('hex')}.png`;
const MISSING_USER = 987_654;

before(async () => {
  server = await startServer();
  alice = await signIn(server, 'alice');
  bob = await signIn(server, 'bob');
  teahouse = await signIn(server, 'teahouse');
  lilei = await signIn(server, 'lilei');
  eve = await registerUser(server, 'eve');

  const chats = await trpc(server, alice.token, 'conversations.list', undefined, 'query');
  const aliceChats = chats.body.result.data.json as { id: number; peer: { id: number } }[];
  theirChats = aliceChats.map((chat) => chat.id);
  const bobChats = (await trpc(server, bob.token, 'conversations.list', undefined, 'query')).body.result.data.json as { id: number }[];
  theirChats = [...new Set([...theirChats, ...bobChats.map((chat) => chat.id)])];
  const aliceBob = aliceChats.find((chat) => chat.peer.id === bob.id)!.id;

  // A photo Alice sent Bob, and one she uploaded but sent to nobody.
  sentFile = ((await uploadFile(server, alice.token, PNG, 'to-bob.png')).body.url as string).split('/').pop()!;
  privateFile = ((await uploadFile(server, alice.token, PNG, 'mine.png')).body.url as string).split('/').pop()!;
  const sent = await trpc(server, alice.token, 'messages.send', { conversationId: aliceBob, type: 'image', content: `/file/down/${sentFile}` }, 'mutation');
  assert.equal(sent.status, 200, sent.text);

  for (const id of theirChats) {
    const history = await trpc(server, alice.token, 'conversations.history', { conversationId: id }, 'query');
    if (history.status !== 200) continue;
    for (const message of history.body.result.data.json.messages as { id: string }[]) theirMessages.push(BigInt(message.id));
  }
  assert.ok(theirChats.length >= 3 && theirMessages.length >= 8, 'the demo data gives Eve something to try');
});

after(async () => {
  reportAttacks('access.test.ts');
  for (const socket of sockets) socket.ws.terminate();
  await server?.stop('SIGKILL');
});

/** Sends the same attack at an existing id and a missing one: both refused alike. */
async function sameRefusal(
  what: string,
  attempt: (id: any) => Promise<Answer>,
  existing: readonly unknown[],
  missing: unknown,
  refused: (answer: Answer) => boolean,
): Promise<void> {
  const reference = await attempt(missing);
  countAttack();
  assert.ok(refused(reference), `${what} of a missing id: ${comparable(reference)}`);
  for (const id of existing) {
    const answer = await attempt(id);
    countAttack();
    assert.ok(refused(answer), `${what} of ${String(id)}: ${comparable(answer)}`);
    assert.equal(comparable(answer), comparable(reference), `${what}: ${String(id)} is told apart from a missing id`);
  }
}

const trpcNotFound = (answer: Answer) => answer.status === 404 && /NOT_FOUND/.test(answer.text);

test('tRPC: every procedure refuses Eve the others’ chats and messages exactly as it refuses missing ones', async () => {
  const before = storeFingerprint(server);
  const t = eve.token;
  const chatProbes: [string, (id: number) => Promise<Answer>][] = [
    ['conversations.get', (id) => trpc(server, t, 'conversations.get', { conversationId: id }, 'query')],
    ['conversations.history', (id) => trpc(server, t, 'conversations.history', { conversationId: id }, 'query')],
    ['conversations.markRead', (id) => trpc(server, t, 'conversations.markRead', { conversationId: id }, 'mutation')],
    ['conversations.setPinned', (id) => trpc(server, t, 'conversations.setPinned', { conversationId: id, pinned: true }, 'mutation')],
    ['conversations.hide', (id) => trpc(server, t, 'conversations.hide', { conversationId: id }, 'mutation')],
    ['messages.send', (id) => trpc(server, t, 'messages.send', { conversationId: id, type: 'text', content: 'hi', id: 4611686018427387905n }, 'mutation')],
  ];
  for (const [name, probe] of chatProbes) await sameRefusal(name, probe, theirChats, MISSING_CHAT, trpcNotFound);
  await sameRefusal(
    'messages.deleteForMe',
    (id: bigint) => trpc(server, t, 'messages.deleteForMe', { messageId: id }, 'mutation'),
    theirMessages,
    MISSING_MESSAGE,
    trpcNotFound,
  );
  const list = await trpc(server, t, 'conversations.list', undefined, 'query');
  assert.deepEqual(list.body.result.data.json, [], 'Eve lists nothing of theirs');
  assert.equal(storeFingerprint(server), before, 'nothing changed');
});

test('socket: Send, Read and Typing into their chats answer as for missing chats; Acks of their messages change nothing and say nothing', async () => {
  const aliceSocket = await liveSocket(server, alice);
  const bobSocket = await liveSocket(server, bob);
  const eveSocket = await liveSocket(server, eve);
  sockets.push(aliceSocket, bobSocket, eveSocket);
  const watched = [aliceSocket.frames.length, bobSocket.frames.length];
  const before = storeFingerprint(server);

  const frameProbe = (build: (id: any) => Record<string, unknown>) => async (id: any): Promise<Answer> => {
    const frames = await framesAnswering(eveSocket, [build(id)]);
    return { status: 0, headers: new Headers(), text: stringifyJson(frames), body: frames };
  };
  const isError = (answer: Answer) => answer.body.length === 1 && answer.body[0].msgType === 'Error';
  await sameRefusal(
    'Send into cId',
    frameProbe((cId) => ({ id: 4611686018427387906n, fromUserId: eve.id, cId, chatType: 'Single', msgType: 'Text', content: 'hi' })),
    theirChats,
    MISSING_CHAT,
    isError,
  );
  await sameRefusal('Read', frameProbe((cId) => ({ msgType: 'Read', content: stringifyJson({ cId }) })), theirChats, MISSING_CHAT, isError);
  await sameRefusal('Typing cId', frameProbe((cId) => ({ msgType: 'Typing', content: stringifyJson({ cId }) })), theirChats, MISSING_CHAT, isError);
  await sameRefusal('Typing toUserId', frameProbe((toUserId) => ({ msgType: 'Typing', toUserId })), [alice.id, bob.id], MISSING_USER, isError);
  await sameRefusal(
    'Ack',
    frameProbe((srcId) => ({ msgType: 'Ack', content: stringifyJson({ srcId }) })),
    theirMessages,
    MISSING_MESSAGE,
    (answer) => answer.body.length === 0,
  );

  // Posing as Alice on a socket of one's own: closed with 4001, whatever the token.
  const impostor = new Client(wsUrl(server));
  await impostor.opened;
  impostor.send({ msgType: 'Auth', fromUserId: alice.id, content: eve.token });
  assert.equal(await impostor.closed(), 4001);
  countAttack();

  // Pings round-trip on Alice's and Bob's sockets, so anything Eve caused there would have arrived.
  for (const socket of [aliceSocket, bobSocket]) await framesAnswering(socket, []);
  assert.deepEqual(aliceSocket.frames.slice(watched[0]).map((f) => f.msgType), ['Pong', 'Pong'], 'Alice saw nothing of Eve');
  assert.deepEqual(bobSocket.frames.slice(watched[1]).map((f) => f.msgType), ['Pong', 'Pong'], 'Bob saw nothing of Eve');
  assert.equal(storeFingerprint(server), before, 'nothing changed: no message stored, none marked delivered or read');
});

test('seed 002: chat ids and userIds of others are refused as missing ones are', async () => {
  const before = storeFingerprint(server);
  const im = (path: string, body: Record<string, unknown>) => call(server, path, { token: eve.token, json: body });
  const seed002Refusal = (code: number) => (answer: Answer) => answer.status === 500 && answer.body?.code === code;
  for (const [path, extra] of [['/im/user/chat/clear/unread', {}], ['/im/user/chat/delete', {}], ['/im/user/chat/top', { top: true }]] as const) {
    await sameRefusal(path, (id) => im(path, { id, ...extra }), theirChats, MISSING_CHAT, seed002Refusal(404));
  }
  for (const path of ['/im/message/user/get/page', '/im/message/offline', '/im/user/chat/list']) {
    await sameRefusal(path, (userId) => im(path, { userId, pageNum: 1, pageSize: 10 }), [alice.id, bob.id], MISSING_USER, seed002Refusal(403));
  }
  assert.equal(storeFingerprint(server), before);
});

test('seed 003: another member’s records, another seller’s shop and others’ record ids are refused alike', async () => {
  const before = storeFingerprint(server);
  const forbidden = (answer: Answer) => answer.status === 403;
  const query = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  await sameRefusal(
    'list as another member',
    (memberId) => call(server, `/chat-records/list?${query({ memberId, sellerId: 's1001' })}`, { token: eve.token }),
    [alice.id, bob.id],
    MISSING_USER,
    forbidden,
  );
  await sameRefusal(
    'list of a missing shop',
    (sellerId) => call(server, `/chat-records/list?${query({ memberId: alice.id, sellerId })}`, { token: eve.token }),
    ['s1001', 's1002'],
    's9999',
    forbidden,
  );
  await sameRefusal(
    'create as another member',
    (memberId) => call(server, '/chat-records/create', { token: eve.token, json: { memberId, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: 'hi' } }),
    [alice.id, bob.id],
    MISSING_USER,
    forbidden,
  );
  await sameRefusal(
    'chat-list of another member',
    (memberId) => call(server, `/chat-records/chat-list?memberId=${memberId}`, { token: eve.token }),
    [alice.id, bob.id],
    MISSING_USER,
    forbidden,
  );
  // A seller reaching into another seller's shop: Breeze Tea's keeper asks for Book Nook's chat with 李雷.
  await sameRefusal(
    'a seller listing another shop',
    (memberId) => call(server, `/chat-records/list?${query({ memberId, sellerId: 's1002' })}`, { token: teahouse.token }),
    [lilei.id],
    MISSING_USER,
    forbidden,
  );
  await sameRefusal(
    'a seller answering for another shop',
    (memberId) => call(server, '/chat-records/create', { token: teahouse.token, json: { memberId, sellerId: 's1002', messageType: 'RC:TxtMsg', cnt: 'hi' } }),
    [lilei.id],
    MISSING_USER,
    forbidden,
  );
  await sameRefusal(
    'delete of their record ids',
    (id) => call(server, '/chat-records/delete', { token: eve.token, json: { memberId: eve.id, id } }),
    theirMessages,
    MISSING_MESSAGE,
    (answer) => answer.status === 404,
  );
  assert.equal(storeFingerprint(server), before);
});

test('seed 004: their uuids and message ids reveal nothing; seeds 000 and 001 list nothing of theirs', async () => {
  const before = storeFingerprint(server);
  const list = (params: Record<string, string>) =>
    call(server, `/api/platform?${new URLSearchParams({ s: 'Platform.ChatMessage.GetMessageList', access_token: eve.token, ...params })}`);
  const missingUuid = 'Z'.repeat(32);
  await sameRefusal('their last_id', (id) => list({ chat_message_to_uuid: alice.uuid, last_id: String(id) }), theirMessages, MISSING_MESSAGE, (a) => a.body?.ret === 400);
  await sameRefusal('their uuid', (uuid) => list({ chat_message_to_uuid: uuid }), [alice.uuid, bob.uuid], missingUuid, (a) => a.body?.ret === 200 && a.body.data.items.length === 0);

  const windows = await call(server, '/api/chat?type=all', { token: eve.token });
  assert.equal(windows.status, 200);
  assert.deepEqual(windows.body.data.list, []);
  const dialogs = await call(server, '/api/dialog?include=sender,recipient,dialogMessage', { token: eve.token });
  assert.equal(dialogs.status, 200);
  assert.deepEqual(dialogs.body.data, []);
  assert.deepEqual(dialogs.body.included ?? [], []);
  countAttack(2);
  assert.equal(storeFingerprint(server), before);
});

test('files: only the uploader and the members of a chat it was sent in can download it; others get the missing file’s 404', async () => {
  const download = (token: string, name: string, prefix = '') => call(server, `${prefix}/file/down/${name}`, { token });
  assert.equal((await download(alice.token, sentFile)).status, 200, 'the uploader');
  assert.equal((await download(bob.token, sentFile)).status, 200, 'the recipient');
  assert.equal((await download(bob.token, sentFile, '/im')).status, 200, 'the recipient, on seed 002’s path');
  assert.equal((await download(alice.token, privateFile)).status, 200, 'the uploader of an unsent file');

  const notFound = (answer: Answer) => answer.status === 404;
  for (const prefix of ['', '/im']) {
    await sameRefusal(`${prefix}/file/down as Eve`, (name) => download(eve.token, name, prefix), [sentFile, privateFile], MISSING_FILE, notFound);
    await sameRefusal(`${prefix}/file/down as Bob`, (name) => download(bob.token, name, prefix), [privateFile], MISSING_FILE, notFound);
  }
});
