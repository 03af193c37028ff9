import type { ReactNode } from 'react';
import { PageHeading } from '../app/page-heading';

/** The centred card both auth pages sit in. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="page page--center">
      <section className="card auth-card" aria-labelledby="page-title">
        <p className="brand" aria-hidden="true">
          ✓ Todo
        </p>
        <PageHeading id="page-title">{title}</PageHeading>
        {children}
      </section>
    </main>
  );
}
