// tRPC over HTTP with the real client (superjson), its fetch pointed at the route's handler.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { signUp } from '@/server/domain/accounts';
import { openDirectConversation } from '@/server/domain/conversations';
import { sendMessage } from '@/server/domain/messages';
import { handleTrpcRequest } from '@/server/trpc/http';
import type { AppRouter } from '@/server/trpc/root';
import { makeUser, useFreshStore } from '@/server/test-support';

beforeEach(() => {
  useFreshStore();
});

/** A browser-like client: keeps the cookie the server sets. */
function browser() {
  let cookie = '';
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: 'http://test/api/trpc',
        transformer: superjson,
        headers: () => (cookie ? { cookie } : {}),
        fetch: async (url, init) => {
          const response = await handleTrpcRequest(new Request(url, init as RequestInit));
          const setCookie = response.headers.get('set-cookie');
          if (setCookie) cookie = setCookie.split(';')[0];
          return response;
        },
      }),
    ],
  });
  return { client, cookie: () => cookie };
}

function bearerClient(token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: 'http://test/api/trpc',
        transformer: superjson,
        headers: { authorization: `Bearer ${token}` },
        fetch: (url, init) => handleTrpcRequest(new Request(url, init as RequestInit)),
      }),
    ],
  });
}

test('sign-in sets an httpOnly SameSite cookie that identifies the user; sign-out ends it', async () => {
  await signUp({ username: 'alice', password: 'password-123' });
  const { client, cookie } = browser();
  assert.equal(await client.auth.me.query(), null);
  const user = await client.auth.signIn.mutate({ username: 'alice', password: 'password-123' });
  assert.equal(user.username, 'alice');
  assert.match(cookie(), /^chat_session=.+/);
  assert.equal((await client.auth.me.query())?.username, 'alice');

  const signedInCookie = cookie();
  await client.auth.signOut.mutate();
  const stale = bearerClient(signedInCookie.split('=')[1]);
  assert.equal(await stale.auth.me.query(), null, 'the old session is revoked, not just forgotten');
});

test('the session cookie is httpOnly and SameSite', async () => {
  await signUp({ username: 'alice', password: 'password-123' });
  const response = await handleTrpcRequest(
    new Request('http://test/api/trpc/auth.signIn', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { username: 'alice', password: 'password-123' } }),
    }),
  );
  const setCookie = response.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Lax/);
});

test('procedures that need a user refuse anonymous callers with UNAUTHORIZED', async () => {
  const { client } = browser();
  await assert.rejects(client.conversations.list.query(), (e) => e instanceof TRPCClientError && e.data?.code === 'UNAUTHORIZED');
  assert.deepEqual(await client.shops.list.query(), [], 'the shop list is public');
});

test('a 64-bit message id travels through tRPC exactly, both ways', async () => {
  const alice = await signUp({ username: 'alice', password: 'password-123' });
  const bob = await makeUser();
  const chat = openDirectConversation(alice.user.id, bob.id);
  const client = bearerClient(alice.token);
  const sent = await client.messages.send.mutate({ conversationId: chat, type: 'text', content: 'max', id: 2n ** 63n - 1n });
  assert.equal(sent.id, 9223372036854775807n);
  sendMessage({ senderId: bob.id, conversationId: chat, type: 'text', content: 'seed', id: 1268242042090295297n });
  const history = await client.conversations.history.query({ conversationId: chat });
  assert.deepEqual(history.messages.map((m) => m.id), [9223372036854775807n, 1268242042090295297n]);
});

test('another user’s conversation is NOT_FOUND through tRPC, exactly like a missing one', async () => {
  const alice = await signUp({ username: 'alice', password: 'password-123' });
  const [bob, carol] = [await makeUser(), await makeUser()];
  const theirs = openDirectConversation(bob.id, carol.id);
  const client = bearerClient(alice.token);
  for (const conversationId of [theirs, 987654]) {
    await assert.rejects(client.conversations.history.query({ conversationId }), (e) => {
      assert.ok(e instanceof TRPCClientError);
      assert.equal(e.data?.code, 'NOT_FOUND');
      assert.equal(e.message, 'no such conversation');
      return true;
    });
  }
  await assert.rejects(client.messages.send.mutate({ conversationId: theirs, type: 'text', content: 'hi' }), (e) =>
    e instanceof TRPCClientError && e.data?.code === 'NOT_FOUND',
  );
});

test('the chat list through tRPC: unread, pinned first, shop name and read receipts', async () => {
  const alice = await signUp({ username: 'alice', password: 'password-123' });
  const bob = await makeUser('member', 'Bob');
  const client = bearerClient(alice.token);
  const opened = await client.conversations.openWithUser.mutate({ userId: bob.id });
  sendMessage({ senderId: bob.id, conversationId: opened.id, type: 'text', content: 'hello' });
  let [summary] = await client.conversations.list.query();
  assert.equal(summary.unread, 1);
  assert.equal(summary.peer.nickname, 'Bob');
  assert.equal(summary.lastMessage?.content, 'hello');
  await client.conversations.markRead.mutate({ conversationId: opened.id });
  [summary] = await client.conversations.list.query();
  assert.equal(summary.unread, 0);
  await assert.rejects(client.conversations.history.query({ conversationId: opened.id, beforeSeq: 2, afterSeq: 1 }), (e) =>
    e instanceof TRPCClientError && e.data?.code === 'BAD_REQUEST',
  );
});
