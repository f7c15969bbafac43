// Edges of the live channel found by the fault tests, pinned in-process (fast, deterministic):
// a message stored while the backlog is pushed, in the same millisecond as the page before it,
// still arrives; a first message that is refused (socket or seed 003) leaves no empty chat behind;
// a client that Acks each message of a long backlog is not taken for a flood.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { inArray } from 'drizzle-orm';
import { db } from '@/server/db/client';
import { conversations } from '@/server/db/schema';
import { chatRecordCreate } from '@/server/compat/seed003/records';
import { findDirectConversationId, findShopConversationId, listConversations, openDirectConversation } from '@/server/domain/conversations';
import { sendMessage, sendMessages, undeliveredMessages } from '@/server/domain/messages';
import { createShop } from '@/server/domain/shops';
import { makeUserWithToken, useFreshStore } from '@/server/test-support';
import { SocketClient, signedInClient, startGateway } from '../ws/socket-client';

let gateway: Awaited<ReturnType<typeof startGateway>>;
const clients: SocketClient[] = [];

beforeEach(async () => {
  useFreshStore();
  gateway = await startGateway();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await gateway.stop();
});

test('a message stored during the backlog push, in the same millisecond as the page before it, arrives, in order', async () => {
  const reader = await makeUserWithToken('member', 'Reader');
  const early = await makeUserWithToken('member', 'Early');
  const late = await makeUserWithToken('member', 'Late');
  // The chat with the lower id gets the new messages; the other holds a backlog of more than a page.
  const quiet = openDirectConversation(early.user.id, reader.user.id);
  const busy = openDirectConversation(late.user.id, reader.user.id);
  // Both chats' last activity in the future: every message below gets that one timestamp.
  const sameMillisecond = Date.now() + 60_000;
  db().update(conversations).set({ updatedAt: sameMillisecond }).where(inArray(conversations.id, [quiet, busy])).run();
  sendMessages(Array.from({ length: 600 }, (_, i) => ({ senderId: late.user.id, conversationId: busy, type: 'text', content: `backlog ${i}` })));

  // One new message in the quiet chat at every turn of the event loop while the reader connects and the push runs.
  let sent = 0;
  let sending = true;
  const sendEachTurn = () => {
    if (!sending) return;
    sent += 1;
    sendMessage({ senderId: early.user.id, conversationId: quiet, type: 'text', content: `new ${sent}` });
    setImmediate(sendEachTurn);
  };
  setImmediate(sendEachTurn);
  const client = await signedInClient(gateway.url, reader.user.id, reader.token);
  clients.push(client);
  await client.waitFor(() => client.frames.filter((f) => f.cId === busy).length === 600, 10_000, 'the backlog');
  sending = false;
  const fromQuiet = () => client.frames.filter((f) => f.cId === quiet).map((f) => f.seq as number);
  await client.waitFor(() => fromQuiet().length === sent, 5_000, `all ${sent} new messages (got seqs ${fromQuiet().join(',')})`);
  assert.deepEqual(fromQuiet(), Array.from({ length: sent }, (_, i) => i + 1));
});

test('a refused first message to someone leaves no chat behind', async () => {
  const writer = await makeUserWithToken('member', 'Writer');
  const stranger = await makeUserWithToken('member', 'Stranger');
  const client = await signedInClient(gateway.url, writer.user.id, writer.token);
  clients.push(client);
  const id = 4_611_686_018_427_387_905n;
  client.send({ id, fromUserId: writer.user.id, toUserId: stranger.user.id, chatType: 'Single', msgType: 'Text', content: 'x'.repeat(16_001) });
  const refusal = await client.next((f) => f.msgType === 'Error');
  assert.equal(refusal.code, 400);
  assert.equal(refusal.srcId, id);
  assert.equal(findDirectConversationId(writer.user.id, stranger.user.id), null);
  assert.deepEqual(listConversations(writer.user.id), []);
  assert.deepEqual(listConversations(stranger.user.id), []);
});

test('a refused first chat record to a shop (seed 003) leaves no chat behind', async () => {
  const seller = await makeUserWithToken('seller', 'Seller');
  const member = await makeUserWithToken('member', 'Member');
  createShop(seller.user, { id: 's9001', name: 'Shop' });
  const fields = { memberId: String(member.user.id), sellerId: 's9001', messageType: 'RC:TxtMsg', cnt: 'x'.repeat(16_001) };
  const response = await chatRecordCreate(
    new Request('http://chat.test/chat-records/create', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${member.token}` },
      body: new URLSearchParams(fields).toString(),
    }),
  );
  const body = (await response.json()) as { result?: string; message?: string };
  assert.equal(body.result, 'error', JSON.stringify(body));
  assert.equal(findShopConversationId('s9001', member.user.id), null);
  assert.deepEqual(listConversations(member.user.id), []);
});

test('a client that Acks each message of a 3,000-message backlog as it arrives is not cut off for flooding', async () => {
  const reader = await makeUserWithToken('member', 'Reader');
  const writer = await makeUserWithToken('member', 'Writer');
  const chat = openDirectConversation(writer.user.id, reader.user.id);
  for (let page = 0; page < 6; page++) {
    sendMessages(Array.from({ length: 500 }, (_, i) => ({ senderId: writer.user.id, conversationId: chat, type: 'text', content: `offline ${page * 500 + i}` })));
  }
  const client = new SocketClient(gateway.url);
  clients.push(client);
  // As the web app and seed 002's clients do: every message frame is Acked at once.
  client.ws.on('message', (data) => {
    const id = /"id":(\d+)/.exec(data.toString())?.[1];
    if (data.toString().includes('"seq"')) client.send(`{"msgType":"Ack","content":"{\\"srcId\\":${id}}"}`);
  });
  await client.opened;
  client.send({ msgType: 'Auth', fromUserId: reader.user.id, content: reader.token });
  await client.waitFor(() => undeliveredMessages(reader.user.id).length === 0 || client.closeCode !== null, 20_000, 'every Ack to be recorded');
  assert.deepEqual(client.ofType('Error'), []);
  assert.equal(client.closeCode, null);
  assert.equal(client.frames.filter((f) => f.cId === chat).length, 3000);
});
