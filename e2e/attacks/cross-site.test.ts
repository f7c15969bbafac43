// Cross-site: a page on another site (or another port of this one) posts with the victim's session
// cookie as a plain form, as text/plain or as multipart, or opens the socket. Every such request is
// refused in its face's shape and changes nothing; the same request from the app's own pages works.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../server-process';
import { call, countAttack, signIn, storeFingerprint, wsUrl, type Account, type Answer, reportAttacks } from './support';

let server: RunningServer;
let alice: Account;
let cookie = '';
let aliceBob = 0;

before(async () => {
  server = await startServer();
  alice = await signIn(server, 'alice');
  await signIn(server, 'bob');
  await signIn(server, 'teahouse');
  cookie = `chat_session=${alice.token}`;
  const chats = await call(server, '/api/trpc/conversations.list', { token: alice.token });
  aliceBob = (chats.body.result.data.json as { id: number; peer: { username: string } }[]).find((c) => c.peer.username === 'bob')!.id;
});

after(async () => {
  reportAttacks('cross-site.test.ts');
  await server?.stop('SIGKILL');
});

/** What a browser adds to a request another site's page makes. */
const FOREIGN: Record<string, string>[] = [
  { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
  // Another port of the same host is "same-site": SameSite=Lax cookies go along, so only Origin tells.
  { origin: 'http://127.0.0.1:1', 'sec-fetch-site': 'same-site' },
  // An older browser that sends Origin but no Fetch Metadata.
  { origin: 'https://evil.example' },
];

type Body = { contentType: string; body: string };

const asForm = (fields: Record<string, string | number>): Body => ({
  contentType: 'application/x-www-form-urlencoded',
  body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString(),
});
const asTextPlain = (json: unknown): Body => ({ contentType: 'text/plain;charset=UTF-8', body: JSON.stringify(json) });
const asJson = (json: unknown): Body => ({ contentType: 'application/json', body: JSON.stringify(json) });
function asMultipart(fields: Record<string, string | number>): Body {
  const boundary = '----attack';
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: `${parts.join('')}--${boundary}--\r\n` };
}

function post(path: string, { contentType, body }: Body, headers: Record<string, string>): Promise<Answer> {
  return call(server, path, { method: 'POST', body, headers: { cookie, 'content-type': contentType, ...headers } });
}

const chatRecord = { memberId: 0, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: 'forged' };

/** Every cookie-authenticated write, in each content type a page on another site can send without CORS. */
function forgedWrites(): { what: string; path: string; bodies: Body[]; refused: (answer: Answer) => boolean }[] {
  const record = { ...chatRecord, memberId: alice.id };
  const trpcSend = { json: { conversationId: aliceBob, type: 'text', content: 'forged' } };
  const trpcRefused = (a: Answer) => a.status >= 400 && a.status < 500 && a.body?.error?.json?.data?.httpStatus === a.status;
  return [
    { what: 'tRPC messages.send', path: '/api/trpc/messages.send', bodies: [asTextPlain(trpcSend), asForm({ json: JSON.stringify(trpcSend.json) }), asMultipart({ conversationId: aliceBob }), asJson(trpcSend)], refused: trpcRefused },
    { what: 'tRPC auth.signOut', path: '/api/trpc/auth.signOut', bodies: [asTextPlain({}), asMultipart({ a: 1 }), asJson({})], refused: trpcRefused },
    { what: 'tRPC conversations.hide', path: '/api/trpc/conversations.hide', bodies: [asTextPlain({ json: { conversationId: aliceBob } }), asJson({ json: { conversationId: aliceBob } })], refused: trpcRefused },
    { what: 'seed 003 create', path: '/chat-records/create', bodies: [asForm(record), asTextPlain(record), asMultipart(record), asJson(record)], refused: (a) => a.status === 403 && a.body?.result === 'error' },
    { what: 'seed 002 clear unread', path: '/im/user/chat/clear/unread', bodies: [asTextPlain({ id: aliceBob }), asForm({ id: aliceBob }), asJson({ id: aliceBob })], refused: (a) => a.status === 500 && a.body?.code === 403 },
    { what: 'seed 002 top', path: '/im/user/chat/top', bodies: [asTextPlain({ id: aliceBob, top: true }), asJson({ id: aliceBob, top: true })], refused: (a) => a.status === 500 && a.body?.code === 403 },
    { what: 'seed 004', path: '/api/platform?s=Platform.ChatMessage.GetMessageList', bodies: [asForm({ chat_message_to_uuid: alice.uuid })], refused: (a) => a.status === 200 && a.body?.ret === 400 && /other sites/.test(a.body.msg) },
    { what: 'REST shop', path: '/api/shops', bodies: [asTextPlain({ name: 'forged' }), asJson({ name: 'forged' })], refused: (a) => a.status === 403 && a.body?.error?.code === 'FORBIDDEN' },
    { what: 'REST upload', path: '/api/upload', bodies: [asMultipart({ file: 'x' })], refused: (a) => a.status === 403 && a.body?.error?.code === 'FORBIDDEN' },
  ];
}

