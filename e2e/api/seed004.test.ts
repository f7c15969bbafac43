// Seed 004's PhalApi service Platform.ChatMessage.GetMessageList, called through the /api/platform handler.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, test } from 'node:test';
import { platform } from '@/server/compat/seed004/platform';
import { setUserStatus } from '@/server/domain/accounts';
import { markConversationRead, openDirectConversation, openShopConversation } from '@/server/domain/conversations';
import { deleteMessageForMe, messageUuid, sendMessage } from '@/server/domain/messages';
import { createShop } from '@/server/domain/shops';
import { parseJson } from '@/server/lib/json';
import { makeUserWithToken, useFreshStore } from '@/server/test-support';
import { assertSameShape } from './shape';

const example = parseJson(readFileSync('e2e/api/fixtures/seed004.example.json', 'utf8')) as Record<string, any>;
// PhalApi adds `debug` only in debug mode (the seed's example was taken with it on); clients never rely on it.
const { debug: _debug, ...exampleAnswer } = example;
const SERVICE = 'Platform.ChatMessage.GetMessageList';
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const BIG_ID = 1268242042090295297n;

beforeEach(() => {
  useFreshStore();
});

type Answer = { status: number; text: string; body: any };

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, text, body: parseJson(text) };
}

/** GET as the seed's curl and jQuery examples: everything in the query string, the token as `access_token`. */
async function get(params: Record<string, string | number | undefined>): Promise<Answer> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ s: SERVICE, ...params })) if (value !== undefined) query.set(key, String(value));
  return answer(await platform(new Request(`http://chat.test/api/platform?${query}`)));
}

/** Two users with a one-to-one chat: alice sent m1, bob m2, alice m3, bob m4, alice m5. */
async function chat() {
  const alice = await makeUserWithToken('member', 'Alice');
  const bob = await makeUserWithToken('member', 'Bob');
  const conversationId = openDirectConversation(alice.user.id, bob.user.id);
  const ids: bigint[] = [];
  for (let i = 1; i <= 5; i++) {
    const senderId = i % 2 === 1 ? alice.user.id : bob.user.id;
    ids.push(sendMessage({ senderId, conversationId, type: 'text', content: `m${i}` }).message.id);
  }
  return { alice, bob, conversationId, ids };
}

function assertError(reply: Answer, ret: number, msg?: RegExp): void {
  assert.equal(reply.status, 200, 'PhalApi answers HTTP 200 and tells the case in ret');
  assert.deepEqual(Object.keys(reply.body).sort(), ['data', 'msg', 'ret']);
  assert.equal(reply.body.ret, ret, reply.text);
  assert.deepEqual(reply.body.data, {});
  assert.equal(typeof reply.body.msg, 'string');
  assert.ok(reply.body.msg.length > 0);
  if (msg) assert.match(reply.body.msg, msg);
}

const contents = (reply: Answer) => reply.body.data.items.map((i: any) => i.chat_message_data);

test('the newest messages come first, shaped as the seed’s example, seen from each side', async () => {
  const { alice, bob, conversationId, ids } = await chat();
  // Each reply read what came before it; bob's last message alice has not read yet.
  ids.push(sendMessage({ senderId: bob.user.id, conversationId, type: 'text', content: 'm6' }).message.id);
  markConversationRead(bob.user.id, conversationId);

  const reply = await get({ access_token: alice.token, chat_message_to_uuid: bob.user.uuid });
  assert.equal(reply.status, 200);
  assertSameShape(reply.body, exampleAnswer);
  assert.deepEqual(Object.keys(reply.body).sort(), ['data', 'msg', 'ret']);
  assert.equal(reply.body.ret, 200);
  assert.equal(reply.body.msg, '');
  const items = reply.body.data.items;
  for (const item of items) assert.deepEqual(Object.keys(item).sort(), Object.keys(exampleAnswer.data.items[0]).sort());
  assert.deepEqual(contents(reply), ['m6', 'm5', 'm4', 'm3', 'm2', 'm1']);
  assert.deepEqual(
    items.map((i: any) => [i.chat_message_io, i.chat_message_is_read]),
    [
      ['out', 0], // bob sent it, alice has not read it
      ['in', 1], // alice sent it, bob read it
      ['out', 1], // alice's reply m5 read it
      ['in', 1],
      ['out', 1],
      ['in', 1],
    ],
  );
  for (const [n, item] of items.entries()) {
    assert.equal(String(item.id), String(ids[5 - n]));
    assert.equal(item.uuid, messageUuid(ids[5 - n]));
    assert.match(item.uuid, /^[A-Za-z0-9]{32}$/);
    assert.equal(item.chat_message_to_uuid, bob.user.uuid, 'the other user, whichever way the message went');
    assert.equal(item.chat_message_type, 'text');
    assert.match(item.add_time, LOCAL_TIME);
  }

  // Bob's view of the same chat: the io flips, the uuid names alice.
  const theirs = await get({ access_token: bob.token, chat_message_to_uuid: alice.user.uuid, perpage: 2 });
  assert.deepEqual(
    theirs.body.data.items.map((i: any) => [i.chat_message_data, i.chat_message_io, i.chat_message_to_uuid, i.uuid]),
    [
      ['m6', 'in', alice.user.uuid, messageUuid(ids[5])],
      ['m5', 'out', alice.user.uuid, messageUuid(ids[4])],
    ],
  );
});

