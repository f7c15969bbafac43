import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '../_components/auth-card';
import { RegisterForm } from './register-form';

export const metadata: Metadata = { title: 'Create an account' };

export default function RegisterPage() {
  return (
    <AuthCard
      title="Create an account"
      footer={
        <>
          Already have an account? <Link href="/login">Sign in</Link>
        </>
      }
    >
      <RegisterForm />
    </AuthCard>
  );
}
