import { useSyncExternalStore } from 'react';

/** The breakpoint of styles.css's `@media (min-width: 40rem)`: keep the two in step. */
const WIDE_SCREEN_QUERY = '(min-width: 40rem)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(WIDE_SCREEN_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/**
 * Whether the window is wider than a phone. For what CSS cannot do alone: leaving out of the page (and so
 * out of the tab order) what a phone keeps behind a disclosure.
 */
export function useWideScreen(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(WIDE_SCREEN_QUERY).matches);
}
