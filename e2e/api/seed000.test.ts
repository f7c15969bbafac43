// Seed 000, GET /api/chat: the handler the route mounts, called with real Requests, checked
// against the seed's own example and against what its clients read.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, test } from 'node:test';
import { chatWindows } from '@/server/compat/seed000/chat';
import { isoUtc } from '@/server/compat/time';
import { createSession } from '@/server/domain/accounts';
import { getConversation, markConversationRead, openDirectConversation, openShopConversation } from '@/server/domain/conversations';
import { deleteMessageForMe, sendMessage } from '@/server/domain/messages';
import { createShop } from '@/server/domain/shops';
import { createUser, recordLogin } from '@/server/domain/users';
import { parseJson } from '@/server/lib/json';
import { makeUser, makeUserWithToken, useFreshStore } from '@/server/test-support';
import { assertSameShape } from './shape';

const example = parseJson(readFileSync('e2e/api/fixtures/seed000.example.json', 'utf8')) as Record<string, any>;

beforeEach(() => {
  useFreshStore();
});

async function getChat(query: string, token?: string) {
  const response = await chatWindows(
    new Request(`http://test/api/chat${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
  );
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), text, body: parseJson(text) as any };
}

const say = (senderId: number, conversationId: number, content: string, id?: bigint) =>
  sendMessage({ senderId, conversationId, type: 'text', content, id }).message;

test('the answer has every key and value type of the seed’s example, envelope to message', async () => {
  const alice = await makeUserWithToken('member', 'Alice');
  const [bob, carol] = [await makeUser(), await makeUser()];
  const withBob = openDirectConversation(alice.user.id, bob.id);
  say(alice.user.id, withBob, 'hello');
  say(bob.id, withBob, 'hi');
  openDirectConversation(alice.user.id, carol.id); // a window without messages: afterMessage null

  const { status, contentType, body } = await getChat('?type=all', alice.token);
  assert.equal(status, 200);
  assert.match(contentType ?? '', /^application\/json/);
  // The example shows afterMessage as null in one window and a string in the next.
  assertSameShape(body, example, { nullOrString: ['afterMessage'] });
  assert.equal(body.data.list.length, 2);
  for (const window of body.data.list) {
    assert.deepEqual(Object.keys(window).sort(), Object.keys(example.data.list[0]).sort(), 'no key the seed lacks');
    assert.deepEqual(Object.keys(window.user).sort(), ['id', 'image', 'nickname', 'userName']);
  }
  const withMessages = body.data.list.find((window: { messages: unknown[] }) => window.messages.length > 0);
  assert.equal(withMessages.messages.length, 2, 'the messages were compared too');
  assert.deepEqual(Object.keys(withMessages.messages[0]).sort(), Object.keys(example.data.list[0].messages[0]).sort());
});

test('windows: latest activity first, the other party as user, messages oldest first with read state and sender', async () => {
  const alice = await makeUserWithToken('member', 'Alice');
  const bob = await makeUser('member', 'Bob');
  const carol = await createUser({ username: 'carol', nickname: 'Carol', role: 'member', avatar: '/file/down/carol.png' });
  const withCarol = openDirectConversation(carol.id, alice.user.id); // carol opened it: fromId carol
  const withBob = openDirectConversation(alice.user.id, bob.id);
  const first = say(alice.user.id, withBob, 'one');
  const second = say(bob.id, withBob, 'two');
  markConversationRead(bob.id, withBob);
  const third = say(carol.id, withCarol, 'from carol'); // newest activity: carol's window comes first

  const { body } = await getChat('?type=all', alice.token);
  assert.deepEqual(body, {
    code: 0,
    msg: 'sucess',
    data: {
      page: 1,
      pageSize: 10,
      total: 2,
      list: [
        {
          id: withCarol,
          afterMessage: 'from carol',
          fromId: carol.id,
          toId: alice.user.id,
          created_at: isoUtc(third.createdAt),
          messages: [
            {
              id: third.id,
              message: 'from carol',
              status: false,
              fromId: carol.id,
              toId: alice.user.id,
              belong: carol.id,
              cId: withCarol,
              created_at: isoUtc(third.createdAt),
            },
          ],
          user: { id: carol.id, userName: 'carol', nickname: 'Carol', image: 'http://test/file/down/carol.png' },
        },
        {
          id: withBob,
          afterMessage: 'two',
          fromId: alice.user.id,
          toId: bob.id,
          created_at: isoUtc(second.createdAt),
          messages: [
            {
              id: first.id,
              message: 'one',
              status: true,
              fromId: alice.user.id,
              toId: bob.id,
              belong: alice.user.id,
              cId: withBob,
              created_at: isoUtc(first.createdAt),
            },
            {
              id: second.id,
              message: 'two',
              status: false,
              fromId: bob.id,
              toId: alice.user.id,
              belong: bob.id,
              cId: withBob,
              created_at: isoUtc(second.createdAt),
            },
          ],
          user: { id: bob.id, userName: bob.username, nickname: 'Bob', image: '' },
        },
      ],
    },
  });
  assert.match(body.data.list[0].created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
});

test('a window embeds its latest 20 messages, oldest first; a window without messages has afterMessage null', async () => {
  const alice = await makeUserWithToken();
  const [bob, carol] = [await makeUser(), await makeUser()];
  const empty = getConversation(alice.user.id, openDirectConversation(alice.user.id, carol.id));
  const chat = openDirectConversation(alice.user.id, bob.id);
  for (let i = 1; i <= 25; i++) say(i % 2 ? alice.user.id : bob.id, chat, `m${i}`);

  const { body } = await getChat('?type=all', alice.token);
  const [busy, quiet] = body.data.list;
  assert.deepEqual(
    busy.messages.map((m: { message: string }) => m.message),
    Array.from({ length: 20 }, (_, i) => `m${i + 6}`),
  );
  assert.equal(busy.afterMessage, 'm25');
  assert.equal(quiet.id, empty.id);
  assert.equal(quiet.afterMessage, null);
  assert.deepEqual(quiet.messages, []);
  assert.equal(quiet.created_at, isoUtc(empty.createdAt));
});

test('a message the caller deleted leaves their window; the other party still sees it', async () => {
  const alice = await makeUserWithToken();
  const bob = await makeUserWithToken();
  const chat = openDirectConversation(alice.user.id, bob.user.id);
  say(alice.user.id, chat, 'keep');
  const gone = say(bob.user.id, chat, 'oops');
  deleteMessageForMe(alice.user.id, gone.id);

  const mine = (await getChat('?type=all', alice.token)).body.data.list[0];
  assert.deepEqual(mine.messages.map((m: { message: string }) => m.message), ['keep']);
  assert.equal(mine.afterMessage, 'keep');
  const theirs = (await getChat('?type=all', bob.token)).body.data.list[0];
  assert.deepEqual(theirs.messages.map((m: { message: string }) => m.message), ['keep', 'oops']);
});

test('type=unread lists only windows with messages the caller has not read', async () => {
  const alice = await makeUserWithToken();
  const [bob, carol, dave] = [await makeUser(), await makeUser(), await makeUser()];
  const fromBob = openDirectConversation(bob.id, alice.user.id);
  say(bob.id, fromBob, 'unread for alice');
  const toCarol = openDirectConversation(alice.user.id, carol.id);
  say(alice.user.id, toCarol, 'alice’s own message is never unread for her');
  const readDave = openDirectConversation(dave.id, alice.user.id);
  say(dave.id, readDave, 'already read');
  markConversationRead(alice.user.id, readDave);

  const unread = await getChat('?type=unread', alice.token);
  assert.equal(unread.body.data.total, 1);
  assert.deepEqual(unread.body.data.list.map((w: { id: number }) => w.id), [fromBob]);
  const all = await getChat('?type=all', alice.token);
  assert.equal(all.body.data.total, 3);

  markConversationRead(alice.user.id, fromBob);
  assert.equal(getConversation(alice.user.id, fromBob).unread, 0);
  const none = await getChat('?type=unread', alice.token);
  assert.deepEqual(none.body.data, { page: 1, pageSize: 10, total: 0, list: [] });
});

test('pages: first, last and past the end keep the total; pageSize bounds', async () => {
  const alice = await makeUserWithToken();
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) {
    const other = await makeUser();
    const chat = openDirectConversation(alice.user.id, other.id);
    say(other.id, chat, `hello ${i}`);
    ids.unshift(chat); // the newest activity comes first
  }
  const page = async (query: string) => (await getChat(query, alice.token)).body.data;

  const first = await page('?type=all&page=1&pageSize=2');
  assert.deepEqual({ ...first, list: first.list.map((w: { id: number }) => w.id) }, { page: 1, pageSize: 2, total: 5, list: ids.slice(0, 2) });
  const middle = await page('?type=all&page=2&pageSize=2');
  assert.deepEqual(middle.list.map((w: { id: number }) => w.id), ids.slice(2, 4));
  const last = await page('?type=all&page=3&pageSize=2');
  assert.deepEqual(last.list.map((w: { id: number }) => w.id), ids.slice(4));
  assert.equal(last.total, 5);
  const past = await page('?type=all&page=4&pageSize=2');
  assert.deepEqual(past, { page: 4, pageSize: 2, total: 5, list: [] });

  const defaults = await page('?type=all');
  assert.equal(defaults.page, 1);
  assert.equal(defaults.pageSize, 10);
  assert.equal(defaults.list.length, 5);
  const widest = await page('?type=all&pageSize=100');
  assert.equal(widest.pageSize, 100);
  const blank = await page('?type=all&page=&pageSize=');
  assert.deepEqual([blank.page, blank.pageSize], [1, 10], 'an empty field is the default');
});

test('bad parameters answer 400 in the seed’s envelope: the status as code, data null', async () => {
  const alice = await makeUserWithToken();
  const bad = [
    '',
    '?type=',
    '?type=ALL',
    '?type=read',
    '?type=all&page=0',
    '?type=all&page=-1',
    '?type=all&page=1.5',
    '?type=all&page=abc',
    '?type=all&page=1e3',
    '?type=all&page=1000001',
    '?type=all&page=99999999999999999999',
    '?type=all&pageSize=0',
    '?type=all&pageSize=101',
    '?type=all&pageSize=-5',
    '?type=all&pageSize=ten',
  ];
  for (const query of bad) {
    const { status, body } = await getChat(query, alice.token);
    assert.equal(status, 400, query);
    assert.equal(body.code, 400, query);
    assert.equal(body.data, null, query);
    assert.equal(typeof body.msg, 'string', query);
    assert.ok(body.msg.length > 0, query);
    assert.deepEqual(Object.keys(body).sort(), ['code', 'data', 'msg'], query);
  }
  assert.match((await getChat('?type=all&pageSize=101', alice.token)).body.msg, /pageSize/);
  assert.match((await getChat('?type=chat', alice.token)).body.msg, /type/);
});

test('no token, or a token that is not valid, is a 401 in the seed’s envelope', async () => {
  for (const token of [undefined, 'not-a-token']) {
    const { status, body } = await getChat('?type=all', token);
    assert.equal(status, 401);
    assert.equal(body.code, 401);
    assert.equal(body.data, null);
    assert.equal(typeof body.msg, 'string');
  }
  const noTokenBadType = await getChat('?type=nonsense');
  assert.equal(noTokenBadType.status, 401, 'the caller is checked before the parameters');
});

test('the caller sees only their own windows, and nothing private of the other party', async () => {
  const alice = await makeUserWithToken();
  const bob = await createUser({ username: 'bob', role: 'member', ip: '203.0.113.7' });
  recordLogin(bob.id, '198.51.100.9');
  const [dave, erin] = [await makeUser(), await makeUser()];
  const theirs = openDirectConversation(dave.id, erin.id);
  say(dave.id, theirs, 'private between dave and erin');
  const mine = openDirectConversation(alice.user.id, bob.id);
  say(bob.id, mine, 'hi alice');

  const { body, text } = await getChat('?type=all', alice.token);
  assert.equal(body.data.total, 1);
  assert.deepEqual(body.data.list.map((w: { id: number }) => w.id), [mine]);
  assert.ok(!text.includes('private between dave and erin'));
  assert.ok(!text.includes('203.0.113.7') && !text.includes('198.51.100.9'), 'no IP of the other party');

  const daveToken = createSession(dave.id);
  const davesView = (await getChat('?type=all', daveToken)).body.data;
  assert.deepEqual(davesView.list.map((w: { id: number }) => w.id), [theirs]);
});

test('a shop chat lists the seller as the other party for the member, and the member for the seller', async () => {
  const member = await makeUserWithToken('member', 'Mia');
  const seller = await makeUserWithToken('seller', 'Sam');
  createShop(seller.user, { id: 's1001', name: 'Breeze Tea' });
  const chat = openShopConversation(member.user.id, 's1001');
  say(member.user.id, chat, 'do you have green tea?');

  const forMember = (await getChat('?type=all', member.token)).body.data.list[0];
  assert.deepEqual([forMember.id, forMember.fromId, forMember.toId, forMember.user.id], [chat, member.user.id, seller.user.id, seller.user.id]);
  const forSeller = (await getChat('?type=unread', seller.token)).body.data.list[0];
  assert.deepEqual([forSeller.id, forSeller.user.id, forSeller.user.nickname], [chat, member.user.id, 'Mia']);
});

test('a 64-bit message id is written digit for digit as a bare JSON number', async () => {
  const alice = await makeUserWithToken();
  const bob = await makeUser();
  const chat = openDirectConversation(alice.user.id, bob.id);
  say(bob.id, chat, 'big id', 1268242042090295297n);

  const { text, body } = await getChat('?type=all', alice.token);
  assert.ok(text.includes('"id":1268242042090295297,'), text);
  assert.ok(!text.includes('1268242042090295300'), 'not rounded as a double would be');
  assert.equal(body.data.list[0].messages[0].id, 1268242042090295297n);
});
