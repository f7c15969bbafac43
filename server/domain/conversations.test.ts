import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { makeUser, useFreshStore } from '../test-support';
import {
  getConversation,
  hideConversation,
  listConversationHeads,
  listConversations,
  markConversationRead,
  openDirectConversation,
  openShopConversation,
  setConversationPinned,
} from './conversations';
import { DomainError } from './errors';
import { events } from './events';
import { conversationHistory, deleteMessageForMe, markDelivered, sendMessage } from './messages';
import { requireParticipant } from './participants';
import { createShop } from './shops';

beforeEach(() => {
  useFreshStore();
});

const text = (senderId: number, conversationId: number, content: string) =>
  sendMessage({ senderId, conversationId, type: 'text', content }).message;

const unreadOf = (userId: number, conversationId: number) => getConversation(userId, conversationId).unread;

test('unread counts the peer’s messages after the read point, and never one’s own', async () => {
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  text(alice.id, chat, 'one');
  text(alice.id, chat, 'two');
  text(alice.id, chat, 'three');
  assert.equal(unreadOf(bob.id, chat), 3);
  assert.equal(unreadOf(alice.id, chat), 0);

  markConversationRead(bob.id, chat, 1);
  assert.equal(unreadOf(bob.id, chat), 2, 'reading up to seq 1 leaves seq 2 and 3 unread');
  markConversationRead(bob.id, chat);
  assert.equal(unreadOf(bob.id, chat), 0);
  markConversationRead(bob.id, chat, 1);
  assert.equal(getConversation(bob.id, chat).readSeq, 3, 'the read point never moves back');

  text(alice.id, chat, 'four');
  assert.equal(unreadOf(bob.id, chat), 1);
});

test('replying reads what came before, and the peer is told once', async () => {
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  text(alice.id, chat, 'one');
  text(alice.id, chat, 'two');
  const reads: { readerId: number; readSeq: number }[] = [];
  const off = events().on('read', ({ readerId, readSeq }) => reads.push({ readerId, readSeq }));
  try {
    text(bob.id, chat, 'reply');
    text(bob.id, chat, 'and another');
  } finally {
    off();
  }
  assert.equal(unreadOf(bob.id, chat), 0);
  assert.equal(unreadOf(alice.id, chat), 2);
  assert.equal(getConversation(alice.id, chat).peerReadSeq, 4, 'alice sees her messages read');
  assert.deepEqual(reads, [{ readerId: bob.id, readSeq: 3 }], 'only the reply that passed her messages is a read');
});

test('a message deleted by its recipient no longer counts as unread for them', async () => {
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  const first = text(alice.id, chat, 'first');
  text(alice.id, chat, 'second');
  deleteMessageForMe(bob.id, first.id);
  assert.equal(unreadOf(bob.id, chat), 1);
  assert.deepEqual(conversationHistory(bob.id, chat).messages.map((m) => m.content), ['second']);
  assert.deepEqual(conversationHistory(alice.id, chat).messages.map((m) => m.content), ['first', 'second'], 'the sender keeps it');
  assert.equal(getConversation(bob.id, chat).lastMessage?.content, 'second');
});

test('a hidden chat leaves the list until a newer message arrives; pinned chats come first', async () => {
  const [alice, bob, carol] = [await makeUser(), await makeUser(), await makeUser()];
  const withBob = openDirectConversation(alice.id, bob.id);
  const withCarol = openDirectConversation(alice.id, carol.id);
  text(bob.id, withBob, 'hi from bob');
  text(carol.id, withCarol, 'hi from carol');
  assert.deepEqual(listConversations(alice.id).map((c) => c.id), [withCarol, withBob], 'latest activity first');

  setConversationPinned(alice.id, withBob, true);
  assert.deepEqual(listConversations(alice.id).map((c) => c.id), [withBob, withCarol]);

  hideConversation(alice.id, withCarol);
  assert.deepEqual(listConversations(alice.id).map((c) => c.id), [withBob]);
  assert.equal(unreadOf(alice.id, withCarol), 1, 'hiding does not read');
  text(carol.id, withCarol, 'are you there?');
  assert.deepEqual(listConversations(alice.id).map((c) => c.id), [withBob, withCarol]);
  assert.equal(unreadOf(alice.id, withCarol), 2);
});

