'use client';
// Pages for signed-in people: waits for the user, sends anyone else to sign in, and gives the
// page its header (brand, sections, language, sign-out).
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { useTranslations } from 'use-intl';
import { isUnauthorized, useErrorMessage } from '../_lib/error-message';
import { useEndSession } from '../_lib/session';
import type { SignedInUser } from '../_lib/types';
import { useTRPC } from '../providers';
import { LanguageSwitch } from './language-switch';
import { QueryState } from './query-state';

export function SignedIn({ children }: { children: (user: SignedInUser) => ReactNode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const t = useTranslations('app');
  const me = useQuery(trpc.auth.me.queryOptions());

  useEffect(() => {
    if (me.isSuccess && me.data === null) router.replace('/login');
  }, [me.isSuccess, me.data, router]);

  if (!me.data) return <QueryState query={me} loading={t('loading')} className="state min-h-dvh" />;
  return <>{children(me.data)}</>;
}

export function AppHeader({ user, status }: { user: SignedInUser; status?: ReactNode }) {
  const trpc = useTRPC();
  const t = useTranslations();
  const errorMessage = useErrorMessage();
  const endSession = useEndSession();
  const pathname = usePathname();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: endSession,
      // Already signed out on the server (expired, revoked): the browser should follow.
      onError: (error) => {
        if (isUnauthorized(error)) endSession();
      },
    }),
  );
  const section = (href: string, label: string) => {
    const current = pathname === href || pathname.startsWith(`${href}/`);
    return (
      <Link
        href={href}
        aria-current={current ? 'page' : undefined}
        className={`rounded-md px-3 py-1.5 text-sm font-medium no-underline ${current ? 'bg-accent-soft text-accent-strong' : 'text-muted hover:text-ink'}`}
      >
        {label}
      </Link>
    );
  };

  return (
    <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-line bg-surface px-3 py-2">
      <p className="font-bold text-accent-strong">{t('app.name')}</p>
      <nav aria-label={t('app.name')} className="flex gap-1">
        {section('/chats', t('nav.chats'))}
        {section('/shops', t('nav.shops'))}
      </nav>
      <div className="ml-auto flex items-center gap-2">
        {status}
        <LanguageSwitch />
        <span className="hidden max-w-32 truncate text-sm sm:inline" title={user.username}>
          {user.nickname}
        </span>
        <button type="button" className="btn min-h-8 px-3 py-1" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          {t('auth.signOut')}
        </button>
      </div>
      {signOut.isError && !isUnauthorized(signOut.error) && (
        <p className="w-full text-sm text-danger" role="alert">
          {errorMessage(signOut.error)}
        </p>
      )}
    </header>
  );
}
