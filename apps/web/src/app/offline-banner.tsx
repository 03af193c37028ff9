import { useEffect } from 'react';
import { apiRequest } from '../api/client';
import { reportUnreachable, useOffline } from '../api/connection';
import './offline-banner.css';

/** While offline, the server is asked this often whether it can be reached again. */
const PROBE_MS = 5_000;

export const OFFLINE_MESSAGE = 'You are offline. Changes will be sent when the connection is back.';

/** Any answer, even "signed out", proves the server is reachable; a 401 here ends no session. */
const probe = () => apiRequest('GET', '/api/auth/me', { quietUnauthorized: true }).catch(() => {});

/**
 * Says when the server cannot be reached, and asks it again now and then (at once when the browser says
 * the network is back), so that what failed can be sent. The live region is always there, empty while
 * online, so a screen reader announces the change when the sentence appears.
 */
export function OfflineBanner() {
  const offline = useOffline();

  useEffect(() => {
    window.addEventListener('offline', reportUnreachable);
    return () => window.removeEventListener('offline', reportUnreachable);
  }, []);

  useEffect(() => {
    if (!offline) return;
    const timer = setInterval(() => void probe(), PROBE_MS);
    const onOnline = () => void probe();
    window.addEventListener('online', onOnline);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', onOnline);
    };
  }, [offline]);

  return (
    <p className="offline-banner" role="status">
      {offline ? OFFLINE_MESSAGE : ''}
    </p>
  );
}
