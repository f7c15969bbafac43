'use client';
// Starting and ending the browser's session: the cookie is set by the server, the cache by us.
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import { useTRPC } from '../providers';
import type { SignedInUser } from './types';

/** After sign-in or sign-up: forget anything cached for a previous user, then open the chat list. */
export function useStartSession(): (user: SignedInUser) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  return useCallback(
    (user: SignedInUser) => {
      queryClient.removeQueries();
      queryClient.setQueryData(trpc.auth.me.queryKey(), user);
      router.replace('/chats');
    },
    [trpc, queryClient, router],
  );
}

/** After sign-out (or a session the server no longer knows): drop every cached answer, back to sign-in. */
export function useEndSession(): () => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  return useCallback(() => {
    queryClient.removeQueries();
    // A known "signed out" (not an empty cache) keeps pages that wait for a user from asking again.
    queryClient.setQueryData(trpc.auth.me.queryKey(), null);
    router.replace('/login');
  }, [trpc, queryClient, router]);
}
