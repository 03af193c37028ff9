import { LRUCache } from 'lru-cache';
import type { Db } from '../../db/client.js';
import { findLiveSession, touchSession } from './session-store.js';

/**
 * Answers "is this session still live?" with at most one database read per session every few seconds.
 * Revocations go through `forget`, so they take effect at once on this replica; other replicas see
 * them when their entry expires, within the lag the contract allows (5 s).
 */
export interface SessionLiveness {
  /** The session's expiry when it is live for this user, undefined when revoked or its user is gone. */
  check(sessionId: string, userId: string): Promise<Date | undefined>;
  /** Drops what this replica knows of these sessions; call it after revoking them in the database. */
  forget(sessionIds: Iterable<string>): void;
  /** The same for every session of a user (after the user is deleted). */
  forgetUser(userId: string): void;
}

interface Entry {
  userId: string;
  expiresAt: Date | undefined;
}

// The contract lets other replicas lag 5 s behind a revocation, measured end to end. An entry lives
// 4 s, leaving a second for the read that filled it and for the request that is refused.
const LIVENESS_TTL_MS = 4_000;

// "Last seen" is written at most once a minute per session, so reads stay reads.
const LAST_SEEN_RESOLUTION_MS = 60_000;

export function createSessionLiveness(db: Db, ttlMs = LIVENESS_TTL_MS, max = 50_000): SessionLiveness {
  const cache = new LRUCache<string, Entry>({ max, ttl: ttlMs });
  // Bumped by every revocation. A read that began before a revocation may have seen the session live;
  // it must not put that answer in the cache after the revocation cleared it.
  let revocations = 0;

  return {
    async check(sessionId, userId) {
      const cached = cache.get(sessionId);
      if (cached && cached.userId === userId) return cached.expiresAt;
      const revocationsBefore = revocations;
      const session = await findLiveSession(db, sessionId, userId);
      if (revocations === revocationsBefore) cache.set(sessionId, { userId, expiresAt: session?.expiresAt });
      if (session && Date.now() - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
        // Best effort: a missed "last seen" must never fail the request it rides on.
        touchSession(db, sessionId).catch(() => {});
      }
      return session?.expiresAt;
    },
    forget(sessionIds) {
      revocations++;
      for (const id of sessionIds) cache.delete(id);
    },
    forgetUser(userId) {
      revocations++;
      // A walk over the cache, but only on account deletion, which is rare.
      const ids: string[] = [];
      cache.forEach((entry, id) => entry.userId === userId && ids.push(id));
      for (const id of ids) cache.delete(id);
    },
  };
}
