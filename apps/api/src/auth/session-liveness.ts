import { LRUCache } from 'lru-cache';
import type { Db } from '../db/client.js';
import { findLiveSessionExpiry, revokeSession } from './session-store.js';

/**
 * Answers "is this session still live?" with at most one database read per session every few seconds.
 * A revocation on this replica takes effect at once; other replicas see it when their entry expires,
 * which is the lag the contract allows (5 s).
 */
export interface SessionLiveness {
  /** The session's expiry when it is live for this user, undefined when revoked or its user is gone. */
  check(sessionId: string, userId: string): Promise<Date | undefined>;
  revoke(sessionId: string): Promise<void>;
}

interface Entry {
  userId: string;
  expiresAt: Date | undefined;
}

export function createSessionLiveness(db: Db, ttlMs = 5_000, max = 50_000): SessionLiveness {
  const cache = new LRUCache<string, Entry>({ max, ttl: ttlMs });
  return {
    async check(sessionId, userId) {
      const cached = cache.get(sessionId);
      if (cached && cached.userId === userId) return cached.expiresAt;
      const expiresAt = await findLiveSessionExpiry(db, sessionId, userId);
      cache.set(sessionId, { userId, expiresAt });
      return expiresAt;
    },
    async revoke(sessionId) {
      await revokeSession(db, sessionId);
      cache.delete(sessionId);
    },
  };
}