test('POST with a form, JSON or multipart body, the token as Bearer, the service as `service`, all answer the same', async () => {
  const { alice, bob } = await chat();
  const expected = (await get({ access_token: alice.token, chat_message_to_uuid: bob.user.uuid, perpage: 3 })).text;
  const fields = { service: SERVICE, chat_message_to_uuid: bob.user.uuid, last_id: '0', direction: 'up', perpage: '3' };

  const form = await answer(
    await platform(
      new Request('http://chat.test/api/platform', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${alice.token}` },
        body: new URLSearchParams(fields).toString(),
      }),
    ),
  );
  assert.equal(form.text, expected);

  const json = await answer(
    await platform(
      new Request(`http://chat.test/api/platform?s=${SERVICE}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ access_token: alice.token, chat_message_to_uuid: bob.user.uuid, last_id: 0, perpage: 3 }),
      }),
    ),
  );
  assert.equal(json.text, expected);

  const multipart = new FormData();
  for (const [key, value] of Object.entries({ ...fields, access_token: alice.token })) multipart.append(key, value);
  const viaMultipart = await answer(await platform(new Request('http://chat.test/api/platform', { method: 'POST', body: multipart })));
  assert.equal(viaMultipart.text, expected);
});

test('last_id with direction: up is older and newest first, down is newer and oldest first; perpage limits both', async () => {
  const { alice, bob, ids } = await chat();
  const ask = (params: Record<string, string | number | undefined>) =>
    get({ access_token: alice.token, chat_message_to_uuid: bob.user.uuid, ...params });

  assert.deepEqual(contents(await ask({ last_id: String(ids[3]), direction: 'up' })), ['m3', 'm2', 'm1']);
  assert.deepEqual(contents(await ask({ last_id: String(ids[3]) })), ['m3', 'm2', 'm1'], 'up when direction is absent');
  assert.deepEqual(contents(await ask({ last_id: String(ids[3]), direction: 'up', perpage: 2 })), ['m3', 'm2']);
  assert.deepEqual(contents(await ask({ last_id: String(ids[1]), direction: 'down' })), ['m3', 'm4', 'm5']);
  assert.deepEqual(contents(await ask({ last_id: String(ids[1]), direction: 'down', perpage: 1 })), ['m3']);
  assert.deepEqual(contents(await ask({ last_id: 0, direction: 'down', perpage: 2 })), ['m1', 'm2'], 'down from 0: the oldest first');
  assert.deepEqual(contents(await ask({ last_id: 0, direction: 'up', perpage: 2 })), ['m5', 'm4'], 'up from 0: the newest');
  assert.deepEqual(contents(await ask({ last_id: String(ids[0]), direction: 'up' })), [], 'nothing older than the first');
  assert.deepEqual(contents(await ask({ last_id: String(ids[4]), direction: 'down' })), [], 'nothing newer than the last');
  assert.equal((await ask({ perpage: 100 })).body.data.items.length, 5);

  // Paging up to the end, as a client scrolling back does.
  const seen: string[] = [];
  let lastId: string | number = 0;
  for (;;) {
    const page = await ask({ last_id: lastId, direction: 'up', perpage: 2 });
    if (page.body.data.items.length === 0) break;
    seen.push(...contents(page));
    lastId = String(page.body.data.items.at(-1).id);
  }
  assert.deepEqual(seen, ['m5', 'm4', 'm3', 'm2', 'm1']);

  // A message deleted by the caller is gone from their list but still a valid cursor.
  deleteMessageForMe(alice.user.id, ids[2]);
  assert.deepEqual(contents(await ask({ last_id: String(ids[2]), direction: 'down' })), ['m4', 'm5']);
  assert.deepEqual(contents(await ask({})), ['m5', 'm4', 'm2', 'm1']);
});