test('messages get gap-free sequence numbers in send order, and history pages both ways', async () => {
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  for (let i = 1; i <= 25; i++) text(i % 2 ? alice.id : bob.id, chat, `m${i}`);

  const newest = conversationHistory(alice.id, chat, { limit: 10 });
  assert.deepEqual(newest.messages.map((m) => m.seq), [16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
  assert.equal(newest.hasMore, true);
  const older = conversationHistory(alice.id, chat, { beforeSeq: 16, limit: 10 });
  assert.deepEqual(older.messages.map((m) => m.content), ['m6', 'm7', 'm8', 'm9', 'm10', 'm11', 'm12', 'm13', 'm14', 'm15']);
  const oldest = conversationHistory(alice.id, chat, { beforeSeq: 6, limit: 10 });
  assert.deepEqual(oldest.messages.map((m) => m.seq), [1, 2, 3, 4, 5]);
  assert.equal(oldest.hasMore, false);
  const newer = conversationHistory(alice.id, chat, { afterSeq: 20, limit: 3 });
  assert.deepEqual(newer.messages.map((m) => m.seq), [21, 22, 23]);
  assert.equal(newer.hasMore, true);
});

test('one conversation per pair of users, and per shop', async () => {
  const [alice, bob, seller] = [await makeUser(), await makeUser(), await makeUser('seller')];
  assert.equal(openDirectConversation(alice.id, bob.id), openDirectConversation(bob.id, alice.id));
  createShop(seller, { id: 's1', name: 'Tea' });
  createShop(seller, { id: 's2', name: 'Books' });
  const tea = getConversation(alice.id, openShopConversation(alice.id, 's1'));
  assert.equal(openShopConversation(alice.id, 's1'), tea.id);
  assert.notEqual(openShopConversation(alice.id, 's2'), tea.id);
  assert.equal(tea.peer.id, seller.id, 'a member writing to a shop talks to its seller');
  assert.equal(tea.shop?.name, 'Tea');

  text(alice.id, tea.id, 'do you have green tea?');
  const sellerView = getConversation(seller.id, tea.id);
  assert.equal(sellerView.peer.id, alice.id);
  assert.equal(sellerView.unread, 1);
  assert.throws(() => openShopConversation(seller.id, 's1'), { code: 'BAD_REQUEST' });
});

test('a user who does not take part in a conversation can neither read nor change it', async () => {
  const [alice, bob, mallory] = [await makeUser(), await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  const secret = text(alice.id, chat, 'secret');
  const notFound = { code: 'NOT_FOUND', message: 'no such conversation' };
  assert.throws(() => conversationHistory(mallory.id, chat), notFound);
  assert.throws(() => getConversation(mallory.id, chat), notFound);
  assert.throws(() => markConversationRead(mallory.id, chat), notFound);
  assert.throws(() => setConversationPinned(mallory.id, chat, true), notFound);
  assert.throws(() => hideConversation(mallory.id, chat), notFound);
  assert.throws(() => text(mallory.id, chat, 'hi'), notFound);
  assert.throws(() => conversationHistory(mallory.id, 999_999), notFound, 'a missing id answers the same');
  assert.throws(() => deleteMessageForMe(mallory.id, secret.id), { code: 'NOT_FOUND' });
  assert.equal(listConversations(mallory.id).length, 0);
  assert.equal(conversationHistory(bob.id, chat).messages.length, 1, 'nothing changed');
});

test('reads are announced to the peer once, when the read point moves', async () => {
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  text(alice.id, chat, 'hello');
  const seen: unknown[] = [];
  const off = events().on('read', (event) => seen.push(event));
  try {
    markConversationRead(bob.id, chat);
    markConversationRead(bob.id, chat);
  } finally {
    off();
  }
  assert.equal(seen.length, 1);
  assert.deepEqual({ ...(seen[0] as object), readAt: 0 }, { conversationId: chat, readerId: bob.id, peerId: alice.id, readSeq: 1, readAt: 0 });
});

test('an empty chat shows only in the list of the user who opened it', async () => {
  const [alice, bob] = [await makeUser(), await makeUser()];
  const chat = openDirectConversation(alice.id, bob.id);
  assert.deepEqual(listConversations(alice.id).map((c) => c.id), [chat]);
  assert.deepEqual(listConversations(bob.id), []);
  text(alice.id, chat, 'hi');
  assert.deepEqual(listConversations(bob.id).map((c) => c.id), [chat]);
});

test('domain errors carry codes', async () => {
  const alice = await makeUser();
  assert.throws(() => openDirectConversation(alice.id, alice.id), (e) => e instanceof DomainError && e.code === 'BAD_REQUEST');
  assert.throws(() => openDirectConversation(alice.id, 424242), { code: 'NOT_FOUND' });
});

test('a summary carries the whole chat as its user sees it: peer, shop, last visible message, read points', async () => {
  const [alice, seller] = [await makeUser(), await makeUser('seller', 'Tea seller')];
  const shop = createShop(seller, { id: 's1', name: 'Tea' });
  const chat = openShopConversation(alice.id, 's1');
  const question = text(alice.id, chat, 'green tea?');
  markDelivered(seller.id, [question.id]);
  const answer = text(seller.id, chat, 'yes');
  const extra = text(seller.id, chat, 'and oolong');
  deleteMessageForMe(alice.id, extra.id);
  const summary = getConversation(alice.id, chat);
  const conversation = requireParticipant(alice.id, chat);
  const expected = {
    id: chat,
    fromId: alice.id,
    toId: seller.id,
    lastMessage: answer,
    lastSeq: 3,
    unread: 1,
    pinned: false,
    readSeq: 1,
    readAt: question.createdAt,
    createdAt: conversation.createdAt,
    updatedAt: extra.createdAt,
    shop,
    peer: seller,
    peerReadSeq: 3,
    peerReadAt: extra.createdAt,
  };
  // Key order too: tRPC and the dialects write the object as it is.
  assert.deepEqual(summary, expected);
  assert.deepEqual(Object.keys(summary), Object.keys(expected));
  assert.deepEqual(listConversations(alice.id), [summary]);
  // The head is the same chat without the other party.
  const { shop: _shop, peer: _peer, peerReadSeq: _peerReadSeq, peerReadAt: _peerReadAt, ...head } = expected;
  assert.deepEqual(listConversationHeads(alice.id), [head]);
  assert.deepEqual(Object.keys(listConversationHeads(alice.id)[0]), Object.keys(head));
  assert.deepEqual(listConversations(seller.id)[0].lastMessage, extra, 'the seller did not delete it');
});
