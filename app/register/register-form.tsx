'use client';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslations } from 'use-intl';
import { AuthSubmit } from '../_components/auth-submit';
import { TextField } from '../_components/text-field';
import { useStartSession } from '../_lib/session';
import { useRedirectIfSignedIn } from '../_lib/use-redirect-if-signed-in';
import { useTRPC } from '../providers';

type Role = 'member' | 'seller';

export function RegisterForm() {
  const trpc = useTRPC();
  const t = useTranslations('auth');
  const startSession = useStartSession();
  useRedirectIfSignedIn();
  const [username, setUsername] = useState('');
  const [nickname, setNickname] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('member');
  const signUp = useMutation(trpc.auth.signUp.mutationOptions({ onSuccess: startSession }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // An empty nickname means "use my username", which the server does when none is sent.
    signUp.mutate({ username, password, nickname: nickname.trim() || undefined, role });
  }

  const choice = (value: Role, name: string, hint: string) => (
    <label className={`flex cursor-pointer items-start gap-2 rounded-lg border p-3 ${role === value ? 'border-accent bg-accent-soft' : 'border-line'}`}>
      <input type="radio" name="role" value={value} checked={role === value} onChange={() => setRole(value)} className="mt-1 accent-accent" />
      <span className="flex flex-col">
        <span className="font-medium">{name}</span>
        <span className="text-xs text-muted">{hint}</span>
      </span>
    </label>
  );

  return (
    <form onSubmit={submit} className="flex flex-col gap-4">
      <TextField
        name="username"
        label={t('username')}
        hint={t('usernameHint')}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={username}
        onValue={setUsername}
      />
      <TextField name="nickname" label={t('nickname')} autoComplete="nickname" value={nickname} onValue={setNickname} />
      <TextField name="password" label={t('password')} hint={t('passwordHint')} type="password" autoComplete="new-password" required value={password} onValue={setPassword} />
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t('accountType')}</legend>
        {choice('member', t('member'), t('memberHint'))}
        {choice('seller', t('seller'), t('sellerHint'))}
      </fieldset>
      <AuthSubmit action={signUp} label={t('signUp')} pendingLabel={t('signingUp')} />
    </form>
  );
}
