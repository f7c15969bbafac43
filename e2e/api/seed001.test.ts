// Seed 001, GET /api/dialog: the handler the route mounts, called with real Requests, checked
// against the seed's own example, against a JSON:API validator and against what its clients read.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeEach, test } from 'node:test';
import { dialogList } from '@/server/compat/seed001/dialogs';
import { isoWithOffset } from '@/server/compat/time';
import { createSession } from '@/server/domain/accounts';
import { getConversation, markConversationRead, openDirectConversation, openShopConversation } from '@/server/domain/conversations';
import { sendMessage } from '@/server/domain/messages';
import { createShop } from '@/server/domain/shops';
import { createUser, groupsOfUser, recordLogin } from '@/server/domain/users';
import { parseJson } from '@/server/lib/json';
import { makeUser, makeUserWithToken, useFreshStore } from '@/server/test-support';
import { assertSameShape } from './shape';

const { Validator } = createRequire(import.meta.url)('jsonapi-validator') as {
  Validator: new () => { validate(doc: unknown): void; isValid(doc: unknown): boolean };
};
const validator = new Validator();

const example = parseJson(readFileSync('e2e/api/fixtures/seed001.example.json', 'utf8')) as Record<string, any>;
const exampleUser = example.included.find((r: { type: string }) => r.type === 'users');
const exampleMessage = example.included.find((r: { type: string }) => r.type === 'dialog_message');
const exampleWithMessage = example.data.find((d: any) => d.relationships.dialogMessage);
const exampleWithoutMessage = example.data.find((d: any) => !d.relationships.dialogMessage);
// Times the example shows as null in one item and a string in another (or null only, where we may know one).
const TIMES = ['sender_read_at', 'recipient_read_at', 'loginAt', 'expiredAt'];

beforeEach(() => {
  useFreshStore();
});

