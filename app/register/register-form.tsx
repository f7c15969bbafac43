'use client';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { TextField } from '../_components/text-field';
import { errorMessage } from '../_lib/error-message';
import { useStartSession } from '../_lib/session';
import { useRedirectIfSignedIn } from '../_lib/use-redirect-if-signed-in';
import { useTRPC } from '../providers';

type Role = 'member' | 'seller';

export function RegisterForm() {
  const trpc = useTRPC();
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

  return (
    <form onSubmit={submit} className="form">
      <TextField
        name="username"
        label="Username"
        hint="2 to 32 letters, digits, “_”, “.” or “-”."
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={username}
        onValue={setUsername}
      />
      <TextField name="nickname" label="Nickname (optional)" autoComplete="nickname" value={nickname} onValue={setNickname} />
      <TextField
        name="password"
        label="Password"
        hint="At least 8 characters."
        type="password"
        autoComplete="new-password"
        required
        value={password}
        onValue={setPassword}
      />
      <fieldset className="field choice">
        <legend>Account type</legend>
        <label>
          <input type="radio" name="role" value="member" checked={role === 'member'} onChange={() => setRole('member')} />
          <span className="choice-text">
            <span className="choice-name">Member</span>
            <span className="hint">Chat with people and shops</span>
          </span>
        </label>
        <label>
          <input type="radio" name="role" value="seller" checked={role === 'seller'} onChange={() => setRole('seller')} />
          <span className="choice-text">
            <span className="choice-name">Seller</span>
            <span className="hint">Answer the members who write to your shops</span>
          </span>
        </label>
      </fieldset>
      {signUp.isError && (
        <p className="form-error" role="alert">
          {errorMessage(signUp.error)}
        </p>
      )}
      <button type="submit" className="button primary" disabled={signUp.isPending}>
        {signUp.isPending ? 'Creating account…' : 'Create account'}
      </button>
    </form>
  );
}
