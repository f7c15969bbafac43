// Seed 002's HTTP routes under /im, called through their handlers with real Requests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, test } from 'node:test';
import {
  chatList,
  clearUnread,
  deleteChat,
  freshMessageId,
  offlineMessages,
  pinChat,
  registerUser,
  uploadFile,
  userMessagePage,
} from '@/server/compat/seed002/http';
import { openDirectConversation, getConversation } from '@/server/domain/conversations';
import { events } from '@/server/domain/events';
import { sendMessage, undeliveredMessages } from '@/server/domain/messages';
import { useSettings } from '@/server/env';
import { parseJson } from '@/server/lib/json';
import { makeUserWithToken, useFreshStore } from '@/server/test-support';
import { assertSameShape } from './shape';

const example = parseJson(readFileSync('e2e/api/fixtures/seed002.example.json', 'utf8')) as Record<string, any>;

beforeEach(() => {
  useFreshStore();
});

function post(path: string, body: unknown, token?: string): Request {
  return new Request(`http://test/im${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function answer(response: Response): Promise<{ status: number; text: string; body: any }> {
  const text = await response.text();
  return { status: response.status, text, body: text ? parseJson(text) : undefined };
}

/** Two users with a chat where alice sent three messages to bob. */
async function chatWithMessages() {
  const alice = await makeUserWithToken();
  const bob = await makeUserWithToken();
  const chat = openDirectConversation(alice.user.id, bob.user.id);
  const sent = ['one', 'two', 'three'].map((content) => sendMessage({ senderId: alice.user.id, conversationId: chat, type: 'text', content }).message);
  return { alice, bob, chat, sent };
}

test('register returns the same userId for the same app identity, with a token that works', async () => {
  const first = await answer(await registerUser(post('/user/register', { company: 'ACME', app: 'shop', thirdUserId: 'u-1' })));
  assert.equal(first.status, 200);
  assertSameShape(first.body, example.register);
  const again = await answer(await registerUser(post('/user/register', { company: 'ACME', app: 'shop', thirdUserId: 'u-1' })));
  assert.equal(again.body.userId, first.body.userId);
  const other = await answer(await registerUser(post('/user/register', { company: 'ACME', app: 'shop', thirdUserId: 'u-2' })));
  assert.notEqual(other.body.userId, first.body.userId);

  const list = await answer(await chatList(post('/user/chat/list', { userId: first.body.userId }, first.body.token)));
  assert.equal(list.status, 200);
  assert.deepEqual(list.body, []);
  const missing = await answer(await registerUser(post('/user/register', { company: 'ACME', app: 'shop' })));
  assert.equal(missing.status, 500);
  assert.deepEqual(missing.body, { msg: 'thirdUserId is required (text of at most 128 characters)', code: 400 });
});

test('with CHAT_APP_SECRET set, register needs it as a Bearer token', async () => {
  const { dir } = useFreshStore();
  useSettings({ ...process.env, CHAT_DB_PATH: `${dir}/chat.db`, CHAT_UPLOAD_DIR: `${dir}/uploads`, CHAT_APP_SECRET: 's3cret' });
  try {
    const body = { company: 'ACME', app: 'shop', thirdUserId: 'u-1' };
    const refused = await answer(await registerUser(post('/user/register', body)));
    assert.deepEqual([refused.status, refused.body.code], [500, 401]);
    const wrong = await answer(await registerUser(post('/user/register', body, 'guess')));
    assert.equal(wrong.body.code, 401);
    const ok = await answer(await registerUser(post('/user/register', body, 's3cret')));
    assert.equal(ok.status, 200);
    assert.equal(typeof ok.body.userId, 'number');
  } finally {
    useFreshStore();
  }
});

test('user messages come newest first, in the seed’s shape, pages ending with a short one', async () => {
  const { bob, sent } = await chatWithMessages();
  const page1 = await answer(await userMessagePage(post('/message/user/get/page', { userId: bob.user.id, pageNum: 1, pageSize: 2 }, bob.token)));
  assert.equal(page1.status, 200);
  assert.deepEqual(page1.body.map((m: any) => m.content), ['three', 'two']);
  assertSameShape(page1.body, [example.message]);
  assert.equal(page1.body[0].stateEnum, 'Server');
  assert.equal(page1.body[0].fromUserId, sent[0].senderId);
  const page2 = await answer(await userMessagePage(post('/message/user/get/page', { userId: bob.user.id, pageNum: 2, pageSize: 2 }, bob.token)));
  assert.deepEqual(page2.body.map((m: any) => m.content), ['one']);
  const past = await answer(await userMessagePage(post('/message/user/get/page', { userId: bob.user.id, pageNum: 9, pageSize: 2 }, bob.token)));
  assert.deepEqual(past.body, []);
});

test('64-bit ids are written digit for digit', async () => {
  const { alice, bob, chat } = await chatWithMessages();
  sendMessage({ senderId: alice.user.id, conversationId: chat, type: 'image', content: '/file/down/x.png', id: 1268242042090295297n });
  const page = await answer(await userMessagePage(post('/message/user/get/page', { userId: bob.user.id, pageNum: 1, pageSize: 1 }, bob.token)));
  assert.match(page.text, /"id":1268242042090295297[,}]/);
  assert.equal(page.body[0].msgType, 'Image');
  const fresh = await answer(await freshMessageId(post('/message/get/id', {}, bob.token)));
  assertSameShape(fresh.body, example.messageId);
  assert.ok(fresh.body.id > 1268242042090295297n, 'fresh ids are later than the seed’s');
  assert.match(fresh.text, /^\{"id":\d{18,19}\}$/);
});

test('offline returns undelivered messages oldest first, once: answering them delivers them', async () => {
  const { bob } = await chatWithMessages();
  const offline = await answer(await offlineMessages(post('/message/offline', { userId: bob.user.id }, bob.token)));
  assert.deepEqual(offline.body.map((m: any) => m.content), ['one', 'two', 'three']);
  assert.ok(offline.body.every((m: any) => m.stateEnum === 'Server'));
  assertSameShape(offline.body, [example.message]);
  assert.deepEqual(undeliveredMessages(bob.user.id), []);
  const again = await answer(await offlineMessages(post('/message/offline', { userId: bob.user.id }, bob.token)));
  assert.deepEqual(again.body, []);
  const page = await answer(await userMessagePage(post('/message/user/get/page', { userId: bob.user.id, pageNum: 1, pageSize: 10 }, bob.token)));
  assert.ok(page.body.every((m: any) => m.stateEnum === 'Client'));
});

test('the chat list: pinned first, unread counts, last message; clear-unread, pin and delete act on it', async () => {
  const { alice, bob, chat } = await chatWithMessages();
  const carol = await makeUserWithToken();
  const other = openDirectConversation(carol.user.id, bob.user.id);
  sendMessage({ senderId: carol.user.id, conversationId: other, type: 'text', content: 'hey' });

  let list = await answer(await chatList(post('/user/chat/list', { userId: bob.user.id }, bob.token)));
  assert.deepEqual(list.body.map((c: any) => c.id), [other, chat]);
  assertSameShape(list.body, [example.chat]);
  assert.match(list.body[0].createTime, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  assert.equal(list.body[1].unReadCount, 3);
  assert.equal(list.body[1].lastMsgId.content, 'three');
  assert.equal(list.body[1].fromUserId, alice.user.id);

  const reads: number[] = [];
  const off = events().on('read', (event) => reads.push(event.peerId));
  const cleared = await clearUnread(post('/user/chat/clear/unread', { id: chat }, bob.token));
  off();
  assert.equal(cleared.status, 200);
  assert.equal(await cleared.text(), '');
  assert.deepEqual(reads, [alice.user.id], 'the peer is told');
  assert.equal(await (await pinChat(post('/user/chat/top', { id: chat, top: true }, bob.token))).text(), '');
  list = await answer(await chatList(post('/user/chat/list', { userId: bob.user.id }, bob.token)));
  assert.deepEqual(list.body.map((c: any) => [c.id, c.top, c.unReadCount]), [[chat, true, 0], [other, false, 1]]);

  assert.equal((await deleteChat(post('/user/chat/delete', { id: other }, bob.token))).status, 200);
  list = await answer(await chatList(post('/user/chat/list', { userId: bob.user.id }, bob.token)));
  assert.deepEqual(list.body.map((c: any) => c.id), [chat]);
  const carolList = await answer(await chatList(post('/user/chat/list', { userId: carol.user.id }, carol.token)));
  assert.deepEqual(carolList.body.map((c: any) => c.id), [other], 'deleting is for the caller only');
});

test('errors: HTTP 500 with {msg, code} telling the case, and nothing changes', async () => {
  const { alice, bob, chat } = await chatWithMessages();
  const cases: [Promise<Response>, number][] = [
    [chatList(post('/user/chat/list', { userId: bob.user.id })), 401],
    [chatList(post('/user/chat/list', { userId: bob.user.id }, 'not-a-token')), 401],
    [chatList(post('/user/chat/list', { userId: alice.user.id }, bob.token)), 403],
    [userMessagePage(post('/message/user/get/page', { userId: alice.user.id, pageNum: 1, pageSize: 10 }, bob.token)), 403],
    [offlineMessages(post('/message/offline', { userId: alice.user.id }, bob.token)), 403],
    [userMessagePage(post('/message/user/get/page', { userId: bob.user.id, pageNum: 0, pageSize: 10 }, bob.token)), 400],
    [userMessagePage(post('/message/user/get/page', { userId: bob.user.id, pageNum: 1, pageSize: 1000 }, bob.token)), 400],
    [userMessagePage(post('/message/user/get/page', { userId: bob.user.id, pageNum: 'x', pageSize: 10 }, bob.token)), 400],
    [chatList(post('/user/chat/list', '{"userId": ', bob.token)), 400],
    [chatList(post('/user/chat/list', '[1,2]', bob.token)), 400],
    [clearUnread(post('/user/chat/clear/unread', { id: 424242 }, bob.token)), 404],
    [pinChat(post('/user/chat/top', { id: chat, top: 'yes' }, bob.token)), 400],
    [deleteChat(post('/user/chat/delete', {}, bob.token)), 400],
  ];
  for (const [pending, code] of cases) {
    const { status, body } = await answer(await pending);
    assert.equal(status, 500);
    assert.equal(body.code, code, JSON.stringify(body));
    assertSameShape(body, example.error);
  }
  const mallory = await makeUserWithToken();
  for (const route of [clearUnread, deleteChat]) {
    const refused = await answer(await route(post('/user/chat/x', { id: chat }, mallory.token)));
    assert.deepEqual(refused.body, { msg: 'no such conversation', code: 404 }, 'someone else’s chat looks missing');
  }
  assert.equal(getConversation(bob.user.id, chat).unread, 3, 'nothing was read');
  assert.equal(getConversation(bob.user.id, chat).pinned, false);
});

test('upload stores a real image and answers /file/down/<name>; other bytes are refused', async () => {
  const { bob } = await chatWithMessages();
  const form = (bytes: Uint8Array<ArrayBuffer>) => {
    const data = new FormData();
    data.append('file', new Blob([bytes]), 'a.png');
    return new Request('http://test/im/file/upload', { method: 'POST', headers: { authorization: `Bearer ${bob.token}` }, body: data });
  };
  const ok = await answer(await uploadFile(form(new Uint8Array(readFileSync('public/demo/tea-field.png')))));
  assert.equal(ok.status, 200);
  assert.match(ok.body.url, /^\/file\/down\/[0-9a-f]{32}\.png$/);
  const refused = await answer(await uploadFile(form(new TextEncoder().encode('hello'))));
  assert.deepEqual([refused.status, refused.body.code], [500, 400]);
});