test('cookie-authenticated writes from another origin are refused in every face and change nothing', async () => {
  const before = storeFingerprint(server);
  for (const write of forgedWrites()) {
    for (const body of write.bodies) {
      for (const headers of FOREIGN) {
        const answer = await post(write.path, body, headers);
        countAttack();
        assert.ok(write.refused(answer), `${write.what} as ${body.contentType} from ${JSON.stringify(headers)}: ${answer.status} ${answer.text}`);
      }
    }
  }
  assert.equal(storeFingerprint(server), before, 'nothing was written');
  const me = await call(server, '/api/trpc/auth.me', { headers: { cookie } });
  assert.equal(me.body.result.data.json?.id, alice.id, 'the session survived the forged sign-outs');
});

test('tRPC takes only JSON: text/plain and form bodies are refused even from the app’s own origin', async () => {
  const before = storeFingerprint(server);
  const own = { origin: server.url, 'sec-fetch-site': 'same-origin' };
  const send = { json: { conversationId: aliceBob, type: 'text', content: 'not json' } };
  for (const body of [asTextPlain(send), asForm({ json: JSON.stringify(send.json) }), asMultipart({ json: JSON.stringify(send.json) })]) {
    const answer = await post('/api/trpc/messages.send', body, own);
    countAttack();
    assert.equal(answer.status, 415, `${body.contentType}: ${answer.text}`);
    assert.equal(answer.body.error.json.data.code, 'UNSUPPORTED_MEDIA_TYPE');
  }
  assert.equal(storeFingerprint(server), before);
});

test('the same writes from the app’s own pages, and with a Bearer token from anywhere, still work', async () => {
  const own = { origin: server.url, 'sec-fetch-site': 'same-origin' };
  const sent = await post('/api/trpc/messages.send', asJson({ json: { conversationId: aliceBob, type: 'text', content: 'from my own page' } }), own);
  assert.equal(sent.status, 200, sent.text);
  const record = await post('/chat-records/create', asForm({ ...chatRecord, memberId: alice.id }), own);
  assert.equal(record.status, 200, record.text);
  // No Origin at all: a program, not a browser page, sends it (browsers always send Origin on POST).
  const noOrigin = await post('/im/user/chat/clear/unread', asJson({ id: aliceBob }), {});
  assert.equal(noOrigin.status, 200, noOrigin.text);
  // A Bearer token is never sent by a browser on its own: the origin does not matter.
  const bearer = await call(server, '/chat-records/create', {
    token: alice.token,
    json: { ...chatRecord, memberId: alice.id, cnt: 'bearer' },
    headers: { origin: 'https://integrator.example', 'sec-fetch-site': 'cross-site' },
  });
  assert.equal(bearer.status, 200, bearer.text);
});

test('the socket refuses foreign origins before the upgrade, even with the session cookie', async () => {
  for (const origin of ['https://evil.example', 'http://127.0.0.1:1', 'null']) {
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(wsUrl(server), { headers: { origin, cookie } });
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('open', () => {
        ws.terminate();
        reject(new Error(`${origin} was let in`));
      });
      ws.once('error', () => {});
    });
    countAttack();
    assert.equal(status, 403, origin);
  }
});
