import { useEffect, useRef, useSyncExternalStore } from 'react';

/**
 * Whether the server can be reached, as the last request found: a request that never got an answer
 * (fetch threw) means offline, any answer at all (an error status included) means online again. The
 * browser's own offline event counts too, but only an answer from the server ends it.
 */
let offline = false;
const watchers = new Set<() => void>();
const backOnlineListeners = new Set<() => void>();

export function reportUnreachable(): void {
  if (offline) return;
  offline = true;
  for (const watcher of watchers) watcher();
}

export function reportAnswered(): void {
  if (!offline) return;
  offline = false;
  for (const watcher of watchers) watcher();
  for (const listener of [...backOnlineListeners]) listener();
}

export function isOffline(): boolean {
  return offline;
}

function watch(watcher: () => void): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

/** Re-renders when the connection is lost or found again. */
export function useOffline(): boolean {
  return useSyncExternalStore(watch, isOffline);
}

/**
 * Calls the latest `callback` each time the server answers again after being out of reach: the moment
 * to retry what failed for want of a connection, and to drop messages that said so.
 */
export function useBackOnline(callback: () => void): void {
  const latest = useRef(callback);
  latest.current = callback;
  useEffect(() => {
    const listener = () => latest.current();
    backOnlineListeners.add(listener);
    return () => {
      backOnlineListeners.delete(listener);
    };
  }, []);
}
