'use client';
// The front door: the chat list for someone signed in, the sign-in page for anyone else.
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useTranslations } from 'use-intl';
import { useErrorMessage } from './_lib/error-message';
import { useTRPC } from './providers';

export default function HomePage() {
  const trpc = useTRPC();
  const router = useRouter();
  const t = useTranslations('app');
  const errorMessage = useErrorMessage();
  const me = useQuery(trpc.auth.me.queryOptions());

  useEffect(() => {
    if (me.isSuccess) router.replace(me.data ? '/chats' : '/login');
  }, [me.isSuccess, me.data, router]);

  return <main className="state min-h-dvh">{me.isError ? <p role="alert">{errorMessage(me.error)}</p> : <p role="status">{t('loading')}</p>}</main>;
}
