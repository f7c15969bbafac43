'use client';
// The frame shared by the sign-in and sign-up pages.
import Link from 'next/link';
import type { ReactNode } from 'react';
import { useTranslations } from 'use-intl';
import { LanguageSwitch } from './language-switch';

export function AuthCard({ mode, children }: { mode: 'signIn' | 'signUp'; children: ReactNode }) {
  const t = useTranslations();
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-sm flex-col justify-center gap-4 p-4">
      <div className="flex items-center justify-between">
        <p className="text-xl font-bold text-accent-strong">{t('app.name')}</p>
        <LanguageSwitch />
      </div>
      <section className="rounded-xl border border-line bg-surface p-5 shadow-sm">
        <h1 className="mb-4 text-xl font-semibold">{mode === 'signIn' ? t('auth.signIn') : t('auth.signUp')}</h1>
        {children}
      </section>
      <p className="text-center text-sm text-muted">
        {mode === 'signIn' ? (
          <>
            {t('auth.newHere')} <Link href="/register">{t('auth.createAccount')}</Link>
          </>
        ) : (
          <>
            {t('auth.haveAccount')} <Link href="/login">{t('auth.signIn')}</Link>
          </>
        )}
      </p>
    </main>
  );
}
