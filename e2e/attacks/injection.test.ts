// Injection: SQL-ish and script payloads in every text field a client writes (message content on
// every sending face, nicknames, shop names) come back byte for byte on every face that lists them;
// lone surrogates are refused (they cannot be kept exactly); `javascript:` logos are refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { stringifyJson } from '@/server/lib/json';
import { startServer, type RunningServer } from '../server-process';
import type { SocketClient } from '../ws/socket-client';
import { call, countAttack, liveSocket, registerUser, signIn, storeFingerprint, trpc, type Account, type Answer, reportAttacks } from './support';

export const PAYLOADS = [
  "' OR '1'='1' --",
  "'); DROP TABLE messages; --",
  '" OR ""="',
  '1; SELECT * FROM users WHERE 1=1',
  "%' AND 1=1 AND '%'='",
  '\\x27 UNION SELECT password_hash FROM users --',
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  "{{constructor.constructor('alert(1)')()}}",
  '${7*7} #{7*7} <%= 7*7 %>',
  '</textarea><iframe src=//evil.example>',
  '\u202egnp.exe',
  'null',
  '{"__proto__":{"admin":true}}',
  '😀 混合 text \t tab\nnew line',
];

let server: RunningServer;
let member: Account;
let seller: Account;
let socket: SocketClient;
let chatWithSeller = 0;

before(async () => {
  server = await startServer();
  seller = await signIn(server, 'teahouse');
  member = await registerUser(server, 'mallory', { nickname: PAYLOADS[6] });
  socket = await liveSocket(server, member);
  const opened = await trpc(server, member.token, 'conversations.openWithShop', { shopId: 's1001' }, 'mutation');
  chatWithSeller = opened.body.result.data.json.id;
});

after(async () => {
  reportAttacks('injection.test.ts');
  socket?.ws.terminate();
  await server?.stop('SIGKILL');
});

/** Client-chosen message ids, one per send (the same id twice would be one message, Acked twice). */
let clientIds = (1n << 61n) + BigInt(Date.now()) * 1000n;
const nextClientId = () => ++clientIds;

