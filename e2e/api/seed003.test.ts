// Seed 003's chat records (/chat-records/*), called through their handlers with real Requests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, mock, test } from 'node:test';
import {
  chatRecordChatList,
  chatRecordCreate,
  chatRecordDelete,
  chatRecordList,
} from '@/server/compat/seed003/records';
import { setUserStatus } from '@/server/domain/accounts';
import { findShopConversationId, openDirectConversation, openShopConversation } from '@/server/domain/conversations';
import { events } from '@/server/domain/events';
import { conversationMessages, getVisibleMessage, sendMessage } from '@/server/domain/messages';
import { createShop } from '@/server/domain/shops';
import { parseJson } from '@/server/lib/json';
import { makeUserWithToken, useFreshStore } from '@/server/test-support';
import { assertSameShape } from './shape';

const example = parseJson(readFileSync('e2e/api/fixtures/seed003.example.json', 'utf8')) as Record<string, any>;
const NOT_ALLOWED = 'You are not allowed to perform this action.';
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const BIG_ID = 1268242042090295297n;

beforeEach(() => {
  useFreshStore();
});

type Answer = { status: number; text: string; body: any; headers: Headers };

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, text, body: text ? parseJson(text) : undefined, headers: response.headers };
}

const auth = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

function getRequest(path: string, query: Record<string, string | number>, token?: string): Request {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return new Request(`http://chat.test:8080/chat-records/${path}?${search}`, { headers: auth(token) });
}

