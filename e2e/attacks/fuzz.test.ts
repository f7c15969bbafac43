// Fuzz: fast-check over every compatibility route's parameters (in the query, as JSON, as a form)
// and over socket frames. Every answer is a well-formed success or error in the dialect's shape
// (JSON:API documents pass jsonapi-validator), never a fault or a stack, and a refused request
// leaves the store exactly as it was.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { stringifyJson } from '@/server/lib/json';
import { startServer, type RunningServer } from '../server-process';
import type { SocketClient } from '../ws/socket-client';
import { call, countAttack, framesAnswering, liveSocket, signIn, storeFingerprint, type Account, type Answer, reportAttacks } from './support';

const { Validator } = createRequire(import.meta.url)('jsonapi-validator') as { Validator: new () => { validate(doc: unknown): void } };
const jsonApi = new Validator();

/** Runs per route: enough to reach every parameter's odd values, few enough for `npm test`. */
const RUNS = Number(process.env.CHAT_FUZZ_RUNS ?? 60);

let server: RunningServer;
let alice: Account;
let teahouse: Account;
let socket: SocketClient;

before(async () => {
  server = await startServer();
  alice = await signIn(server, 'alice');
  teahouse = await signIn(server, 'teahouse');
  socket = await liveSocket(server, alice);
});

after(async () => {
  reportAttacks('fuzz.test.ts');
  socket?.ws.terminate();
  await server?.stop('SIGKILL');
});

/** Values a client might send for any parameter: often valid-looking (so the deeper checks are reached), else edge and hostile. */
function paramValue(valid: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> {
  const hostile = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.integer({ min: -5, max: 2_000_000 }),
    fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
    fc.double(),
    fc.constantFrom('', ' ', '0', '-1', '1e3', '0x10', '1.5', 'NaN', 'Infinity', '9'.repeat(40), '١٢', 'null', 'true', '%00', '../../etc/passwd', "' OR 1=1 --", '<script>'),
    fc.constantFrom(null, true, false),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  );
  return valid.length === 0 ? hostile : fc.oneof({ arbitrary: fc.oneof(...valid), weight: 4 }, { arbitrary: hostile, weight: 1 });
}

type Route = { path: string; method: 'GET' | 'POST'; params: Record<string, fc.Arbitrary<unknown>[]>; shape: (a: Answer) => void };

const ids = () => [fc.constantFrom(1, 2, 3, 4, 5, 6), fc.constantFrom('1', '2', '3', '10')];

function seed000Shape(a: Answer): void {
  assert.ok(a.body && typeof a.body.code === 'number' && typeof a.body.msg === 'string', 'seed 000 envelope');
  if (a.status === 200) assert.equal(a.body.code, 0);
  else assert.ok(a.body.code === a.status && a.body.data === null && a.status < 500);
}
function seed001Shape(a: Answer): void {
  assert.ok(a.status < 500, 'no fault');
  const doc = structuredClone(a.body);
  for (const resource of doc.included ?? []) if (resource.attributes) delete resource.attributes.id; // the seed's own quirk (README)
  jsonApi.validate(doc);
  if (a.status >= 400) assert.ok(Array.isArray(a.body.errors) && a.body.errors.every((e: { status: string }) => e.status === String(a.status)));
}
function seed002Shape(a: Answer): void {
  if (a.status === 200) return assert.ok(a.text === '' || a.body !== undefined, 'JSON or empty');
  assert.equal(a.status, 500);
  assert.ok(typeof a.body?.msg === 'string' && [400, 401, 403, 404].includes(a.body.code), `a refusal, not a fault: ${a.text}`);
}
function seed003ListShape(a: Answer): void {
  if (a.status === 200) return assert.ok(Array.isArray(a.body) || (Array.isArray(a.body.items) && a.body._meta && a.body._links));
  assert.ok(a.status < 500 && a.body.status === a.status && typeof a.body.name === 'string' && typeof a.body.message === 'string' && a.body.code === 0);
}
function seed003ActionShape(a: Answer): void {
  assert.ok(a.status < 500, 'no fault');
  assert.equal(a.body.result, a.status === 200 ? 'success' : 'error');
  assert.equal(typeof a.body.message, 'string');
}
function seed004Shape(a: Answer): void {
  assert.equal(a.status, 200);
  assert.ok([200, 400, 404, 406, 408].includes(a.body.ret), `ret ${a.body.ret}`);
  assert.equal(typeof a.body.msg, 'string');
  if (a.body.ret === 200) assert.ok(Array.isArray(a.body.data.items));
  else assert.deepEqual(a.body.data, {});
}

