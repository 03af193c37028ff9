import type { FastifyRequest } from 'fastify';
import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { authEvents, type AuthEvent } from '../db/schema.js';
import { clientKey } from '../rate-limit/ip-rate-limit.js';
import { requestMeta, type RequestMeta } from './request-meta.js';

export type AuthEventName =
  | 'signup'
  | 'signin_success'
  | 'signin_failure'
  | 'signin_throttled'
  | 'signout'
  | 'signout_all'
  | 'session_revoked'
  | 'password_change'
  | 'account_delete'
  | 'profile_updated'
  | 'revoked_token_use'
  | 'access_denied';

export interface AuthEventSubject {
  userId?: string | undefined;
  email?: string | undefined;
}

/**
 * The insert that appends to the audit trail, for callers that run it inside a statement of their
 * own. Never given a password or a token: only who, what, where and when.
 */
export function authEventInsert(db: Db, event: AuthEventName, subject: AuthEventSubject, meta: RequestMeta) {
  return db.insert(authEvents).values({
    event,
    userId: subject.userId ?? null,
    email: subject.email ?? null,
    ip: meta.ip ?? null,
    userAgent: meta.userAgent ?? null,
    requestId: meta.requestId ?? null,
  });
}

export async function recordAuthEvent(
  db: Db,
  event: AuthEventName,
  subject: AuthEventSubject,
  meta: RequestMeta,
): Promise<void> {
  await authEventInsert(db, event, subject, meta);
}

/** Events noticed while refusing a request, which anyone can cause as often as they like. */
export type RefusalEventName = Extract<AuthEventName, 'access_denied' | 'revoked_token_use'>;

/**
 * Records a refusal at a bounded rate: one row per event, client address (an IPv6 /64, as for rate
 * limits) and user per clock minute, whose `count` says how many refusals it stands for. Writing a row
 * for each let a cross-site page write 375 rows a second (~1 GB an hour). The user is part of the key
 * so that each person's own events stay true; a client can only name users it holds a token for.
 * One statement: the unique index settles refusals that arrive together.
 */
export async function recordRefusal(
  db: Db,
  event: RefusalEventName,
  subject: { userId?: string | undefined },
  meta: RequestMeta,
): Promise<void> {
  const keyPrefix = `${event}|${clientKey(meta.ip ?? '')}|${subject.userId ?? ''}|`;
  await db
    .insert(authEvents)
    .values({
      event,
      userId: subject.userId ?? null,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent ?? null,
      requestId: meta.requestId ?? null,
      refusalKey: sql`${keyPrefix} || floor(extract(epoch from now()) / 60)::bigint`,
      count: 1,
    })
    .onConflictDoUpdate({
      target: authEvents.refusalKey,
      targetWhere: sql`${authEvents.refusalKey} is not null`,
      set: { count: sql`${authEvents.count} + 1` },
    });
}

/**
 * For refusals (a revoked token, a 403): the refusal must stand even if the audit write fails, so a
 * failure is logged instead of turning a 401 or 403 into a 500.
 */
export async function tryRecordAuthEvent(
  db: Db,
  event: RefusalEventName,
  subject: { userId?: string | undefined },
  request: FastifyRequest,
): Promise<void> {
  try {
    await recordRefusal(db, event, subject, requestMeta(request));
  } catch (err) {
    request.log.warn({ err, event }, 'could not record an auth event');
  }
}

/** Forgets events older than the retention (AUDIT_RETENTION), run by the app's housekeeping. */
export async function pruneAuthEvents(db: Db, retentionSeconds: number): Promise<void> {
  await db.delete(authEvents).where(sql`${authEvents.createdAt} < now() - ${retentionSeconds} * interval '1 second'`);
}

export function listAuthEvents(db: Db, userId: string, limit: number): Promise<AuthEvent[]> {
  return db
    .select()
    .from(authEvents)
    .where(eq(authEvents.userId, userId))
    .orderBy(desc(authEvents.createdAt), desc(authEvents.id))
    .limit(limit);
}
