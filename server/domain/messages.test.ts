import assert from 'node:assert/strict';
import { beforeEach, mock, test } from 'node:test';
import { store } from '../db/client';
import { makeUser, useFreshStore } from '../test-support';
import { findDirectConversationId, listConversations, markConversationRead, openDirectConversation } from './conversations';
import { events } from './events';
import { nextMessageId } from './ids';
import { conversationHistory, markDelivered, messageUuid, sendMessage, sendMessages, undeliveredMessages, userMessages, type Message } from './messages';

beforeEach(() => {
  useFreshStore();
});

test('the same id sent again by its sender is stored once; by anyone else it is refused', async () => {
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  const id = 1268242042090295297n;
  const first = sendMessage({ senderId: alice.id, conversationId: chat, type: 'text', content: 'once', id });
  const again = sendMessage({ senderId: alice.id, conversationId: chat, type: 'text', content: 'once', id });
  assert.equal(first.duplicate, false);
  assert.equal(again.duplicate, true);
  assert.equal(again.message.seq, first.message.seq);
  assert.throws(() => sendMessage({ senderId: bob.id, conversationId: chat, type: 'text', content: 'mine?', id }), {
    code: 'CONFLICT',
  });
  assert.deepEqual(conversationHistory(bob.id, chat).messages.map((m) => m.content), ['once']);
});

test('a first message opens its chat in its own transaction: refused, it opens none; two at once open one', async () => {
  const [alice, bob, carol] = [await makeUser(), await makeUser(), await makeUser()];
  const taken = sendMessage({ senderId: carol.id, opens: { directWith: bob.id }, type: 'text', content: 'carol first' }).message.id;
  const [empty, clash, toNobody, toSelf] = sendMessages([
    { senderId: alice.id, opens: { directWith: bob.id }, type: 'text', content: '' },
    { senderId: alice.id, opens: { directWith: bob.id }, type: 'text', content: 'an id that is carol’s', id: taken },
    { senderId: alice.id, opens: { directWith: 999_999 }, type: 'text', content: 'to nobody' },
    { senderId: alice.id, opens: { directWith: alice.id }, type: 'text', content: 'to myself' },
  ]);
  assert.deepEqual(
    [empty, clash, toNobody, toSelf].map((outcome) => (outcome.ok ? 'stored' : outcome.error.code)),
    ['BAD_REQUEST', 'CONFLICT', 'NOT_FOUND', 'BAD_REQUEST'],
  );
  assert.equal(findDirectConversationId(alice.id, bob.id), null, 'no empty chat was left');
  assert.deepEqual(listConversations(alice.id), []);

  const outcomes = sendMessages(['one', 'two'].map((content) => ({ senderId: alice.id, opens: { directWith: bob.id }, type: 'text', content })));
  const chat = findDirectConversationId(alice.id, bob.id)!;
  assert.deepEqual(outcomes.map((outcome) => outcome.ok && outcome.message.conversationId), [chat, chat]);
  assert.deepEqual(conversationHistory(bob.id, chat).messages.map((m) => `${m.seq} ${m.content}`), ['1 one', '2 two']);
});

test('unknown types and empty or oversized content are refused and store nothing', async () => {
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  const send = (type: string, content: string) => () => sendMessage({ senderId: alice.id, conversationId: chat, type, content });
  assert.throws(send('RC:TxtMsg', 'dialect names are not canonical'), { code: 'BAD_REQUEST' });
  assert.throws(send('text', ''), { code: 'BAD_REQUEST' });
  assert.throws(send('text', 'x'.repeat(16_001)), { code: 'BAD_REQUEST' });
  assert.equal(conversationHistory(alice.id, chat).messages.length, 0);
  assert.equal(sendMessage({ senderId: alice.id, conversationId: chat, type: 'image', content: '/file/down/a.png' }).message.type, 'image');
});

test('generated ids are unique and increase with time', () => {
  useFreshStore();
  const ids = Array.from({ length: 10_000 }, () => nextMessageId());
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i] > ids[i - 1]);
  const now = BigInt(Date.now());
  const millis = (ids[0] >> 22n) + 1288834974657n;
  assert.ok(millis <= now && millis > now - 5000n, 'the id carries its creation time');
});