test('ids above 2^53: written digit for digit, and taken back exactly as last_id', async () => {
  const alice = await makeUserWithToken();
  const bob = await makeUserWithToken();
  const conversationId = openDirectConversation(alice.user.id, bob.user.id);
  sendMessage({ senderId: alice.user.id, conversationId, type: 'text', content: 'before' });
  sendMessage({ senderId: bob.user.id, conversationId, type: 'image', content: 'https://cdn.example/big.png', id: BIG_ID });
  sendMessage({ senderId: alice.user.id, conversationId, type: 'text', content: 'after' });
  const base = { access_token: alice.token, chat_message_to_uuid: bob.user.uuid };

  const reply = await get(base);
  assert.match(reply.text, /\{"id":1268242042090295297,"uuid":"[A-Za-z0-9]{32}","chat_message_to_uuid":"[A-Za-z0-9]{32}","chat_message_type":"image"/);
  assert.equal(reply.body.data.items[1].uuid, messageUuid(BIG_ID));

  assert.deepEqual(contents(await get({ ...base, last_id: '1268242042090295297', direction: 'down' })), ['after']);
  assert.deepEqual(contents(await get({ ...base, last_id: '1268242042090295297', direction: 'up' })), ['before']);
  // The same id as a bare JSON number in a POST body.
  const json = await answer(
    await platform(
      new Request('http://chat.test/api/platform', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"s":"${SERVICE}","access_token":"${alice.token}","chat_message_to_uuid":"${bob.user.uuid}","last_id":1268242042090295297,"direction":"down"}`,
      }),
    ),
  );
  assert.deepEqual(contents(json), ['after']);
  // Its float neighbour (what a rounded parse would give) is not a message of this chat.
  assertError(await get({ ...base, last_id: '1268242042090295296' }), 400, /last_id/);
});

test('no chat yet, or no such user: empty items; a last_id then is a bad request', async () => {
  const alice = await makeUserWithToken();
  const carol = await makeUserWithToken();
  for (const uuid of [carol.user.uuid, 'Z'.repeat(32)]) {
    const reply = await get({ access_token: alice.token, chat_message_to_uuid: uuid });
    assert.deepEqual(reply.body, { ret: 200, data: { items: [] }, msg: '' });
    assertError(await get({ access_token: alice.token, chat_message_to_uuid: uuid, last_id: 5 }), 400, /last_id/);
  }
});

test('messages through a shop and one-to-one are one list with that user, in time order both ways', async () => {
  const member = await makeUserWithToken('member');
  const seller = await makeUserWithToken('seller');
  createShop(seller.user, { id: 's1001', name: 'Tea' });
  const shopChat = openShopConversation(member.user.id, 's1001');
  const direct = openDirectConversation(member.user.id, seller.user.id);
  const say = async (senderId: number, conversationId: number, content: string) => {
    await new Promise((resolve) => setTimeout(resolve, 3)); // each a few milliseconds after the last
    return sendMessage({ senderId, conversationId, type: 'text', content }).message.id;
  };
  const ids = [
    await say(member.user.id, shopChat, 'to the shop'),
    await say(seller.user.id, direct, 'a direct hello'),
    await say(seller.user.id, shopChat, 'the shop answers'),
    await say(member.user.id, direct, 'a direct reply'),
  ];
  const newest = await get({ access_token: member.token, chat_message_to_uuid: seller.user.uuid, perpage: 3 });
  assert.deepEqual(
    newest.body.data.items.map((item: { chat_message_data: string }) => item.chat_message_data),
    ['a direct reply', 'the shop answers', 'a direct hello'],
  );
  const older = await get({ access_token: member.token, chat_message_to_uuid: seller.user.uuid, last_id: String(ids[1]), direction: 'up' });
  assert.deepEqual(older.body.data.items.map((item: { chat_message_data: string }) => item.chat_message_data), ['to the shop']);
  const newer = await get({ access_token: seller.token, chat_message_to_uuid: member.user.uuid, last_id: String(ids[0]), direction: 'down', perpage: 2 });
  assert.deepEqual(
    newer.body.data.items.map((item: { chat_message_data: string; chat_message_io: string }) => [item.chat_message_data, item.chat_message_io]),
    [['a direct hello', 'in'], ['the shop answers', 'in']],
  );
});

test('the service: unknown is ret 404, absent is PhalApi’s default service (also 404), malformed is 400', async () => {
  const { alice, bob } = await chat();
  const params = { access_token: alice.token, chat_message_to_uuid: bob.user.uuid };
  assertError(await get({ ...params, s: 'Platform.ChatMessage.GetMessageListx' }), 404, /no such service as Platform\.ChatMessage\.GetMessageListx/);
  assertError(await get({ ...params, s: 'Platform.ChatMessage.DeleteMessage' }), 404);
  assertError(await get({ ...params, s: 'ChatMessage.GetMessageList' }), 404, /App\.ChatMessage\.GetMessageList/);
  assertError(await get({ ...params, s: undefined }), 404, /App\.Site\.Index/);
  assertError(await get({ ...params, s: 'GetMessageList' }), 400, /illegal/);
  assertError(await get({ ...params, s: 'Platform..GetMessageList' }), 400, /illegal/);
  // `service` wins over `s`, as in PhalApi.
  const both = await get({ ...params, s: 'Nope.Nope.Nope', service: SERVICE });
  assert.equal(both.body.ret, 200);
});

test('every parameter is checked: uuid, last_id, direction and perpage', async () => {
  const { alice, bob, ids } = await chat();
  const base = { access_token: alice.token, chat_message_to_uuid: bob.user.uuid };
  assertError(await get({ access_token: alice.token }), 400, /chat_message_to_uuid/);
  for (const uuid of [bob.user.uuid.slice(1), `${bob.user.uuid}x`, `${bob.user.uuid.slice(1)}-`, ' '.repeat(32)]) {
    assertError(await get({ ...base, chat_message_to_uuid: uuid }), 400, /chat_message_to_uuid/);
  }
  for (const lastId of ['-1', 'abc', '1.5', '1e3', '99999999999999999999', '9223372036854775808']) {
    assertError(await get({ ...base, last_id: lastId }), 400, /last_id/);
  }
  for (const direction of ['sideways', 'UP', 'left']) {
    assertError(await get({ ...base, direction }), 400, /direction/);
  }
  for (const perpage of ['0', '101', '-1', 'ten', '2.5']) {
    assertError(await get({ ...base, perpage }), 400, /perpage/);
  }
  // A message of another chat is no cursor for this one.
  const carol = await makeUserWithToken();
  const other = openDirectConversation(alice.user.id, carol.user.id);
  const elsewhere = sendMessage({ senderId: carol.user.id, conversationId: other, type: 'text', content: 'not yours' }).message.id;
  const crossed = await get({ ...base, last_id: String(elsewhere) });
  assertError(crossed, 400, /last_id/);
  assert.doesNotMatch(crossed.text, /not yours/);
  assert.equal((await get({ ...base, last_id: String(ids[2]) })).body.ret, 200);
});

test('a bad or missing token is ret 406, a banned user ret 408', async () => {
  const { alice, bob } = await chat();
  assertError(await get({ chat_message_to_uuid: bob.user.uuid }), 406);
  assertError(await get({ access_token: 'forged-token', chat_message_to_uuid: bob.user.uuid }), 406);
  const bearerForged = await answer(
    await platform(
      new Request(`http://chat.test/api/platform?s=${SERVICE}&chat_message_to_uuid=${bob.user.uuid}`, {
        headers: { authorization: 'Bearer forged-token' },
      }),
    ),
  );
  assertError(bearerForged, 406);

  setUserStatus(alice.user.id, 'banned');
  const banned = await get({ access_token: alice.token, chat_message_to_uuid: bob.user.uuid });
  assertError(banned, 408);
  assert.doesNotMatch(banned.text, /m\d/);
  // Bob, not banned, still reads the chat.
  assert.deepEqual(contents(await get({ access_token: bob.token, chat_message_to_uuid: alice.user.uuid })), ['m5', 'm4', 'm3', 'm2', 'm1']);
});
