'use client';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslations } from 'use-intl';
import { AuthSubmit } from '../_components/auth-submit';
import { TextField } from '../_components/text-field';
import { useStartSession } from '../_lib/session';
import { useRedirectIfSignedIn } from '../_lib/use-redirect-if-signed-in';
import { useTRPC } from '../providers';

export function LoginForm() {
  const trpc = useTRPC();
  const t = useTranslations('auth');
  const startSession = useStartSession();
  useRedirectIfSignedIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation(trpc.auth.signIn.mutationOptions({ onSuccess: startSession }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    signIn.mutate({ username, password });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4">
      <TextField name="username" label={t('username')} autoComplete="username" autoCapitalize="none" spellCheck={false} required value={username} onValue={setUsername} />
      <TextField name="password" label={t('password')} type="password" autoComplete="current-password" required value={password} onValue={setPassword} />
      <AuthSubmit action={signIn} label={t('signIn')} pendingLabel={t('signingIn')} />
    </form>
  );
}