/** Sends `content` on one face; resolves once it is stored. */
const SENDERS: Record<string, (content: string) => Promise<void>> = {
  trpc: async (content) => {
    const answer = await trpc(server, member.token, 'messages.send', { conversationId: chatWithSeller, type: 'text', content }, 'mutation');
    assert.equal(answer.status, 200, answer.text);
  },
  socket: async (content) => {
    const id = nextClientId();
    const from = socket.frames.length;
    socket.send({ id, fromUserId: member.id, cId: chatWithSeller, chatType: 'Single', msgType: 'Text', content });
    const answer = await socket.next((frame) => (frame.msgType === 'Ack' || frame.msgType === 'Error') && String(frame.content).includes(String(id)) || frame.srcId === id, 5_000, from);
    assert.equal(answer.msgType, 'Ack', stringifyJson(answer));
  },
  seed003: async (content) => {
    const answer = await call(server, '/chat-records/create', { token: member.token, json: { memberId: member.id, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: content } });
    assert.equal(answer.status, 200, answer.text);
  },
  seed003form: async (content) => {
    const body = new URLSearchParams({ memberId: String(member.id), sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: content }).toString();
    const answer = await call(server, '/chat-records/create', { token: member.token, body, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(answer.status, 200, answer.text);
  },
};

/** Every listing of the member's chat with the shop, as the text of each message, oldest first. */
async function listedContents(): Promise<Record<string, string[]>> {
  const history = await trpc(server, member.token, 'conversations.history', { conversationId: chatWithSeller, limit: 200 }, 'query');
  const seed000 = await call(server, '/api/chat?type=all&pageSize=100', { token: member.token });
  const seed001 = await call(server, '/api/dialog?include=dialogMessage', { token: member.token });
  const seed002 = await call(server, '/im/message/user/get/page', { token: member.token, json: { userId: member.id, pageNum: 1, pageSize: 100 } });
  const seed003 = await call(server, `/chat-records/list?memberId=${member.id}&sellerId=s1001&pageSize=100`, { token: member.token });
  const seed004 = await call(server, `/api/platform?s=Platform.ChatMessage.GetMessageList&perpage=100&access_token=${member.token}&chat_message_to_uuid=${seller.uuid}`);
  const window = seed000.body.data.list.find((w: { id: number }) => w.id === chatWithSeller);
  return {
    trpc: history.body.result.data.json.messages.map((m: { content: string }) => m.content),
    // Seed 000 shows a window's latest 20 messages and its last one.
    seed000: window.messages.map((m: { message: string }) => m.message),
    seed000last: [window.afterMessage],
    seed001last: [seed001.body.included.find((r: { type: string }) => r.type === 'dialog_message').attributes.message_text],
    seed002: seed002.body.map((m: { content: string }) => m.content).reverse(),
    seed003: seed003.body.items.map((m: { cnt: string }) => m.cnt).reverse(),
    seed004: seed004.body.data.items.map((m: { chat_message_data: string }) => m.chat_message_data).reverse(),
  };
}

test('SQL-ish and script payloads sent on every face are stored as text and listed byte for byte on every face', async () => {
  const sent: string[] = [];
  for (const [face, send] of Object.entries(SENDERS)) {
    for (const payload of PAYLOADS) {
      const content = `${payload} [${face}]`;
      await send(content);
      sent.push(content);
      countAttack();
    }
  }
  const listed = await listedContents();
  for (const [face, contents] of Object.entries(listed)) {
    const expected = face.endsWith('last') ? sent.slice(-1) : face === 'seed000' ? sent.slice(-20) : sent;
    assert.deepEqual(contents, expected, `${face} lists exactly what was sent`);
  }
  const users = await call(server, '/api/chat?type=all', { token: seller.token });
  assert.ok(users.body.data.list.some((w: { user: { nickname: string } }) => w.user.nickname === PAYLOADS[6]), 'the script nickname is listed as text');
  const tables = await call(server, '/api/health');
  assert.equal(tables.status, 200, 'the store is still whole');
});

test('payloads in nicknames and shop names are kept as text; `javascript:` and other non-http logos are refused', async () => {
  for (const payload of PAYLOADS.slice(0, 13)) {
    const account = await registerUser(server, `u${Math.random().toString(36).slice(2, 10)}`, { nickname: payload.slice(0, 64) });
    const me = await trpc(server, account.token, 'auth.me', undefined, 'query');
    assert.equal(me.body.result.data.json.nickname, payload.slice(0, 64).trim());
    countAttack();
  }
  const shopSeller = await registerUser(server, 'shopkeeper', { role: 'seller' });
  const created = await call(server, '/api/shops', { token: shopSeller.token, json: { name: PAYLOADS[1], logo: '/demo/tea.svg' } });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.shop.name, PAYLOADS[1]);

  const before = storeFingerprint(server);
  const badLogos = ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:image/svg+xml,<svg onload=alert(1)>', 'vbscript:msgbox(1)', '//evil.example/x.png', '/\\evil.example/x.png', 'file:///etc/passwd', 'http://', 'x'.repeat(501)];
  for (const logo of badLogos) {
    const rest = await call(server, '/api/shops', { token: shopSeller.token, json: { name: 'Logo', logo } });
    const viaTrpc = await trpc(server, shopSeller.token, 'shops.create', { name: 'Logo', logo }, 'mutation');
    countAttack(2);
    assert.equal(rest.status, 400, `${logo}: ${rest.text}`);
    assert.equal(viaTrpc.status, 400, `${logo}: ${viaTrpc.text}`);
  }
  assert.equal(storeFingerprint(server), before, 'no shop was opened with a bad logo');
  for (const logo of ['https://cdn.example/logo.png', 'http://cdn.example/logo.png', '/demo/books.svg']) {
    const ok = await call(server, '/api/shops', { token: shopSeller.token, json: { name: 'Logo', logo } });
    assert.equal(ok.status, 201, `${logo}: ${ok.text}`);
  }
});

test('lone surrogates are refused with a 400 in each face’s shape and store nothing', async () => {
  const before = storeFingerprint(server);
  const lone = ['\ud800', 'a\udfffb', 'ok 😀 then \ud83d'];
  // Every JSON encoder writes a lone surrogate as a \u escape: that is what a client sends.
  const refusals: [string, () => Promise<Answer | Record<string, any>>, (answer: any) => boolean][] = lone.flatMap((text) => [
    [`tRPC ${JSON.stringify(text)}`, () => trpc(server, member.token, 'messages.send', { conversationId: chatWithSeller, type: 'text', content: text }, 'mutation'), (a: Answer) => a.status === 400 && /Unicode/.test(a.text)],
    [`seed 003 ${JSON.stringify(text)}`, () => call(server, '/chat-records/create', { token: member.token, json: { memberId: member.id, sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: text } }), (a: Answer) => a.status === 400 && a.body.result === 'error'],
    [`REST nickname ${JSON.stringify(text)}`, () => call(server, '/api/auth/register', { json: { username: `s${Math.random().toString(36).slice(2, 9)}`, password: 'password-123', nickname: text } }), (a: Answer) => a.status === 400 && a.body.error.code === 'BAD_REQUEST'],
    [`REST shop name ${JSON.stringify(text)}`, () => call(server, '/api/shops', { token: seller.token, json: { name: text } }), (a: Answer) => a.status === 400],
    [
      `socket ${JSON.stringify(text)}`,
      async () => {
        const id = nextClientId();
        const from = socket.frames.length;
        socket.send({ id, fromUserId: member.id, cId: chatWithSeller, chatType: 'Single', msgType: 'Text', content: text });
        return socket.next((frame) => frame.msgType === 'Error' || (frame.msgType === 'Ack' && String(frame.content).includes(String(id))), 5_000, from);
      },
      (frame: Record<string, any>) => frame.msgType === 'Error' && frame.code === 400,
    ],
  ]);
  for (const [what, attempt, refused] of refusals) {
    const answer = await attempt();
    countAttack();
    assert.ok(refused(answer), `${what}: ${stringifyJson('text' in answer ? answer.text : answer)}`);
  }
  assert.equal(storeFingerprint(server), before);
});