async function getDialogs(query: string, token?: string) {
  const response = await dialogList(
    new Request(`http://test/api/dialog${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
  );
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    body: parseJson(text) as any,
    /** As a plain JSON client parses it (ids beyond 2^53 rounded): what the validator sees. */
    plain: JSON.parse(text),
  };
}

const say = (senderId: number, conversationId: number, content: string, id?: bigint) =>
  sendMessage({ senderId, conversationId, type: 'text', content, id }).message;

const ids = (resources: { id: string }[]) => resources.map((r) => r.id);

/**
 * The document with the one thing the seed does against JSON:API taken out: `id` repeated inside
 * the attributes of users and dialog messages (JSON:API reserves the name; the seed's server wrote
 * it, its clients read it, and SPEC.md asks for every key the seed shows). Nothing else is touched.
 */
function withoutSeedIds(doc: any): any {
  const copy = structuredClone(doc);
  for (const resource of copy.included ?? []) {
    if (resource.type === 'users' || resource.type === 'dialog_message') delete resource.attributes.id;
  }
  return copy;
}

/** Throws, listing the validator's errors, unless the document is valid JSON:API but for the seed's ids. */
function assertValidJsonApi(doc: any): void {
  validator.validate(withoutSeedIds(doc));
}

/** Alice and three dialogs: with Bob (she opened it; messages; both read), Carol (opened by Carol, unread) and Dave (empty, opened by her). */
async function aliceAndFriends() {
  const alice = await createUser({ username: 'alice', nickname: 'Alice', role: 'member', ip: '192.0.2.1', avatar: '/file/down/a.png' });
  recordLogin(alice.id, '192.0.2.2');
  const token = createSession(alice.id);
  const bob = await createUser({ username: 'bob', nickname: 'Bob', role: 'member', ip: '203.0.113.7' });
  recordLogin(bob.id, '198.51.100.9');
  const carol = await createUser({ username: 'carol', role: 'seller' });
  recordLogin(carol.id, undefined);
  const dave = await createUser({ username: 'dave', role: 'member' });
  recordLogin(dave.id, undefined);

  const withBob = openDirectConversation(alice.id, bob.id);
  say(alice.id, withBob, 'hi bob');
  const bobsReply = say(bob.id, withBob, 'hi alice');
  markConversationRead(bob.id, withBob);
  markConversationRead(alice.id, withBob);
  const withCarol = openDirectConversation(carol.id, alice.id);
  const carolsMessage = say(carol.id, withCarol, 'from carol');
  const withDave = openDirectConversation(alice.id, dave.id);
  return { alice, token, bob, carol, dave, withBob, withCarol, withDave, bobsReply, carolsMessage };
}

test('the document has every key and value type of the seed’s example and is valid JSON:API', async () => {
  const { token } = await aliceAndFriends();
  const { status, contentType, body, plain } = await getDialogs('?include=sender,recipient,dialogMessage', token);
  assert.equal(status, 200);
  assert.equal(contentType, 'application/vnd.api+json');
  assert.deepEqual(Object.keys(body).sort(), Object.keys(example).sort());
  assertSameShape(body.links, example.links);
  assertSameShape(body.meta, example.meta);

  assert.equal(body.data.length, 3);
  for (const dialog of body.data) {
    const like = dialog.relationships.dialogMessage ? exampleWithMessage : exampleWithoutMessage;
    assertSameShape(dialog, like, { nullOrString: TIMES });
    assert.deepEqual(Object.keys(dialog.attributes).sort(), Object.keys(like.attributes).sort(), 'no attribute the seed lacks');
    assert.deepEqual(Object.keys(dialog.relationships).sort(), Object.keys(like.relationships).sort());
  }
  const users = body.included.filter((r: { type: string }) => r.type === 'users');
  const messages = body.included.filter((r: { type: string }) => r.type === 'dialog_message');
  assert.equal(users.length, 4);
  assert.equal(messages.length, 2);
  for (const user of users) {
    assertSameShape(user, exampleUser, { nullOrString: TIMES });
    assert.deepEqual(Object.keys(user.attributes).sort(), Object.keys(exampleUser.attributes).sort(), 'every user key of the seed, no other');
  }
  for (const message of messages) {
    assertSameShape(message, exampleMessage);
    assert.deepEqual(Object.keys(message.attributes).sort(), Object.keys(exampleMessage.attributes).sort());
  }
  assertValidJsonApi(plain);
});

test('the validator check is not blind: a broken document or a stray attribute fails it', async () => {
  const { token } = await aliceAndFriends();
  const { plain } = await getDialogs('?include=sender.groups,dialogMessage', token);
  assertValidJsonApi(plain);
  assert.equal(validator.isValid(plain), false, 'as served, the seed’s `id` attributes are what JSON:API objects to');
  const breakages: ((doc: any) => void)[] = [
    (doc) => (doc.data[0].id = Number(doc.data[0].id)),
    (doc) => (doc.included[0].attributes.type = 'x'),
    (doc) => (doc.data[0].attributes.id = 1),
    (doc) => (doc.included.find((r: any) => r.type === 'groups').attributes.id = 1),
    (doc) => (doc.data[0].relationships.sender = { data: { type: 'users' } }),
  ];
  for (const breakage of breakages) {
    const doc = structuredClone(plain);
    breakage(doc);
    assert.throws(() => assertValidJsonApi(doc), /Invalid JSON API/, breakage.toString());
  }
});

test('dialog attributes: sender is the initiator whoever asks, read times null until read (writing reads), times with offset', async () => {
  const f = await aliceAndFriends();
  const { body } = await getDialogs('?sort=createdAt', f.token);
  const [withBob, withCarol, withDave] = body.data;
  const bobView = getConversation(f.alice.id, f.withBob);
  assert.deepEqual(withBob, {
    type: 'dialog',
    id: String(f.withBob),
    attributes: {
      dialog_message_id: f.bobsReply.id,
      sender_user_id: f.alice.id,
      recipient_user_id: f.bob.id,
      sender_read_at: isoWithOffset(bobView.readAt!),
      recipient_read_at: isoWithOffset(bobView.peerReadAt!),
      updated_at: isoWithOffset(bobView.updatedAt),
      created_at: isoWithOffset(bobView.createdAt),
    },
    relationships: {
      sender: { data: { type: 'users', id: String(f.alice.id) } },
      recipient: { data: { type: 'users', id: String(f.bob.id) } },
      dialogMessage: { data: { type: 'dialog_message', id: String(f.bobsReply.id) } },
    },
  });
  assert.match(withBob.attributes.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  // Carol opened her dialog: she is its sender even in Alice's list; Alice (the recipient) has not read it.
  assert.equal(withCarol.attributes.sender_user_id, f.carol.id);
  assert.equal(withCarol.attributes.recipient_user_id, f.alice.id);
  assert.equal(withCarol.attributes.recipient_read_at, null);
  assert.match(withCarol.attributes.sender_read_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/, 'writing her message read the dialog for Carol');
  assert.equal(withCarol.attributes.dialog_message_id, f.carolsMessage.id);
  // No message: id 0 and no dialogMessage relationship at all.
  assert.equal(withDave.attributes.dialog_message_id, 0);
  assert.deepEqual(Object.keys(withDave.relationships).sort(), ['recipient', 'sender']);
  assert.equal('included' in body, false, 'nothing included unless asked');

  markConversationRead(f.alice.id, f.withCarol);
  const after = (await getDialogs('?sort=createdAt', f.token)).body.data[1];
  assert.equal(after.attributes.recipient_read_at, isoWithOffset(getConversation(f.alice.id, f.withCarol).readAt!));
  assert.equal(after.attributes.sender_read_at, withCarol.attributes.sender_read_at, 'Carol\'s read time stays hers');
  const carolsView = (await getDialogs('?sort=createdAt', createSession(f.carol.id))).body.data[0];
  assert.deepEqual(carolsView.attributes, after.attributes, 'the same dialog reads the same from both sides');
});

test('include: each related resource once, only what was asked, intermediate users of .groups included with their groups', async () => {
  const f = await aliceAndFriends();
  const types = (body: any) => [...new Set(body.included.map((r: { type: string }) => r.type))];
  const key = (r: { type: string; id: string }) => `${r.type}:${r.id}`;

  const senders = (await getDialogs('?include=sender&sort=createdAt', f.token)).body;
  assert.deepEqual(ids(senders.included), [String(f.alice.id), String(f.carol.id)], 'alice sends two dialogs but appears once');
  assert.deepEqual(types(senders), ['users']);
  assert.equal(senders.included[0].relationships, undefined);

  const recipients = (await getDialogs('?include=recipient&sort=createdAt', f.token)).body;
  assert.deepEqual(ids(recipients.included), [f.bob.id, f.alice.id, f.dave.id].map(String));

  const messages = (await getDialogs('?include=dialogMessage&sort=createdAt', f.token)).body;
  assert.deepEqual(messages.included.map(key), [`dialog_message:${f.bobsReply.id}`, `dialog_message:${f.carolsMessage.id}`]);
  assert.deepEqual(messages.included[1].attributes, {
    id: f.carolsMessage.id,
    user_id: f.carol.id,
    dialog_id: f.withCarol,
    message_text: 'from carol',
    updated_at: isoWithOffset(f.carolsMessage.createdAt),
    created_at: isoWithOffset(f.carolsMessage.createdAt),
  });

  const grouped = await getDialogs('?include=sender.groups&sort=createdAt', f.token);
  const body = grouped.body;
  const users = body.included.filter((r: { type: string }) => r.type === 'users');
  const groups = body.included.filter((r: { type: string }) => r.type === 'groups');
  assert.deepEqual(ids(users), [f.alice.id, f.carol.id].map(String));
  const memberGroup = groupsOfUser(f.alice.id)[0];
  const sellerGroup = groupsOfUser(f.carol.id)[0];
  assert.deepEqual(users[0].relationships, { groups: { data: [{ type: 'groups', id: String(memberGroup.id) }] } });
  assert.deepEqual(users[1].relationships, { groups: { data: [{ type: 'groups', id: String(sellerGroup.id) }] } });
  assert.deepEqual(groups, [
    { type: 'groups', id: String(memberGroup.id), attributes: { name: 'member', color: '', icon: '', default: true } },
    { type: 'groups', id: String(sellerGroup.id), attributes: { name: 'seller', color: '', icon: '', default: false } },
  ]);
  assertValidJsonApi(grouped.plain);

  // Every resource once, and every one of them linked from the data (JSON:API full linkage).
  const everything = await getDialogs('?include=sender,recipient,sender.groups,recipient.groups,dialogMessage', f.token);
  const all = everything.body.included.map(key);
  assert.equal(new Set(all).size, all.length, 'no resource twice');
  const linked = new Set<string>();
  const link = (rel: { data: any } | undefined) => [rel?.data ?? []].flat().forEach((d: any) => linked.add(key(d)));
  for (const dialog of everything.body.data) Object.values(dialog.relationships).forEach((rel: any) => link(rel));
  for (const resource of everything.body.included) Object.values(resource.relationships ?? {}).forEach((rel: any) => link(rel));
  assert.deepEqual(all.filter((k: string) => !linked.has(k)), [], 'every included resource is linked');
  assert.equal(everything.body.included.filter((r: { type: string }) => r.type === 'groups').length, 2, 'member and seller groups, once each');
  assertValidJsonApi(everything.plain);

  const spaced = (await getDialogs('?include=%20sender%20,,dialogMessage', f.token)).body;
  assert.deepEqual(types(spaced), ['users', 'dialog_message'], 'blanks around names are tolerated');
  const empty = await getDialogs('?include=', f.token);
  assert.equal(empty.status, 200);
  assert.equal('included' in empty.body, false);
});

test('users: every user shows the seed’s fields; private ones only for the caller themself', async () => {
  const f = await aliceAndFriends();
  const { body, text } = await getDialogs('?include=sender,recipient&sort=createdAt', f.token);
  const byId = new Map(body.included.map((r: any) => [Number(r.id), r.attributes]));
  const alice: any = byId.get(f.alice.id);
  const bob: any = byId.get(f.bob.id);
  assert.equal(alice.registerIp, '192.0.2.1');
  assert.equal(alice.lastLoginIp, '192.0.2.2');
  assert.equal(alice.avatarUrl, 'http://test/file/down/a.png');
  assert.equal(alice.canEdit, true);
  assert.deepEqual(
    { ...bob, loginAt: typeof bob.loginAt },
    {
      id: f.bob.id,
      username: 'bob',
      mobile: '',
      avatarUrl: '',
      threadCount: 0,
      followCount: 0,
      fansCount: 0,
      follow: null,
      status: 0,
      loginAt: 'string',
      joinedAt: isoWithOffset(f.bob.createdAt),
      expiredAt: null,
      createdAt: isoWithOffset(f.bob.createdAt),
      updatedAt: bob.updatedAt,
      canEdit: false,
      canDelete: false,
      registerReason: null,
      originalMobile: '',
      registerIp: '',
      lastLoginIp: '',
      identity: null,
      realname: null,
    },
  );
  assert.ok(!text.includes('203.0.113.7') && !text.includes('198.51.100.9'), 'no IP of another user anywhere');

  const bobsOwn = (await getDialogs('?include=recipient', createSession(f.bob.id))).body.included[0].attributes;
  assert.equal(bobsOwn.registerIp, '203.0.113.7', 'bob sees his own');
  assert.equal(bobsOwn.lastLoginIp, '198.51.100.9');
});

test('the caller sees only their own dialogs', async () => {
  const f = await aliceAndFriends();
  const [erin, frank] = [await makeUser(), await makeUser()];
  const theirs = openDirectConversation(erin.id, frank.id);
  say(erin.id, theirs, 'between erin and frank');

  const { body, text } = await getDialogs('?include=sender,recipient,dialogMessage', f.token);
  assert.equal(body.meta.total, 3);
  assert.ok(!ids(body.data).includes(String(theirs)));
  assert.ok(!text.includes('between erin and frank'));
  assert.ok(!body.included.some((r: { id: string }) => r.id === String(erin.id) || r.id === String(frank.id)));
  const erins = (await getDialogs('', createSession(erin.id))).body;
  assert.deepEqual(ids(erins.data), [String(theirs)]);
  assert.equal(erins.meta.total, 1);
});

test('pages: links first and last always, prev and next only where they exist, absolute and keeping the query', async () => {
  const alice = await makeUserWithToken();
  const dialogs: number[] = [];
  for (let i = 0; i < 5; i++) dialogs.push(openDirectConversation(alice.user.id, (await makeUser()).id));
  const page = async (n: number | null) =>
    (await getDialogs(`?include=sender&page[limit]=2${n === null ? '' : `&page[number]=${n}`}&sort=createdAt`, alice.token)).body;
  /** Which page a link points at, after checking it is absolute and keeps the rest of the query. */
  const pageOf = (href: string) => {
    const url = new URL(href);
    assert.equal(`${url.origin}${url.pathname}`, 'http://test/api/dialog');
    assert.match(url.search, /page%5Blimit%5D=2/, 'brackets percent-encoded, as the seed’s server wrote them');
    const params = Object.fromEntries(url.searchParams);
    const { 'page[number]': number, ...rest } = params;
    assert.deepEqual(rest, { include: 'sender', 'page[limit]': '2', sort: 'createdAt' }, href);
    assert.notEqual(number, '1', 'page 1 is written without page[number], as in the seed');
    return number === undefined ? 1 : Number(number);
  };
  const pages = (links: Record<string, string>) => Object.fromEntries(Object.entries(links).map(([name, href]) => [name, pageOf(href)]));

  const first = await page(null);
  assert.deepEqual(pages(first.links), { first: 1, last: 3, next: 2 });
  assert.deepEqual(ids(first.data), dialogs.slice(0, 2).map(String));
  assert.deepEqual(first.meta, { total: 5, size: 2 });

  const second = await page(2);
  assert.deepEqual(pages(second.links), { first: 1, last: 3, prev: 1, next: 3 });
  assert.deepEqual(ids(second.data), dialogs.slice(2, 4).map(String));

  const last = await page(3);
  assert.deepEqual(pages(last.links), { first: 1, last: 3, prev: 2 });
  assert.deepEqual(ids(last.data), dialogs.slice(4).map(String));

  const past = await page(4);
  assert.deepEqual(past.data, []);
  assert.deepEqual(past.meta, { total: 5, size: 2 });
  assert.deepEqual(pages(past.links), { first: 1, last: 3, prev: 3 });

  const defaults = (await getDialogs('', alice.token)).body;
  assert.deepEqual(defaults.meta, { total: 5, size: 20 });
  assert.deepEqual(defaults.links, { first: 'http://test/api/dialog', last: 'http://test/api/dialog' });
  const wide = (await getDialogs('?page[limit]=100', alice.token)).body;
  assert.equal(wide.meta.size, 100);

  const nobody = await makeUserWithToken();
  const none = (await getDialogs('?include=sender', nobody.token)).body;
  assert.deepEqual(none, {
    links: { first: 'http://test/api/dialog?include=sender', last: 'http://test/api/dialog?include=sender' },
    data: [],
    included: [],
    meta: { total: 0, size: 20 },
  });
  validator.validate(none);
});

test('sort: createdAt and dialogMessageId, ascending or with "-" descending; -createdAt by default', async () => {
  const alice = await makeUserWithToken();
  const [one, two, three] = [
    openDirectConversation(alice.user.id, (await makeUser()).id),
    openDirectConversation(alice.user.id, (await makeUser()).id),
    openDirectConversation(alice.user.id, (await makeUser()).id),
  ];
  say(alice.user.id, three, 'first message, to three');
  say(alice.user.id, one, 'second message, to one'); // two has none: dialog_message_id 0
  const order = async (sort: string | null) =>
    ids((await getDialogs(sort === null ? '' : `?sort=${sort}`, alice.token)).body.data).map(Number);

  assert.deepEqual(await order('createdAt'), [one, two, three]);
  assert.deepEqual(await order('-createdAt'), [three, two, one]);
  assert.deepEqual(await order(null), [three, two, one]);
  assert.deepEqual(await order(''), [three, two, one]);
  assert.deepEqual(await order('dialogMessageId'), [two, three, one]);
  assert.deepEqual(await order('-dialogMessageId'), [one, three, two]);
});

test('errors: unknown include or sort, bad page values are 400 naming the parameter; JSON:API error documents', async () => {
  const alice = await makeUserWithToken();
  const cases: [string, string][] = [
    ['?include=author', 'include'],
    ['?include=sender,groups', 'include'],
    ['?include=sender.group', 'include'],
    ['?include=Sender', 'include'],
    ['?sort=name', 'sort'],
    ['?sort=created_at', 'sort'],
    ['?sort=--createdAt', 'sort'],
    ['?sort=createdAt,dialogMessageId', 'sort'],
    ['?page[number]=0', 'page[number]'],
    ['?page[number]=-1', 'page[number]'],
    ['?page[number]=two', 'page[number]'],
    ['?page[number]=1.5', 'page[number]'],
    ['?page[number]=99999999999999999999', 'page[number]'],
    ['?page[limit]=0', 'page[limit]'],
    ['?page[limit]=101', 'page[limit]'],
    ['?page[limit]=x', 'page[limit]'],
  ];
  for (const [query, parameter] of cases) {
    const { status, contentType, body, plain } = await getDialogs(query, alice.token);
    assert.equal(status, 400, query);
    assert.equal(contentType, 'application/vnd.api+json', query);
    assert.equal(body.errors.length, 1, query);
    const [error] = body.errors;
    assert.deepEqual({ status: error.status, title: error.title, source: error.source }, { status: '400', title: 'Bad Request', source: { parameter } }, query);
    assert.equal(typeof error.detail, 'string', query);
    assert.equal('data' in body, false, query);
    validator.validate(plain);
  }
});

test('no token, or a token that is not valid, is a 401 JSON:API error', async () => {
  for (const token of [undefined, 'forged']) {
    const { status, contentType, body, plain } = await getDialogs('?include=sender', token);
    assert.equal(status, 401);
    assert.equal(contentType, 'application/vnd.api+json');
    assert.equal(body.errors[0].status, '401');
    assert.equal(body.errors[0].title, 'Unauthorized');
    assert.equal(typeof body.errors[0].detail, 'string');
    validator.validate(plain);
  }
  assert.equal((await getDialogs('?include=nonsense')).status, 401, 'the caller is checked before the parameters');
});

test('a shop dialog: the member is its sender, the shop’s seller its recipient, in both lists', async () => {
  const member = await makeUserWithToken('member');
  const seller = await makeUserWithToken('seller');
  createShop(seller.user, { id: 's1001', name: 'Breeze Tea' });
  const chat = openShopConversation(member.user.id, 's1001');
  say(seller.user.id, chat, 'welcome');
  for (const caller of [member, seller]) {
    const [dialog] = (await getDialogs('', caller.token)).body.data;
    assert.equal(dialog.id, String(chat));
    assert.equal(dialog.attributes.sender_user_id, member.user.id);
    assert.equal(dialog.attributes.recipient_user_id, seller.user.id);
  }
});

test('a 64-bit message id is exact: digits in attributes, a string as the resource id', async () => {
  const alice = await makeUserWithToken();
  const bob = await makeUser();
  const chat = openDirectConversation(alice.user.id, bob.id);
  say(bob.id, chat, 'big id', 1268242042090295297n);

  const { text, body } = await getDialogs('?include=dialogMessage', alice.token);
  assert.ok(text.includes('"dialog_message_id":1268242042090295297,'), text);
  assert.ok(text.includes('"id":"1268242042090295297"'), 'the resource id, as a string');
  assert.ok(text.includes('"attributes":{"id":1268242042090295297,'), 'the message attribute id, as a number');
  assert.ok(!text.includes('1268242042090295300'));
  assert.equal(body.data[0].attributes.dialog_message_id, 1268242042090295297n);
});