test('a message stays undelivered until its recipient Acks it, and each Ack is announced once', async () => {
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  const sent = ['a', 'b', 'c'].map((content) => sendMessage({ senderId: alice.id, conversationId: chat, type: 'text', content }).message);
  assert.deepEqual(undeliveredMessages(bob.id).map((m) => m.content), ['a', 'b', 'c']);
  assert.deepEqual(undeliveredMessages(alice.id), []);

  const announced: bigint[][] = [];
  const off = events().on('delivered', (event) => announced.push(event.messageIds));
  try {
    assert.deepEqual(markDelivered(alice.id, [sent[0].id]), [], 'only the recipient can Ack');
    assert.deepEqual(markDelivered(bob.id, [sent[0].id, sent[2].id]), [sent[0].id, sent[2].id]);
    assert.deepEqual(markDelivered(bob.id, [sent[0].id]), [], 'a second Ack changes nothing');
  } finally {
    off();
  }
  assert.deepEqual(announced, [[sent[0].id, sent[2].id]]);
  assert.deepEqual(undeliveredMessages(bob.id).map((m) => m.content), ['b']);
});

test('every stored message is announced on the event bus, duplicates are not', async () => {
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  const seen: string[] = [];
  const off = events().on('message', ({ message }) => seen.push(message.content));
  try {
    sendMessage({ senderId: alice.id, conversationId: chat, type: 'text', content: 'hello', id: 42n });
    sendMessage({ senderId: alice.id, conversationId: chat, type: 'text', content: 'hello', id: 42n });
    sendMessage({ senderId: bob.id, conversationId: chat, type: 'text', content: 'hi' });
  } finally {
    off();
  }
  assert.deepEqual(seen, ['hello', 'hi']);
});

