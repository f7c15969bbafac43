'use client';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useTRPC } from '../providers';

/** The sign-in and sign-up pages have nothing to offer someone already signed in. */
export function useRedirectIfSignedIn(): void {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.auth.me.queryOptions());
  useEffect(() => {
    if (me.data) router.replace('/chats');
  }, [me.data, router]);
}
