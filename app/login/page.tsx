import type { Metadata } from 'next';
import { AuthCard } from '../_components/auth-card';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in' };

export default function LoginPage() {
  return (
    <AuthCard mode="signIn">
      <LoginForm />
    </AuthCard>
  );
}
