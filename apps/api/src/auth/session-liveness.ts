import { LRUCache } from 'lru-cache';
import type { Db } from '../db/client.js';
import { findLiveSession, revokeSession, revokeUserSessions, touchSession } from './session-store.js';

/**
 * Answers "is this session still live?" with at most one database read per session every few seconds.
 * A revocation on this replica takes effect at once; other replicas see it when their entry expires,
 * which is the lag the contract allows (5 s).
 */
export interface SessionLiveness {
  /** The session's expiry when it is live for this user, undefined when revoked or its user is gone. */
  check(sessionId: string, userId: string): Promise<Date | undefined>;
  revoke(sessionId: string, userId?: string): Promise<boolean>;
  /** Revokes all of a user's sessions but `exceptSessionId`; returns how many. */
  revokeAll(userId: string, exceptSessionId?: string): Promise<number>;
  /** Forgets what this replica knows of a user's sessions (after the user is deleted). */
  forgetUser(userId: string): void;
}

interface Entry {
  userId: string;
  expiresAt: Date | undefined;
}

// "Last seen" is written at most once a minute per session, so reads stay reads.
const LAST_SEEN_RESOLUTION_MS = 60_000;

export function createSessionLiveness(db: Db, ttlMs = 5_000, max = 50_000): SessionLiveness {
  const cache = new LRUCache<string, Entry>({ max, ttl: ttlMs });

  function forget(ids: Iterable<string>) {
    for (const id of ids) cache.delete(id);
  }

  return {
    async check(sessionId, userId) {
      const cached = cache.get(sessionId);
      if (cached && cached.userId === userId) return cached.expiresAt;
      const session = await findLiveSession(db, sessionId, userId);
      cache.set(sessionId, { userId, expiresAt: session?.expiresAt });
      if (session && Date.now() - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
        // Best effort: a missed "last seen" must never fail the request it rides on.
        touchSession(db, sessionId).catch(() => {});
      }
      return session?.expiresAt;
    },
    async revoke(sessionId, userId) {
      const revoked = await revokeSession(db, sessionId, userId);
      cache.delete(sessionId);
      return revoked;
    },
    async revokeAll(userId, exceptSessionId) {
      const ids = await revokeUserSessions(db, userId, exceptSessionId);
      forget(ids);
      return ids.length;
    },
    forgetUser(userId) {
      // A walk over the cache, but only on account deletion, which is rare.
      const ids: string[] = [];
      cache.forEach((entry, id) => entry.userId === userId && ids.push(id));
      forget(ids);
    },
  };
}