test('a batch is one commit: refusals do not touch the others, and announcements come after the commit', async () => {
  const [alice, bob, carol] = [await makeUser(), await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  const announcedInTransaction: boolean[] = [];
  const off = events().on('message', () => announcedInTransaction.push(store().sqlite.inTransaction));
  try {
    const outcomes = sendMessages([
      { senderId: alice.id, conversationId: chat, type: 'text', content: 'first' },
      { senderId: alice.id, conversationId: chat, type: 'video', content: 'no such type' },
      { senderId: carol.id, conversationId: chat, type: 'text', content: 'not my chat' },
      { senderId: bob.id, conversationId: chat, type: 'text', content: 'second', recipientId: carol.id },
      { senderId: bob.id, conversationId: chat, type: 'text', content: 'second' },
    ]);
    assert.deepEqual(
      outcomes.map((o) => (o.ok ? o.message.content : o.error.code)),
      ['first', 'BAD_REQUEST', 'NOT_FOUND', 'BAD_REQUEST', 'second'],
    );
  } finally {
    off();
  }
  assert.deepEqual(announcedInTransaction, [false, false], 'each stored message announced once, after the commit');
  assert.deepEqual(conversationHistory(alice.id, chat).messages.map((m) => [m.seq, m.content]), [[1, 'first'], [2, 'second']]);
});

test('a clock stepping back does not date a message before the one it answers', async () => {
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  const first = sendMessage({ senderId: alice.id, conversationId: chat, type: 'text', content: 'now' }).message;
  const earlier = mock.method(Date, 'now', () => first.createdAt - 60_000);
  try {
    const reply = sendMessage({ senderId: bob.id, conversationId: chat, type: 'text', content: 'a minute ago?' }).message;
    assert.ok(reply.createdAt >= first.createdAt);
  } finally {
    earlier.mock.restore();
  }
  assert.deepEqual(undeliveredMessages(bob.id).map((m) => m.content), ['now']);
  assert.deepEqual(undeliveredMessages(alice.id).map((m) => m.content), ['a minute ago?']);
});

test('a message shows read by its recipient’s read point in that chat, not in any other chat of theirs', async () => {
  const [alice, bob, carol] = [await makeUser(), await makeUser(), await makeUser()];
  // Bob's chat with Carol comes first in his list of chats, and he has read all of it.
  const withCarol = openDirectConversation(bob.id, carol.id);
  sendMessage({ senderId: carol.id, conversationId: withCarol, type: 'text', content: 'one' });
  sendMessage({ senderId: carol.id, conversationId: withCarol, type: 'text', content: 'two' });
  markConversationRead(bob.id, withCarol);
  const withAlice = openDirectConversation(alice.id, bob.id);
  sendMessage({ senderId: alice.id, conversationId: withAlice, type: 'text', content: 'unread' });
  assert.deepEqual(conversationHistory(alice.id, withAlice).messages.map((m) => m.read), [false]);
  assert.deepEqual(userMessages(alice.id, { limit: 10, offset: 0 }).map((m) => m.read), [false]);
  markConversationRead(bob.id, withAlice);
  assert.deepEqual(conversationHistory(alice.id, withAlice).messages.map((m) => m.read), [true]);
  assert.deepEqual(conversationHistory(bob.id, withCarol).messages.map((m) => m.read), [true, true]);
});

test('a user’s messages come newest first across chats, sent and received alike, page after page', async () => {
  const [alice, bob, carol] = [await makeUser(), await makeUser(), await makeUser()];
  const withBob = openDirectConversation(alice.id, bob.id);
  const withCarol = openDirectConversation(alice.id, carol.id);
  const sent: Message[] = [];
  for (let i = 0; i < 9; i++) {
    const [senderId, conversationId] = [[alice.id, withBob], [bob.id, withBob], [carol.id, withCarol]][i % 3];
    sent.push(sendMessage({ senderId, conversationId, type: 'text', content: `m${i}` }).message);
  }
  // Newest first: by time, then chat, then seq (messages of one millisecond keep each chat's order).
  const newestFirst = (list: typeof sent) =>
    [...list].sort((a, b) => b.createdAt - a.createdAt || b.conversationId - a.conversationId || b.seq - a.seq).map((m) => m.content);
  const pages = [0, 4, 8].map((offset) => userMessages(alice.id, { limit: 4, offset }).map((m) => m.content));
  assert.deepEqual(pages.flat(), newestFirst(sent));
  assert.deepEqual(
    userMessages(bob.id, { limit: 10, offset: 0 }).map((m) => m.content),
    newestFirst(sent.filter((m) => m.conversationId === withBob)),
  );
});

test('a history page hands out each message whole, as it was sent and stored, with its read and delivered state', async () => {
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  const id = 2n ** 62n + 7n;
  const { message } = sendMessage({ id, senderId: alice.id, conversationId: chat, type: 'image', content: '/file/down/x' });
  markDelivered(bob.id, [id]);
  markConversationRead(bob.id, chat);
  const [listed] = conversationHistory(alice.id, chat).messages;
  const deliveredAt = listed.deliveredAt;
  assert.ok(typeof deliveredAt === 'number' && deliveredAt >= message.createdAt);
  // Key order too: tRPC writes the object as it is.
  assert.equal(JSON.stringify({ ...listed, id: String(listed.id) }), JSON.stringify({ ...message, id: String(id), deliveredAt, read: true }));
  assert.deepEqual(userMessages(alice.id, { limit: 1, offset: 0 }), [listed]);
});

test('a message’s 32-character uuid (seed 004) is the one it has always had: clients keep it', () => {
  // Written down from the first implementation (BigInt arithmetic on the SHA-256 digest).
  assert.equal(messageUuid(1n), 'vHPvu9DEhXnsN2qbqaklpuGO6gR1TW0D');
  assert.equal(messageUuid(2128499023479308854n), 'V6Nb6MxlMNR5lTKnjdDtrJA9wFAKo3oD');
  assert.equal(messageUuid(9223372036854775807n), 'pLL9AC7sYKmSOTfCfVfqKwEWQ80OYhlP');
  assert.match(messageUuid(42n), /^[A-Za-z0-9]{32}$/);
});
