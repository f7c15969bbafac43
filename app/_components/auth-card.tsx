// The frame shared by the sign-in and sign-up pages.
import type { ReactNode } from 'react';

export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <main className="auth">
      <p className="brand">Chat</p>
      <section className="card">
        <h1>{title}</h1>
        {children}
      </section>
      <p className="auth-footer">{footer}</p>
    </main>
  );
}
