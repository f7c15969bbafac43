// GET queries are answered without tRPC's fetch adapter (server/trpc/http.ts answerQueriesAsText): each
// request here must get from it exactly what the adapter gives (status, headers, body), or be left
// to the adapter.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { openDirectConversation } from '../domain/conversations';
import { sendMessage } from '../domain/messages';
import { makeUserWithToken, useFreshStore } from '../test-support';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerRoute } from '../http/routes';
import { asResponse } from '../http/web-bridge';
import { answerQueriesAsText, answerWithAdapter, handleTrpcRequest } from './http';

const ORIGIN = 'http://127.0.0.1:3000';
let token = '';
let conversationId = 0;
let strangersConversation = 0;

before(async () => {
  useFreshStore();
  const alice = await makeUserWithToken('member', 'Alice');
  const bob = await makeUserWithToken('member', 'Bob');
  const carol = await makeUserWithToken('member', 'Carol');
  token = alice.token;
  conversationId = openDirectConversation(alice.user.id, bob.user.id);
  strangersConversation = openDirectConversation(bob.user.id, carol.user.id);
  for (const content of ['hello', 'a.b \\ "quoted"']) sendMessage({ senderId: bob.user.id, conversationId, type: 'text', content });
});

const input = (value: unknown) => encodeURIComponent(JSON.stringify({ json: value }));
const batchInput = (values: unknown[]) => encodeURIComponent(JSON.stringify(Object.fromEntries(values.map((value, i) => [i, { json: value }]))));

function request(path: string, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}/api/trpc/${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
}

async function seen(response: Response) {
  return { status: response.status, headers: [...response.headers], body: await response.text() };
}

/** GET queries of every kind the fast path answers. */
const queryPaths = () => [
  `conversations.history?input=${input({ conversationId, limit: 2 })}`,
  `conversations.list?input=${input({ limit: 20 })}`,
  'auth.me',
  'shops.list',
  // refused by the procedure or its input schema: tRPC's error shape, its status
  `conversations.history?input=${input({ conversationId: strangersConversation })}`,
  `conversations.history?input=${input({ conversationId, limit: 0 })}`,
  `conversations.history?input=${input({ conversationId: 'x' })}`,
  'conversations.history',
  // batches: all answered (200), some refused (207), all refused alike (that status)
  `conversations.list,auth.me?batch=1&input=${batchInput([{ limit: 5 }, undefined])}`,
  `conversations.history,conversations.get?batch=1&input=${batchInput([{ conversationId }, { conversationId: strangersConversation }])}`,
  `conversations.get,conversations.get?batch=1&input=${batchInput([{ conversationId: 99999 }, { conversationId: strangersConversation }])}`,
];

test('a GET query gets the same status, headers and body as from tRPC’s adapter', async () => {
  const callers: Record<string, string>[] = [{}, { authorization: 'Bearer not-a-token' }];
  for (const path of queryPaths()) {
    for (const headers of callers) {
      const fast = await answerQueriesAsText(request(path, headers));
      assert.ok(fast, `answered without the adapter: ${path}`);
      assert.deepEqual(await seen(asResponse(fast)), await seen(await answerWithAdapter(request(path, headers))), path);
    }
  }
});

test('a 64-bit id and the text of a message come through the query path exactly', async () => {
  const response = await handleTrpcRequest(request(`conversations.history?input=${input({ conversationId })}`));
  const body = JSON.parse(await response.text());
  const ids: string[] = body.result.data.json.messages.map((m: { id: string }) => m.id);
  assert.equal(ids.length, 2);
  for (const [i, id] of ids.entries()) assert.deepEqual(body.result.data.meta.values[`messages.${i}.id`], ['bigint'], id);
  assert.deepEqual(
    body.result.data.json.messages.map((m: { content: string }) => m.content),
    ['hello', 'a.b \\ "quoted"'],
  );
});

test('what is not a well-formed GET query is left to tRPC’s adapter, and answered by it', async () => {
  const left = [
    request('conversations.markRead'), // a mutation over GET: the adapter's 405
    request('no.such.procedure'), // the adapter's 404
    request('conversations.history?input=%7Bnot json'), // the adapter's parse error
    request(`conversations.list,auth.me?batch=1&input=${encodeURIComponent('[1]')}`), // a batch input that is not an object: 207, only the call that reads it fails
    request(`${Array.from({ length: 51 }, () => 'auth.me').join(',')}?batch=1`), // too large a batch
    request('auth.me', { 'trpc-accept': 'application/jsonl' }), // streaming
    request('conversations.list,auth.me?batch=1', { accept: 'text/html, application/jsonl' }), // streaming, asked through accept
    request('auth.me', { 'content-type': 'text/plain' }),
    new Request(`${ORIGIN}/api/trpc/auth.me`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
  ];
  for (const req of left) {
    assert.equal(await answerQueriesAsText(req.clone()), undefined, req.url);
    assert.deepEqual(await seen(await handleTrpcRequest(req.clone())), await seen(await answerWithAdapter(req.clone())), req.url);
  }
  const statuses = await Promise.all(left.slice(0, 5).map(async (req) => (await handleTrpcRequest(req)).status));
  assert.deepEqual(statuses, [405, 404, 400, 207, 400]);
});

test('the custom server writes the text form of an answer as the Response would be: status, headers, body', async () => {
  const route = { file: 'api/trpc/[trpc]/route.ts', segments: ['api', 'trpc', null], handlers: { GET: handleTrpcRequest } };
  const server = createServer((req, res) => void answerRoute(route, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const path of queryPaths()) {
      const expected = await seen(await handleTrpcRequest(request(path)));
      const written = await fetch(`${base}/api/trpc/${path}`, { headers: { authorization: `Bearer ${token}` } });
      const got = await seen(written);
      assert.equal(got.status, expected.status, path);
      assert.equal(got.body, expected.body, path);
      assert.equal(written.headers.get('content-length'), String(Buffer.byteLength(expected.body)), path);
      for (const [name, value] of expected.headers) assert.equal(written.headers.get(name), value, `${name} of ${path}`);
    }
  } finally {
    server.close();
  }
});