const ROUTES: Route[] = [
  { path: '/api/chat', method: 'GET', params: { type: [fc.constantFrom('all', 'unread', 'ALL')], page: ids(), pageSize: ids() }, shape: seed000Shape },
  {
    path: '/api/dialog',
    method: 'GET',
    params: {
      include: [fc.constantFrom('sender', 'recipient,sender.groups', 'dialogMessage', 'recipient.groups', 'nope', 'sender,,')],
      'page[number]': ids(),
      'page[limit]': ids(),
      sort: [fc.constantFrom('createdAt', '-createdAt', 'dialogMessageId', '-dialogMessageId', '--createdAt', 'createdAt,dialogMessageId')],
    },
    shape: seed001Shape,
  },
  { path: '/im/message/user/get/page', method: 'POST', params: { userId: ids(), pageNum: ids(), pageSize: ids() }, shape: seed002Shape },
  { path: '/im/message/offline', method: 'POST', params: { userId: ids() }, shape: seed002Shape },
  { path: '/im/message/get/id', method: 'POST', params: {}, shape: seed002Shape },
  { path: '/im/user/chat/clear/unread', method: 'POST', params: { id: ids() }, shape: seed002Shape },
  { path: '/im/user/chat/delete', method: 'POST', params: { id: ids() }, shape: seed002Shape },
  { path: '/im/user/chat/top', method: 'POST', params: { id: ids(), top: [fc.boolean()] }, shape: seed002Shape },
  { path: '/im/user/chat/list', method: 'POST', params: { userId: ids() }, shape: seed002Shape },
  { path: '/im/user/register', method: 'POST', params: { company: [fc.constantFrom('acme')], app: [fc.constantFrom('shop')], thirdUserId: [fc.string({ minLength: 1, maxLength: 8 })] }, shape: seed002Shape },
  {
    path: '/chat-records/list',
    method: 'GET',
    params: {
      memberId: ids(),
      sellerId: [fc.constantFrom('s1001', 's1002', 's9')],
      messageType: [fc.constantFrom('RC:TxtMsg', 'RC:ImgMsg', 'RC:Nope')],
      startTime: [fc.constantFrom('2020-01-01 00:00:00', '1600000000', '2020-13-45 25:61:61')],
      endTime: [fc.constantFrom('2099-01-01 00:00:00', '4102444800')],
      id: [fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }).map(String)],
      pageSize: ids(),
      page: ids(),
    },
    shape: seed003ListShape,
  },
  { path: '/chat-records/chat-list', method: 'GET', params: { memberId: ids() }, shape: seed003ListShape },
  {
    path: '/chat-records/create',
    method: 'POST',
    params: { memberId: ids(), sellerId: [fc.constantFrom('s1001', 's1002')], messageType: [fc.constantFrom('RC:TxtMsg', 'RC:LBSMsg', 'Text')], cnt: [fc.string({ maxLength: 30 })] },
    shape: seed003ActionShape,
  },
  { path: '/chat-records/delete', method: 'POST', params: { memberId: ids(), id: [fc.bigInt({ min: 1n, max: (1n << 63n) - 1n })] }, shape: seed003ActionShape },
  {
    path: '/api/platform',
    method: 'GET',
    params: {
      s: [fc.constantFrom('Platform.ChatMessage.GetMessageList', 'ChatMessage.GetMessageList', 'Platform.Nope.X', 'a..b')],
      service: [fc.constantFrom('Platform.ChatMessage.GetMessageList')],
      chat_message_to_uuid: [fc.stringMatching(/^[A-Za-z0-9]{32}$/)],
      last_id: [fc.constantFrom('0', '1268242042090295296')],
      direction: [fc.constantFrom('up', 'down', 'sideways')],
      perpage: ids(),
    },
    shape: seed004Shape,
  },
];

/** A request's parameters: some of the route's own (often valid), some strangers. */
function requestFor(route: Route) {
  const own = fc.record(Object.fromEntries(Object.entries(route.params).map(([name, valid]) => [name, paramValue(valid)])), { requiredKeys: [] });
  const stranger = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), paramValue([]), { maxKeys: 2 });
  return fc.record({
    params: fc.tuple(own, stranger).map(([a, b]) => ({ ...b, ...a })),
    encoding: fc.constantFrom('query', 'json', 'json', 'form', 'form', 'rawJson'),
    caller: fc.constantFrom('alice', 'alice', 'alice', 'alice', 'teahouse', 'teahouse', 'nobody', 'bad token'),
  });
}

