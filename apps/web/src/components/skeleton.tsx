import type { ReactNode } from 'react';

/** How many grey rows stand in for the list: about a phone screen's worth. */
const ROWS = 6;

/**
 * Grey rows in the shape of the task list, while its first page loads: the page keeps its shape, and a
 * screen reader hears "Loading your tasks" once instead of the shapes.
 */
export function TaskListSkeleton() {
  return (
    <div className="skeleton">
      <p role="status" className="visually-hidden">
        Loading your tasks
      </p>
      <ul className="skeleton__rows" aria-hidden="true">
        {Array.from({ length: ROWS }, (_, row) => (
          <li key={row} className="skeleton__row">
            <span className="skeleton__box" />
            {/* Rows of unequal length read as text to come, not as a grid. */}
            <span className="skeleton__line" style={{ width: `${40 + ((row * 23) % 45)}%` }} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A signed-in page's frame (top bar, heading's place) around what stands in for its content, while the
 * page or the session loads.
 */
function PageFrameSkeleton({ children }: { children: ReactNode }) {
  return (
    <div className="app">
      <div className="topbar" aria-hidden="true">
        <p className="brand">✓ Todo</p>
        {/* Where "Sign out" will be: the bar keeps its height, so nothing jumps when the page arrives. */}
        <span className="skeleton__action" />
      </div>
      <main className="page" aria-busy="true">
        <div className="skeleton__heading" aria-hidden="true" />
        {children}
      </main>
    </div>
  );
}

/** The dashboard while the session is still being checked or its code loads. */
export function DashboardSkeleton() {
  return (
    <PageFrameSkeleton>
      <TaskListSkeleton />
    </PageFrameSkeleton>
  );
}

/** Any other signed-in page while it or the session loads. */
export function PageSkeleton() {
  return (
    <PageFrameSkeleton>
      <p role="status" className="visually-hidden">
        Loading
      </p>
    </PageFrameSkeleton>
  );
}

/** The brand alone, while the session is checked before a page that is not the dashboard. */
export function BrandedLoading() {
  return (
    <main className="page page--center" aria-busy="true">
      <p className="brand brand--loading" aria-hidden="true">
        ✓ Todo
      </p>
      <p role="status" className="visually-hidden">
        Loading
      </p>
    </main>
  );
}
