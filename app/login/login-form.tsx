'use client';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { TextField } from '../_components/text-field';
import { errorMessage } from '../_lib/error-message';
import { useStartSession } from '../_lib/session';
import { useRedirectIfSignedIn } from '../_lib/use-redirect-if-signed-in';
import { useTRPC } from '../providers';

export function LoginForm() {
  const trpc = useTRPC();
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
    <form onSubmit={submit} className="form">
      <TextField
        name="username"
        label="Username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={username}
        onValue={setUsername}
      />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onValue={setPassword}
      />
      {signIn.isError && (
        <p className="form-error" role="alert">
          {errorMessage(signIn.error)}
        </p>
      )}
      <button type="submit" className="button primary" disabled={signIn.isPending}>
        {signIn.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
