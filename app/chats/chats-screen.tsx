'use client';
// The chat list of the signed-in user; anyone else is sent to sign in.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { errorMessage, isUnauthorized } from '../_lib/error-message';
import { useEndSession } from '../_lib/session';
import type { SignedInUser } from '../_lib/types';
import { useTRPC } from '../providers';
import { ConversationRow } from './conversation-row';

export function ChatsScreen() {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.auth.me.queryOptions());

  useEffect(() => {
    if (me.isSuccess && me.data === null) router.replace('/login');
  }, [me.isSuccess, me.data, router]);

  if (me.isError) {
    return (
      <main className="centered">
        <p role="alert">{errorMessage(me.error)}</p>
        <button type="button" className="button" onClick={() => me.refetch()}>
          Try again
        </button>
      </main>
    );
  }
  if (!me.data) {
    return (
      <main className="centered">
        <p role="status" className="muted">
          Loading…
        </p>
      </main>
    );
  }
  return (
    <div className="app">
      <TopBar user={me.data} />
      <main>
        <ConversationList user={me.data} />
      </main>
    </div>
  );
}

function TopBar({ user }: { user: SignedInUser }) {
  const trpc = useTRPC();
  const endSession = useEndSession();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: endSession,
      // Already signed out on the server (expired, revoked): the browser should follow.
      onError: (error) => {
        if (isUnauthorized(error)) endSession();
      },
    }),
  );

  return (
    <header className="topbar">
      <h1>Chats</h1>
      <div className="topbar-user">
        <span className="topbar-name" title={user.username}>
          {user.nickname}
        </span>
        <button type="button" className="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          Sign out
        </button>
      </div>
      {signOut.isError && !isUnauthorized(signOut.error) && (
        <p className="form-error topbar-error" role="alert">
          {errorMessage(signOut.error)}
        </p>
      )}
    </header>
  );
}

function ConversationList({ user }: { user: SignedInUser }) {
  const trpc = useTRPC();
  const endSession = useEndSession();
  const conversations = useQuery(trpc.conversations.list.queryOptions());
  const sessionLost = conversations.isError && isUnauthorized(conversations.error);

  useEffect(() => {
    if (sessionLost) endSession();
  }, [sessionLost, endSession]);

  if (conversations.isPending) {
    return (
      <p role="status" className="list-state muted">
        Loading conversations…
      </p>
    );
  }
  if (conversations.isError) {
    return (
      <div className="list-state">
        <p role="alert">{errorMessage(conversations.error)}</p>
        <button type="button" className="button" onClick={() => conversations.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (conversations.data.length === 0) {
    return (
      <div className="list-state empty">
        <p className="empty-title">No conversations yet</p>
        <p className="muted">When you write to someone or to a shop, the chat shows up here.</p>
      </div>
    );
  }
  // The server sends them pinned first, then by latest activity.
  return (
    <ul className="conversations" aria-label="Conversations">
      {conversations.data.map((conversation) => (
        <ConversationRow key={conversation.id} conversation={conversation} myId={user.id} />
      ))}
    </ul>
  );
}