/** A form post, as Yii2's clients (jQuery, PHP curl) send by default. */
function formPost(path: string, fields: Record<string, string | number>, token?: string): Request {
  const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return new Request(`http://chat.test:8080/chat-records/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth(token) },
    body: body.toString(),
  });
}

function jsonPost(path: string, body: unknown, token?: string): Request {
  return new Request(`http://chat.test:8080/chat-records/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth(token) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const list = async (query: Record<string, string | number>, token?: string) => answer(await chatRecordList(getRequest('list', query, token)));
const chatList = async (query: Record<string, string | number>, token?: string) =>
  answer(await chatRecordChatList(getRequest('chat-list', query, token)));
const create = async (fields: Record<string, string | number>, token?: string) => answer(await chatRecordCreate(formPost('create', fields, token)));
const remove = async (fields: Record<string, string | number>, token?: string) => answer(await chatRecordDelete(formPost('delete', fields, token)));

/** A member, the seller of shop s1001 (and its logo), another seller with s2002, and a stranger. */
async function world() {
  const member = await makeUserWithToken('member', 'Alice');
  const seller = await makeUserWithToken('seller', 'Tea');
  const otherSeller = await makeUserWithToken('seller', 'Coffee');
  const stranger = await makeUserWithToken('member', 'Eve');
  const shop = createShop(seller.user, { id: 's1001', name: '清风茶舍 Breeze Tea', logo: '/demo/tea.svg' });
  const otherShop = createShop(otherSeller.user, { id: 's2002', name: 'Bean', logo: 'https://cdn.example/bean.png' });
  return { member, seller, otherSeller, stranger, shop, otherShop };
}

function assertYiiError(reply: Answer, status: number, name: string, message?: string): void {
  assert.equal(reply.status, status, reply.text);
  assertSameShape(reply.body, example.listError);
  assert.deepEqual(Object.keys(reply.body).sort(), ['code', 'message', 'name', 'status']);
  assert.equal(reply.body.name, name);
  assert.equal(reply.body.code, 0);
  assert.equal(reply.body.status, status);
  if (message !== undefined) assert.equal(reply.body.message, message);
  else assert.ok(reply.body.message.length > 0);
}

function assertActionError(reply: Answer, status: number, message?: string): void {
  assert.equal(reply.status, status, reply.text);
  assertSameShape(reply.body, example.actionError);
  assert.deepEqual(Object.keys(reply.body).sort(), ['message', 'result']);
  assert.equal(reply.body.result, 'error');
  if (message !== undefined) assert.equal(reply.body.message, message);
  else assert.ok(reply.body.message.length > 0);
}

/** What the store holds for the member's chat with s1001, as the member sees it. */
function storedRecords(memberId: number, shopId = 's1001') {
  const conversationId = findShopConversationId(shopId, memberId);
  if (conversationId === null) return [];
  return conversationMessages(memberId, conversationId, {}, { limit: 1000, offset: 0 }).messages;
}

test('a member writes to a shop, its seller answers through the same route, and both list the same records', async () => {
  const { member, seller } = await world();
  const asked = await create({ memberId: member.user.id, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: '在吗？' }, member.token);
  assert.equal(asked.status, 200);
  assertSameShape(asked.body, example.create);
  assert.equal(asked.body.result, 'success');

  // The seller answers with JSON, naming the member they answer.
  const answered = await answer(
    await chatRecordCreate(
      jsonPost('create', { memberId: member.user.id, sellerId: 's1001', messageType: 'RC:ImgMsg', cnt: 'https://cdn.example/menu.png' }, seller.token),
    ),
  );
  assert.equal(answered.status, 200, answered.text);
  assert.equal(answered.body.result, 'success');

  const query = { memberId: member.user.id, sellerId: 's1001' };
  const mine = await list(query, member.token);
  const theirs = await list(query, seller.token);
  assert.equal(mine.status, 200);
  assert.equal(theirs.status, 200);
  assertSameShape(mine.body, example.list);
  for (const item of mine.body.items) assert.deepEqual(Object.keys(item).sort(), Object.keys(example.list.items[0]).sort());

  // Newest first; member_id is the member whoever wrote; seller_id is the shop's id.
  assert.deepEqual(
    mine.body.items.map((i: any) => [i.cnt, i.messageType, i.member_id, i.seller_id]),
    [
      ['https://cdn.example/menu.png', 'RC:ImgMsg', member.user.id, 's1001'],
      ['在吗？', 'RC:TxtMsg', member.user.id, 's1001'],
    ],
  );
  for (const item of mine.body.items) assert.match(item.addtime, LOCAL_TIME);
  assert.deepEqual(theirs.body.items, mine.body.items, 'the seller sees the very same records, same ids');
  assert.deepEqual(mine.body._meta, { totalCount: 2, pageCount: 1, currentPage: 1, perPage: 50 });

  // The ids are the messages' own ids, the same in every face.
  const stored = storedRecords(member.user.id);
  assert.deepEqual(
    mine.body.items.map((i: any) => String(i.id)),
    stored.map((m) => String(m.id)),
  );
  assert.deepEqual(stored.map((m) => [m.type, m.senderId]), [
    ['image', seller.user.id],
    ['text', member.user.id],
  ]);
});

test('a record created here is announced on the event bus for the seller’s live sockets', async () => {
  const { member, seller } = await world();
  const heard: { recipientId: number; shopId: string | null; content: string }[] = [];
  const off = events().on('message', ({ message, shopId }) => heard.push({ recipientId: message.recipientId, shopId, content: message.content }));
  try {
    const created = await create({ memberId: member.user.id, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: 'hello' }, member.token);
    assert.equal(created.status, 200);
  } finally {
    off();
  }
  assert.deepEqual(heard, [{ recipientId: seller.user.id, shopId: 's1001', content: 'hello' }]);
});

test('chat-list: one element per shop the member wrote with, latest first, its last record with shop name and absolute logo', async () => {
  const { member, seller, otherSeller } = await world();
  await create({ memberId: member.user.id, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: 'tea?' }, member.token);
  await create({ memberId: member.user.id, sellerId: 's2002', messageType: 'RC:TxtMsg', cnt: 'coffee?' }, member.token);
  await new Promise((resolve) => setTimeout(resolve, 5));
  await create({ memberId: member.user.id, sellerId: 's1001', messageType: 'RC:LBSMsg', cnt: '{"lat":30.2,"lng":120.1}' }, seller.token);

  const reply = await chatList({ memberId: member.user.id }, member.token);
  assert.equal(reply.status, 200, reply.text);
  assert.ok(Array.isArray(reply.body));
  assertSameShape(reply.body, example.chatList);
  for (const item of reply.body) assert.deepEqual(Object.keys(item).sort(), Object.keys(example.chatList[0]).sort());
  assert.deepEqual(
    reply.body.map((i: any) => [i.seller_id, i.shop_name, i.logo, i.cnt, i.messageType, i.member_id]),
    [
      ['s1001', '清风茶舍 Breeze Tea', 'http://chat.test:8080/demo/tea.svg', '{"lat":30.2,"lng":120.1}', 'RC:LBSMsg', member.user.id],
      ['s2002', 'Bean', 'https://cdn.example/bean.png', 'coffee?', 'RC:TxtMsg', member.user.id],
    ],
  );
  const last = storedRecords(member.user.id)[0];
  assert.equal(String(reply.body[0].id), String(last.id));

  // A seller's own shops' chats are not shops they talked to as a member; a member with no chats gets [].
  const sellersOwn = await chatList({ memberId: otherSeller.user.id }, otherSeller.token);
  assert.deepEqual([sellersOwn.status, sellersOwn.body], [200, []]);
});

test('list pages: first, last and past the end, with Yii2 links that keep the query', async () => {
  const { member } = await world();
  for (let i = 1; i <= 5; i++) {
    const reply = await create({ memberId: member.user.id, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: `m${i}` }, member.token);
    assert.equal(reply.status, 200);
  }
  const base = { memberId: member.user.id, sellerId: 's1001', pageSize: 2 };
  const href = (page: number) => `http://chat.test:8080/chat-records/list?memberId=${member.user.id}&sellerId=s1001&pageSize=2&page=${page}`;

  const first = await list(base, member.token);
  assert.deepEqual(first.body.items.map((i: any) => i.cnt), ['m5', 'm4']);
  assert.deepEqual(first.body._meta, { totalCount: 5, pageCount: 3, currentPage: 1, perPage: 2 });
  assert.deepEqual(first.body._links, { self: { href: href(1) }, first: { href: href(1) }, last: { href: href(3) }, next: { href: href(2) } });

  const middle = await list({ ...base, page: 2 }, member.token);
  assert.deepEqual(middle.body.items.map((i: any) => i.cnt), ['m3', 'm2']);
  assert.deepEqual(Object.keys(middle.body._links).sort(), ['first', 'last', 'next', 'prev', 'self']);
  assert.equal(middle.body._links.prev.href, href(1));

  const last = await list({ ...base, page: 3 }, member.token);
  assert.deepEqual(last.body.items.map((i: any) => i.cnt), ['m1']);
  assert.deepEqual(last.body._meta, { totalCount: 5, pageCount: 3, currentPage: 3, perPage: 2 });
  assert.deepEqual(last.body._links, { self: { href: href(3) }, first: { href: href(1) }, last: { href: href(3) }, prev: { href: href(2) } });

  const past = await list({ ...base, page: 9 }, member.token);
  assert.equal(past.status, 200);
  assert.deepEqual(past.body.items, []);
  assert.deepEqual(past.body._meta, { totalCount: 5, pageCount: 3, currentPage: 9, perPage: 2 });
  assert.equal(past.body._links.next, undefined);
  assert.equal(past.body._links.prev.href, href(3), 'prev leads back to the last page with records');

  // The default page size is 50; a query's other parameters survive in the links.
  const all = await list({ memberId: member.user.id, sellerId: 's1001', messageType: 'RC:TxtMsg' }, member.token);
  assert.equal(all.body.items.length, 5);
  assert.equal(all.body._meta.perPage, 50);
  assert.equal(all.body._links.self.href, `http://chat.test:8080/chat-records/list?memberId=${member.user.id}&sellerId=s1001&messageType=RC%3ATxtMsg&page=1`);

  // A chat with no records: one empty page.
  const none = await list({ memberId: member.user.id, sellerId: 's2002' }, member.token);
  assert.deepEqual(none.body.items, []);
  assert.deepEqual(none.body._meta, { totalCount: 0, pageCount: 0, currentPage: 1, perPage: 50 });
  assert.deepEqual(Object.keys(none.body._links).sort(), ['first', 'last', 'self']);
  assert.equal(findShopConversationId('s2002', member.user.id), null, 'listing never opens a chat');

  for (const [name, value] of [
    ['pageSize', 0],
    ['pageSize', 101],
    ['pageSize', 'ten'],
    ['page', 0],
    ['page', -1],
    ['page', 1.5],
    ['page', '1e3'],
    ['page', '99999999999999999999'],
  ] as const) {
    assertYiiError(await list({ ...base, [name]: value }, member.token), 400, 'Bad Request');
  }
});

test('list filters: startTime and endTime (local time or epoch seconds), messageType and id', async () => {
  const { member, seller } = await world();
  // 2024-08-01 10:00:00 in Shanghai (CHAT_TIMEZONE's default) is 02:00:00 UTC.
  const at = (hh: number, mm: number, ss: number, ms = 0) => Date.UTC(2024, 7, 1, hh - 8, mm, ss, ms);
  // The chat is opened on that morning too: a message is never dated before its chat's last activity.
  const opening = mock.method(Date, 'now', () => at(9, 0, 0));
  const conversationId = openShopConversation(member.user.id, 's1001');
  opening.mock.restore();
  const plan = [
    { time: at(10, 0, 0), type: 'text', content: 'ten' },
    { time: at(11, 0, 0), type: 'image', content: 'https://cdn.example/eleven.png' },
    { time: at(12, 0, 0, 500), type: 'text', content: 'noon and a half second' },
    { time: at(13, 0, 0), type: 'text', content: 'one' },
  ] as const;
  const ids: bigint[] = [];
  for (const { time, type, content } of plan) {
    const now = mock.method(Date, 'now', () => time);
    try {
      const sender = ids.length % 2 === 0 ? member.user.id : seller.user.id;
      ids.push(sendMessage({ senderId: sender, conversationId, type, content }).message.id);
    } finally {
      now.mock.restore();
    }
  }
  const base = { memberId: member.user.id, sellerId: 's1001' };
  const contents = async (query: Record<string, string | number>) => {
    const reply = await list({ ...base, ...query }, member.token);
    assert.equal(reply.status, 200, reply.text);
    return reply.body.items.map((i: any) => i.cnt);
  };

  const all = await list(base, member.token);
  assert.deepEqual(all.body.items.map((i: any) => i.addtime), ['2024-08-01 13:00:00', '2024-08-01 12:00:00', '2024-08-01 11:00:00', '2024-08-01 10:00:00']);

  assert.deepEqual(await contents({ startTime: '2024-08-01 11:00:00' }), ['one', 'noon and a half second', 'https://cdn.example/eleven.png']);
  // endTime names a whole second: 12:00:00 includes the record at 12:00:00.500.
  assert.deepEqual(await contents({ endTime: '2024-08-01 12:00:00' }), ['noon and a half second', 'https://cdn.example/eleven.png', 'ten']);
  assert.deepEqual(await contents({ startTime: '2024-08-01 10:30:00', endTime: '2024-08-01 12:59:59' }), [
    'noon and a half second',
    'https://cdn.example/eleven.png',
  ]);
  // Epoch seconds mean the same instants.
  assert.deepEqual(await contents({ startTime: at(11, 0, 0) / 1000, endTime: at(12, 0, 0) / 1000 }), [
    'noon and a half second',
    'https://cdn.example/eleven.png',
  ]);
  assert.deepEqual(await contents({ startTime: '2024-08-02 00:00:00' }), []);

  assert.deepEqual(await contents({ messageType: 'RC:ImgMsg' }), ['https://cdn.example/eleven.png']);
  assert.deepEqual(await contents({ messageType: 'RC:VcMsg' }), []);
  assert.deepEqual(await contents({ messageType: 'RC:TxtMsg', startTime: '2024-08-01 12:00:00' }), ['one', 'noon and a half second']);

  const one = await list({ ...base, id: String(ids[1]) }, member.token);
  assert.deepEqual(one.body.items.map((i: any) => String(i.id)), [String(ids[1])]);
  assert.equal(one.body._meta.totalCount, 1);

  const badTimes: Record<string, string>[] = [{ startTime: 'yesterday' }, { endTime: '2024-02-30 10:00:00' }, { startTime: '2024-08-01' }, { endTime: '-5' }];
  for (const bad of badTimes) {
    assertYiiError(await list({ ...base, ...bad }, member.token), 400, 'Bad Request');
  }
  assertYiiError(await list({ ...base, messageType: 'text' }, member.token), 400, 'Bad Request', 'unknown messageType: text');
  assertYiiError(await list({ ...base, messageType: 'RC:Nope' }, member.token), 400, 'Bad Request');
  assertYiiError(await list({ ...base, id: 'abc' }, member.token), 400, 'Bad Request', 'id must be a positive integer');
});

test('ids above 2^53 are written digit for digit and accepted back as the id filter and for delete', async () => {
  const { member, seller } = await world();
  const conversationId = openShopConversation(member.user.id, 's1001');
  sendMessage({ senderId: seller.user.id, conversationId, type: 'text', content: 'big', id: BIG_ID });
  sendMessage({ senderId: member.user.id, conversationId, type: 'text', content: 'after' });

  const reply = await list({ memberId: member.user.id, sellerId: 's1001' }, member.token);
  assert.match(reply.text, /"id":1268242042090295297,/);
  const chats = await chatList({ memberId: member.user.id }, member.token);
  assert.doesNotMatch(chats.text, /1268242042090295297/, 'the chat-list shows the last record, not the big one');

  const byId = await list({ memberId: member.user.id, sellerId: 's1001', id: '1268242042090295297' }, member.token);
  assert.match(byId.text, /"items":\[\{"id":1268242042090295297,"seller_id":"s1001"/);
  assert.equal(byId.body._meta.totalCount, 1);
  // One less is another id: no float rounding on the way in.
  const neighbour = await list({ memberId: member.user.id, sellerId: 's1001', id: '1268242042090295296' }, member.token);
  assert.deepEqual(neighbour.body.items, []);

  // A JSON body with the id as a bare number deletes exactly that record.
  const deleted = await answer(await chatRecordDelete(jsonPost('delete', `{"memberId": ${member.user.id}, "id": 1268242042090295297}`, member.token)));
  assert.equal(deleted.status, 200, deleted.text);
  assert.deepEqual(storedRecords(member.user.id).map((m) => m.content), ['after']);
});

test('delete removes a record for the member only; the seller still lists it', async () => {
  const { member, seller } = await world();
  await create({ memberId: member.user.id, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: 'keep' }, member.token);
  await create({ memberId: member.user.id, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: 'oops' }, member.token);
  const query = { memberId: member.user.id, sellerId: 's1001' };
  const oops = (await list(query, member.token)).body.items[0];
  assert.equal(oops.cnt, 'oops');

  const reply = await remove({ memberId: member.user.id, id: String(oops.id) }, member.token);
  assert.equal(reply.status, 200, reply.text);
  assertSameShape(reply.body, example.delete);
  assert.equal(reply.body.result, 'success');

  assert.deepEqual((await list(query, member.token)).body.items.map((i: any) => i.cnt), ['keep']);
  assert.deepEqual((await list(query, seller.token)).body.items.map((i: any) => i.cnt), ['oops', 'keep']);
  // Deleting it again: it is gone for this member.
  assertActionError(await remove({ memberId: member.user.id, id: String(oops.id) }, member.token), 404);

  // A one-to-one message is not a chat record: this route does not delete it.
  const direct = openDirectConversation(member.user.id, seller.user.id);
  const note = sendMessage({ senderId: member.user.id, conversationId: direct, type: 'text', content: 'not a record' }).message;
  assertActionError(await remove({ memberId: member.user.id, id: String(note.id) }, member.token), 404, 'no such message');
  assert.equal(getVisibleMessage(member.user.id, note.id).content, 'not a record');
});

test('every documented parameter is checked: missing, wrong type, unknown message type', async () => {
  const { member } = await world();
  const me = member.user.id;
  const listCases: Record<string, string | number>[] = [{}, { memberId: me }, { sellerId: 's1001' }, { memberId: 'abc', sellerId: 's1001' }, { memberId: 1.5, sellerId: 's1001' }, { memberId: -3, sellerId: 's1001' }];
  for (const query of listCases) assertYiiError(await list(query, member.token), 400, 'Bad Request');
  assertYiiError(await list({ sellerId: 's1001' }, member.token), 400, 'Bad Request', 'memberId is required');
  assertYiiError(await list({ memberId: me }, member.token), 400, 'Bad Request', 'sellerId is required');

  const full = { memberId: me, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: 'hi' };
  for (const field of Object.keys(full)) {
    const { [field]: _, ...missing } = full as Record<string, string | number>;
    assertActionError(await create(missing, member.token), 400, `${field} is required`);
  }
  assertActionError(await create({ ...full, cnt: '' }, member.token), 400, 'cnt is required');
  assertActionError(await create({ ...full, messageType: 'TxtMsg' }, member.token), 400, 'unknown messageType: TxtMsg');
  assertActionError(await create({ ...full, messageType: 'text' }, member.token), 400);
  assertActionError(await create({ ...full, memberId: 'me' }, member.token), 400, 'memberId must be a positive integer');
  const objectContent = await answer(await chatRecordCreate(jsonPost('create', { ...full, cnt: { text: 'hi' } }, member.token)));
  assertActionError(objectContent, 400, 'cnt must be a string');
  const brokenJson = await answer(await chatRecordCreate(jsonPost('create', '{"memberId": 1,', member.token)));
  assertActionError(brokenJson, 400, 'the body is not valid JSON');
  assertActionError(await create({ ...full, sellerId: 's9999' }, member.token), 404, 'no such shop');

  assertActionError(await remove({ id: '1' }, member.token), 400, 'memberId is required');
  assertActionError(await remove({ memberId: me }, member.token), 400, 'id is required');
  assertActionError(await remove({ memberId: me, id: 'x1' }, member.token), 400, 'id must be a positive integer');
  assertActionError(await remove({ memberId: me, id: '0' }, member.token), 400);

  assertYiiError(await chatList({}, member.token), 400, 'Bad Request', 'memberId is required');
  assertYiiError(await chatList({ memberId: 'x' }, member.token), 400, 'Bad Request');
  assert.deepEqual(storedRecords(me), [], 'no failed call stored anything');
});

test('no token or a bad one is a 401 in each route’s shape; a banned user is a 403', async () => {
  const { member } = await world();
  const me = member.user.id;
  const query = { memberId: me, sellerId: 's1001' };
  const full = { ...query, messageType: 'RC:TxtMsg', cnt: 'hi' };

  const anonymous = await list(query);
  assertYiiError(anonymous, 401, 'Unauthorized');
  assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="api"');
  assertYiiError(await list(query, 'not-a-token'), 401, 'Unauthorized');
  assertYiiError(await chatList({ memberId: me }), 401, 'Unauthorized');
  assertActionError(await create(full), 401);
  assertActionError(await create(full, 'not-a-token'), 401);
  assertActionError(await remove({ memberId: me, id: '1' }), 401);

  setUserStatus(me, 'banned');
  assertYiiError(await list(query, member.token), 403, 'Forbidden', 'this account is banned');
  assertYiiError(await chatList({ memberId: me }, member.token), 403, 'Forbidden');
  assertActionError(await create(full, member.token), 403, 'this account is banned');
  assertActionError(await remove({ memberId: me, id: '1' }, member.token), 403);
  assert.deepEqual(storedRecords(me), []);
});

test('another member’s memberId, someone else’s shop and someone else’s record are refused, and nothing changes', async () => {
  const { member, seller, otherSeller, stranger } = await world();
  await create({ memberId: member.user.id, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: 'private' }, member.token);
  const before = storedRecords(member.user.id).map((m) => [String(m.id), m.content]);
  const record = before[0][0];
  const query = { memberId: member.user.id, sellerId: 's1001' };

  // A stranger naming the member, and a seller naming a shop that is not theirs (or that does not exist): the same words.
  for (const [token, sellerId] of [
    [stranger.token, 's1001'],
    [otherSeller.token, 's1001'],
    [stranger.token, 's9999'],
    [seller.token, 's2002'],
  ] as const) {
    const refused = await list({ memberId: member.user.id, sellerId }, token);
    assertYiiError(refused, 403, 'Forbidden', NOT_ALLOWED);
    assert.doesNotMatch(refused.text, /private/);
    assertActionError(await create({ memberId: member.user.id, sellerId, messageType: 'RC:TxtMsg', cnt: 'injected' }, token), 403, NOT_ALLOWED);
  }
  // Someone else's memberId in delete and chat-list, even with the right record id.
  assertActionError(await remove({ memberId: member.user.id, id: record }, stranger.token), 403, NOT_ALLOWED);
  assertActionError(await remove({ memberId: member.user.id, id: record }, seller.token), 403, NOT_ALLOWED);
  const theirList = await chatList({ memberId: member.user.id }, stranger.token);
  assertYiiError(theirList, 403, 'Forbidden', NOT_ALLOWED);
  assert.doesNotMatch(theirList.text, /private|s1001/);

  // Someone else's record under one's own memberId: as unknown as an id that does not exist.
  const foreign = await remove({ memberId: stranger.user.id, id: record }, stranger.token);
  const missing = await remove({ memberId: stranger.user.id, id: '123456789' }, stranger.token);
  assertActionError(foreign, 404);
  assert.deepEqual(foreign.body, missing.body);
  // And as an id filter in one's own chat with the shop it matches nothing.
  const filtered = await list({ memberId: stranger.user.id, sellerId: 's1001', id: record }, stranger.token);
  assert.deepEqual([filtered.status, filtered.body.items], [200, []]);

  assert.deepEqual(storedRecords(member.user.id).map((m) => [String(m.id), m.content]), before, 'the store is unchanged');
  assert.equal(findShopConversationId('s1001', stranger.user.id), null);
  assert.equal(findShopConversationId('s2002', member.user.id), null);
  const sellerView = await list(query, seller.token);
  assert.deepEqual(sellerView.body.items.map((i: any) => i.cnt), ['private']);
});

test('a seller cannot write to their own shop as its member, and can open a chat with a member who has not written yet', async () => {
  const { member, seller } = await world();
  assertActionError(
    await create({ memberId: seller.user.id, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: 'me to me' }, seller.token),
    400,
  );
  const first = await create({ memberId: member.user.id, sellerId: 's1001', messageType: 'RC:InfoNtf', cnt: 'welcome' }, seller.token);
  assert.equal(first.status, 200, first.text);
  const mine = await list({ memberId: member.user.id, sellerId: 's1001' }, member.token);
  assert.deepEqual(mine.body.items.map((i: any) => [i.cnt, i.messageType]), [['welcome', 'RC:InfoNtf']]);
  assertActionError(
    await create({ memberId: 987654, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: 'anyone?' }, seller.token),
    404,
  );
});
