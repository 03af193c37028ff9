import type { ReactNode } from 'react';

/** The centred card both auth pages sit in. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="page page--center">
      <section className="card auth-card" aria-labelledby="page-title">
        <p className="brand" aria-hidden="true">
          ✓ Todo
        </p>
        <h1 id="page-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}
