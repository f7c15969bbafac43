import type { Metadata } from 'next';
import { AuthCard } from '../_components/auth-card';
import { RegisterForm } from './register-form';

export const metadata: Metadata = { title: 'Create account' };

export default function RegisterPage() {
  return (
    <AuthCard mode="signUp">
      <RegisterForm />
    </AuthCard>
  );
}
