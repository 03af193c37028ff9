import { and, desc, eq, gt, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { sessions, users, type Session } from '../../db/schema.js';
import type { RequestMeta } from '../request-meta.js';
import { CLOCK_TOLERANCE_SECONDS } from './tokens.js';

export async function createSession(db: Db, userId: string, expiresAt: Date, meta: RequestMeta): Promise<string> {
  const [session] = await db
    .insert(sessions)
    .values({ userId, expiresAt, userAgent: meta.userAgent ?? null, ip: meta.ip ?? null })
    .returning({ id: sessions.id });
  return session!.id;
}

export interface LiveSession {
  expiresAt: Date;
  lastSeenAt: Date;
}

/** The session when it is not revoked and its user still exists; undefined otherwise. */
export async function findLiveSession(db: Db, sessionId: string, userId: string): Promise<LiveSession | undefined> {
  const [row] = await db
    .select({ expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .limit(1);
  return row;
}

export async function touchSession(db: Db, sessionId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(eq(sessions.id, sessionId));
}

/**
 * Moves a live session's expiry to `until`, held to `created_at + maxAgeSeconds`; returns the new expiry,
 * or undefined when the session is revoked or the move would not make it later (it reached its age).
 */
export async function extendSession(
  db: Db,
  sessionId: string,
  until: Date,
  maxAgeSeconds: number,
): Promise<Date | undefined> {
  const ageLimit = sql`${sessions.createdAt} + ${maxAgeSeconds} * interval '1 second'`;
  const newExpiry = sql`least(${until.toISOString()}::timestamptz, ${ageLimit})`;
  const [row] = await db
    .update(sessions)
    .set({ expiresAt: newExpiry })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), sql`${newExpiry} > ${sessions.expiresAt}`))
    .returning({ expiresAt: sessions.expiresAt });
  return row?.expiresAt;
}

export function listLiveSessions(db: Db, userId: string): Promise<Session[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt));
}

/** Revokes one of the user's sessions; false when it is not theirs or already revoked. */
export async function revokeSession(db: Db, sessionId: string, userId?: string): Promise<boolean> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(sessions.id, sessionId),
        isNull(sessions.revokedAt),
        userId === undefined ? undefined : eq(sessions.userId, userId),
      ),
    )
    .returning({ id: sessions.id });
  return revoked.length > 0;
}

/**
 * Revokes every session of the user that could still be used, except one if given; returns the ids.
 * "Could still be used" includes the clock-skew grace after expiry, during which a token still passes.
 */
export async function revokeUserSessions(db: Db, userId: string, exceptSessionId?: string): Promise<string[]> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now() - ${CLOCK_TOLERANCE_SECONDS} * interval '1 second'`),
        exceptSessionId === undefined ? undefined : ne(sessions.id, exceptSessionId),
      ),
    )
    .returning({ id: sessions.id });
  return revoked.map((row) => row.id);
}

/** Expired sessions serve no one; called now and then to keep the table small. */
export async function deleteExpiredSessions(db: Db): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, sql`now() - interval '1 day'`));
}
