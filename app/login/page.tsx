import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '../_components/auth-card';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in' };

export default function LoginPage() {
  return (
    <AuthCard
      title="Sign in"
      footer={
        <>
          New here? <Link href="/register">Create an account</Link>
        </>
      }
    >
      <LoginForm />
    </AuthCard>
  );
}
