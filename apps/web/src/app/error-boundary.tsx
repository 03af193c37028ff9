import { Component, type ReactNode } from 'react';
import { PageHeading } from './page-heading';
import { HOME_PATH } from './paths';

interface ErrorBoundaryProps {
  children: ReactNode;
}

/**
 * A page that throws while rendering shows this instead of a blank screen. React's error boundaries
 * are class components only. The error stays in the console (React logs what a boundary caught); the
 * page shows no stack. The way back is a plain link, so it reloads the app from a clean state.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="page page--center">
        <PageHeading>Something went wrong</PageHeading>
        <p>This page could not be shown.</p>
        <p>
          <a href={HOME_PATH}>Go to your tasks</a>
        </p>
      </main>
    );
  }
}
