// /ws in the real process, beside Next: messages stored through tRPC and through seed 003's
// route arrive live on the socket; the web app's cookie authenticates; foreign origins are
// refused; SIGTERM commits and Acks what was sent, then closes sockets with 1001.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import WebSocket from 'ws';
import type { AppRouter } from '@/server/trpc/root';
import { parseJson } from '@/server/lib/json';
import { startServer, type RunningServer } from '../server-process';
import { SocketClient, signedInClient, type Frame } from './socket-client';

let server: RunningServer;
const sockets: SocketClient[] = [];
before(async () => {
  server = await startServer();
});
after(async () => {
  for (const socket of sockets) socket.ws.terminate();
  await server?.stop('SIGKILL');
});

const wsUrl = (s: RunningServer) => `ws://127.0.0.1:${s.port}/ws`;

async function signIn(base: string, username: string): Promise<{ token: string; userId: number; uuid: string }> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo-pass-1' }),
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { token: string; user: { id: number; uuid: string } };
  return { token: body.token, userId: body.user.id, uuid: body.user.uuid };
}

async function live(s: RunningServer, account: { token: string; userId: number }): Promise<SocketClient> {
  const socket = await signedInClient(wsUrl(s), account.userId, account.token);
  sockets.push(socket);
  return socket;
}

function trpc(token: string) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${server.url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
  });
}

async function json(response: Promise<Response>): Promise<any> {
  const r = await response;
  const text = await r.text();
  assert.ok(r.ok, `${r.status} ${text}`);
  return parseJson(text);
}

test('a message posted through tRPC arrives live on the recipient’s socket, with its exact id', async () => {
  const alice = await signIn(server.url, 'alice');
  const bob = await signIn(server.url, 'bob');
  const bobSocket = await live(server, bob);
  const chat = await trpc(alice.token).conversations.openWithUser.mutate({ userId: bob.userId });
  const id = 1268242042090295297n;
  const sent = await trpc(alice.token).messages.send.mutate({ conversationId: chat.id, type: 'text', content: 'over tRPC', id });
  assert.equal(sent.id, id);
  const frame = await bobSocket.next((f) => f.msgType === 'Text' && f.content === 'over tRPC');
  assert.equal(frame.id, id);
  assert.equal(frame.fromUserId, alice.userId);
  assert.equal(frame.cId, chat.id);
});

test('a record created through seed 003 arrives on the seller’s socket and is listed by seeds 000, 001, 002 and 004', async () => {
  const member = await signIn(server.url, 'lilei');
  const seller = await signIn(server.url, 'teahouse');
  const sellerSocket = await live(server, seller);
  const bearer = { authorization: `Bearer ${member.token}` };
  const created = await json(
    fetch(`${server.url}/chat-records/create`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ memberId: String(member.userId), sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: '明前龙井还有吗？' }),
    }),
  );
  assert.equal(created.result, 'success');
  const frame = await sellerSocket.next((f) => f.msgType === 'Text' && f.content === '明前龙井还有吗？');
  assert.equal(frame.fromUserId, member.userId);
  assert.equal(frame.toUserId, seller.userId);
  const id: bigint | number = frame.id;

  const sellerAuth = { headers: { authorization: `Bearer ${seller.token}` } };
  const windows = await json(fetch(`${server.url}/api/chat?type=unread`, sellerAuth));
  assert.ok(windows.data.list.some((w: any) => w.messages.some((m: any) => m.id === id)), 'seed 000');
  const dialogs = await json(fetch(`${server.url}/api/dialog?include=dialogMessage`, sellerAuth));
  assert.ok(dialogs.data.some((d: any) => d.attributes.dialog_message_id === id), 'seed 001');
  const chats = await json(
    fetch(`${server.url}/im/user/chat/list`, { method: 'POST', headers: { ...sellerAuth.headers, 'content-type': 'application/json' }, body: JSON.stringify({ userId: seller.userId }) }),
  );
  assert.ok(chats.some((c: any) => c.lastMsgId?.id === id), 'seed 002');
  const platform = await json(
    fetch(`${server.url}/api/platform?s=Platform.ChatMessage.GetMessageList&access_token=${seller.token}&chat_message_to_uuid=${member.uuid}`),
  );
  assert.ok(platform.data.items.some((m: any) => m.id === id), 'seed 004');
});

test('the web app’s session cookie authenticates an Auth frame without a token; the app’s own origin is let in, others refused', async () => {
  const alice = await signIn(server.url, 'alice');
  const origin = `http://127.0.0.1:${server.port}`;
  const headers = { cookie: `chat_session=${alice.token}`, origin };
  const socket = new SocketClient(wsUrl(server), new WebSocket(wsUrl(server), { headers }));
  sockets.push(socket);
  await socket.opened;
  socket.send({ msgType: 'Auth', fromUserId: alice.userId });
  assert.deepEqual(await socket.next((f) => f.msgType === 'Auth'), { msgType: 'Auth', content: 'ok' });

  const foreign = new SocketClient(wsUrl(server), new WebSocket(wsUrl(server), { headers: { ...headers, origin: 'https://evil.example' } }));
  await assert.rejects(foreign.opened, /upgrade refused: 403/);
});

test('SIGTERM under load: what was Acked is stored, and sockets are closed with 1001', async () => {
  const own = await startServer();
  const alice = await signIn(own.url, 'alice');
  const bob = await signIn(own.url, 'bob');
  const socket = await live(own, alice);
  const first = 5_000_000_000_000_000_001n;
  for (let i = 0; i < 400; i++) {
    socket.send({ id: first + BigInt(i), fromUserId: alice.userId, toUserId: bob.userId, chatType: 'Single', msgType: 'Text', content: `burst ${i}` });
  }
  await socket.next((f) => f.msgType === 'Ack');
  const exitCode = own.stop('SIGTERM');
  assert.equal(await socket.closed(10_000), 1001);
  assert.equal(await exitCode, 0, own.output());
  const acked = socket.ofType('Ack').map((f: Frame) => BigInt((parseJson(f.content) as { srcId: bigint }).srcId));
  assert.ok(acked.length > 0);
  const store = new Database(own.dbPath, { readonly: true });
  store.defaultSafeIntegers(true);
  const stored = new Set((store.prepare('SELECT id FROM messages WHERE content LIKE ?').all('burst %') as { id: bigint }[]).map((row) => row.id));
  assert.equal(store.pragma('integrity_check', { simple: true }), 'ok');
  store.close();
  for (const id of acked) assert.ok(stored.has(id), `Acked ${id} is in the store`);
});
