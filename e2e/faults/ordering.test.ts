// Ordering: a member and a shop's seller pipeline messages into their one chat at the same time,
// without waiting for Acks. The chat gets one total order (seq 1..n), each sender's own order is
// kept, and that order is the same on the socket (the recipients' frames, and a second device that
// sees both sides) and in every history: tRPC, seed 002's page, seed 003's list, seed 004's list.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@/server/trpc/root';
import { parseJson, stringifyJson } from '@/server/lib/json';
import { startServer, type RunningServer } from '../server-process';
import { signedInClient, type Frame, type SocketClient } from '../ws/socket-client';
import { LONG, messageId, readStore, seqGaps, sleep } from './harness';

const PER_SENDER = LONG ? 3000 : 300;
/** Frames each sender writes at once, then a pause: under the socket's 500 frames a second. */
const BURST = 200;

let server: RunningServer;
const sockets: SocketClient[] = [];
before(async () => {
  server = await startServer({ CHAT_DEMO: '0' });
});
after(async () => {
  for (const socket of sockets) socket.ws.terminate();
  await server?.stop('SIGKILL');
});

type Account = { token: string; user: { id: number; uuid: string } };

async function signUp(username: string, role: 'member' | 'seller'): Promise<Account> {
  const response = await fetch(`${server.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'order-pass-1', role }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as Account;
}

async function get(path: string, token: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return parseJson(text);
}

async function live(account: Account): Promise<SocketClient> {
  const socket = await signedInClient(`ws://127.0.0.1:${server.port}/ws`, account.user.id, account.token);
  sockets.push(socket);
  return socket;
}

const idsOf = (frames: Frame[]) => frames.map((frame) => BigInt(frame.id));
const messageFrames = (socket: SocketClient, conversationId: number) => socket.frames.filter((frame) => frame.cId === conversationId && frame.seq !== undefined);

test(`two senders pipelining ${PER_SENDER} messages each into one chat: one order, everywhere`, { timeout: LONG ? 600_000 : 60_000 }, async () => {
  const member = await signUp('order_member', 'member');
  const seller = await signUp('order_seller', 'seller');
  const shop = await fetch(`${server.url}/api/shops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${seller.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 's7001', name: 'Order Shop' }),
  });
  assert.equal(shop.status, 201, await shop.text());
  const trpc = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${server.url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${member.token}` } })],
  });
  const chat = await trpc.conversations.openWithShop.mutate({ shopId: 's7001' });

  const memberSocket = await live(member);
  const memberOtherDevice = await live(member);
  const sellerSocket = await live(seller);
  const senders = [
    { socket: memberSocket, account: member, index: 1 },
    { socket: sellerSocket, account: seller, index: 2 },
  ];
  for (let start = 0; start < PER_SENDER; start += BURST) {
    // Interleaved, frame by frame, so the server reads the two sockets' frames in the same turns.
    for (let n = start; n < Math.min(start + BURST, PER_SENDER); n++) {
      for (const { socket, account, index } of senders) {
        socket.send({ id: messageId(index, n), fromUserId: account.user.id, cId: chat.id, chatType: 'Single', msgType: 'Text', content: `${index}:${n}` });
      }
    }
    if (start + BURST < PER_SENDER) await sleep(500);
  }
  const total = 2 * PER_SENDER;
  for (const { socket } of senders) await socket.waitFor(() => socket.ofType('Ack').length === PER_SENDER, 60_000, 'every Ack');
  assert.deepEqual([...memberSocket.ofType('Error'), ...sellerSocket.ofType('Error')], []);

  // The store: one order, 1..n, with each sender's messages in the order they were sent.
  const stored = readStore(server.dbPath).messages.filter((message) => message.conversationId === chat.id);
  assert.equal(stored.length, total);
  assert.deepEqual(seqGaps(stored), []);
  const order = stored.map((message) => message.id);
  for (const { index } of senders) {
    const own = order.filter((id) => (id - (1n << 62n)) / 1_000_000_000n === BigInt(index));
    assert.deepEqual(own, Array.from({ length: PER_SENDER }, (_, n) => messageId(index, n)), `sender ${index} keeps its order`);
  }
  const fromSender = (index: number) => order.filter((id) => (id - (1n << 62n)) / 1_000_000_000n === BigInt(index));
  // Both senders really interleaved: neither wrote all of its messages before the other began.
  assert.ok(order.indexOf(fromSender(1)[PER_SENDER - 1]) > order.indexOf(fromSender(2)[0]));
  assert.ok(order.indexOf(fromSender(2)[PER_SENDER - 1]) > order.indexOf(fromSender(1)[0]));

  // The socket: each recipient gets the other's messages in that order; the member's other device sees both, in that order.
  await memberOtherDevice.waitFor(() => messageFrames(memberOtherDevice, chat.id).length === total, 30_000, 'the second device to see every message');
  assert.deepEqual(idsOf(messageFrames(memberOtherDevice, chat.id)), order);
  assert.deepEqual(messageFrames(memberOtherDevice, chat.id).map((frame) => frame.seq), stored.map((message) => message.seq));
  await sellerSocket.waitFor(() => messageFrames(sellerSocket, chat.id).length === PER_SENDER, 30_000, 'the seller to get every message');
  assert.deepEqual(idsOf(messageFrames(sellerSocket, chat.id)), fromSender(1));
  await memberSocket.waitFor(() => messageFrames(memberSocket, chat.id).length === PER_SENDER, 30_000, 'the member to get every message');
  assert.deepEqual(idsOf(messageFrames(memberSocket, chat.id)), fromSender(2));

  // tRPC history, paged back from the newest.
  const history: bigint[] = [];
  for (let beforeSeq: number | undefined; ; ) {
    const page = await trpc.conversations.history.query({ conversationId: chat.id, beforeSeq, limit: 200 });
    history.unshift(...page.messages.map((message) => message.id));
    if (!page.hasMore) break;
    beforeSeq = page.messages[0].seq;
  }
  assert.deepEqual(history, order, 'tRPC history');

  // Seed 002: the caller's messages, newest first.
  const seed002: bigint[] = [];
  for (let pageNum = 1; ; pageNum++) {
    const page = await get('/im/message/user/get/page', member.token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: member.user.id, pageNum, pageSize: 100 }),
    });
    seed002.push(...page.map((message: { id: bigint }) => BigInt(message.id)));
    if (page.length < 100) break;
  }
  assert.deepEqual(seed002.reverse(), order, 'seed 002 /im/message/user/get/page');

  // Seed 003: the shop chat's records, newest first (as the seller reads them).
  const seed003: bigint[] = [];
  for (let page = 1; ; page++) {
    const body = await get(`/chat-records/list?memberId=${member.user.id}&sellerId=s7001&pageSize=100&page=${page}`, seller.token);
    seed003.push(...body.items.map((item: { id: bigint }) => BigInt(item.id)));
    if (page >= body._meta.pageCount) break;
  }
  assert.deepEqual(seed003.reverse(), order, 'seed 003 /chat-records/list');

  // Seed 004: the messages between the two users, newest first, paged by last_id.
  const seed004: bigint[] = [];
  for (let lastId: bigint = 0n; ; ) {
    const body = await get(
      `/api/platform?s=Platform.ChatMessage.GetMessageList&access_token=${member.token}&chat_message_to_uuid=${seller.user.uuid}&direction=up&perpage=100&last_id=${lastId}`,
      member.token,
    );
    assert.equal(body.ret, 200, stringifyJson(body));
    const items: { id: bigint }[] = body.data.items;
    seed004.push(...items.map((item) => BigInt(item.id)));
    if (items.length < 100) break;
    lastId = BigInt(items[items.length - 1].id);
  }
  assert.deepEqual(seed004.reverse(), order, 'seed 004 GetMessageList');
});