const flat = (value: unknown) => (typeof value === 'object' && value !== null ? stringifyJson(value) : String(value));

async function send(route: Route, req: { params: Record<string, unknown>; encoding: string; caller: string }): Promise<Answer> {
  const token = req.caller === 'alice' ? alice.token : req.caller === 'teahouse' ? teahouse.token : req.caller === 'bad token' ? 'x'.repeat(43) : undefined;
  const query = new URLSearchParams(Object.entries(req.params).map(([k, v]) => [k, flat(v)]));
  if (route.method === 'GET' || req.encoding === 'query') {
    return call(server, `${route.path}?${query}`, { token, method: route.method, ...(route.method === 'POST' ? { json: {} } : {}) });
  }
  if (req.encoding === 'form') return call(server, route.path, { token, method: 'POST', body: query.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  if (req.encoding === 'rawJson') return call(server, route.path, { token, method: 'POST', body: fc.sample(fc.constantFrom('{', '[]', 'null', '"x"', '{"a":}', '\u0000', '{"userId":1}{'), 1)[0], headers: { 'content-type': 'application/json' } });
  return call(server, route.path, { token, json: req.params });
}

const refusedAnswer = (a: Answer) => a.status >= 400 || a.body?.ret !== undefined && a.body.ret !== 200;

test('every compatibility route answers any parameters in its dialect’s shape, never with a fault, and refusals change nothing', async () => {
  for (const route of ROUTES) {
    await fc.assert(
      fc.asyncProperty(requestFor(route), async (req) => {
        const before = storeFingerprint(server);
        const answer = await send(route, req);
        countAttack();
        const context = `${route.method} ${route.path} ${stringifyJson(req)} → ${answer.status} ${answer.text.slice(0, 300)}`;
        assert.ok(!/\n\s+at |node_modules|\.ts:\d+/.test(answer.text), `no stack: ${context}`);
        try {
          route.shape(answer);
        } catch (error) {
          throw new Error(`${context}\n${(error as Error).message}`);
        }
        if (refusedAnswer(answer)) assert.equal(storeFingerprint(server), before, `refused, yet the store changed: ${context}`);
      }),
      { numRuns: RUNS },
    );
  }
  assert.match(server.output(), /^((?!TypeError|RangeError|SyntaxError)[\s\S])*$/, 'the server logged no fault');
});

const MSG_TYPES = ['Auth', 'Text', 'Image', 'Voice', 'Location', 'Ack', 'Read', 'Typing', 'Ping', 'Pong', 'Nope', 'text', ''];

test('any socket frame gets a well-formed answer or none; refused frames change nothing and the socket stays open', async () => {
  const frame = fc.oneof(
    fc.record(
      {
        msgType: fc.constantFrom(...MSG_TYPES),
        id: paramValue([fc.bigInt({ min: 1n, max: (1n << 63n) - 1n })]),
        fromUserId: paramValue([fc.constant(alice.id)]),
        toUserId: paramValue(ids()),
        cId: paramValue(ids()),
        chatType: fc.constantFrom('Single', 'Group', 1),
        content: fc.oneof(fc.string({ maxLength: 50 }), fc.constantFrom('{"srcId":1}', "{'srcId': 1268242042090295296}", '{"cId":1}', '{"cId":"x"}', '{'), paramValue([])),
      },
      { requiredKeys: ['msgType'] },
    ).map((f) => stringifyJson(f)),
    fc.string({ maxLength: 60 }),
    fc.json({ maxDepth: 2 }),
  );
  await fc.assert(
    fc.asyncProperty(frame, async (text) => {
      const before = storeFingerprint(server);
      const answers = (await framesAnswering(socket, [text])).filter((f) => !['Delivered', 'Read', 'Typing'].includes(f.msgType) || f.fromUserId === undefined);
      countAttack();
      const context = `${text} → ${stringifyJson(answers)}`;
      assert.equal(socket.closeCode, null, `still open: ${context}`);
      for (const answer of answers) {
        assert.equal(typeof answer.msgType, 'string', context);
        if (answer.msgType === 'Error') {
          assert.ok([400, 403, 404, 409].includes(answer.code) && typeof answer.content === 'string', `a refusal, not a fault: ${context}`);
        }
      }
      if (answers.length > 0 && answers.every((a) => a.msgType === 'Error')) assert.equal(storeFingerprint(server), before, `refused, yet stored: ${context}`);
    }),
    { numRuns: RUNS * 5 },
  );
});
