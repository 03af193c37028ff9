import type { FastifyRequest } from 'fastify';
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { authEvents, type AuthEvent } from '../db/schema.js';
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

/**
 * For events noticed while refusing a request (a revoked token, a 403): the refusal must stand even if
 * the audit write fails, so a failure is logged instead of turning a 401 or 403 into a 500.
 */
export async function tryRecordAuthEvent(
  db: Db,
  event: AuthEventName,
  subject: { userId?: string | undefined },
  request: FastifyRequest,
): Promise<void> {
  try {
    await recordAuthEvent(db, event, subject, requestMeta(request));
  } catch (err) {
    request.log.warn({ err, event }, 'could not record an auth event');
  }
}

export function listAuthEvents(db: Db, userId: string, limit: number): Promise<AuthEvent[]> {
  return db
    .select()
    .from(authEvents)
    .where(eq(authEvents.userId, userId))
    .orderBy(desc(authEvents.createdAt), desc(authEvents.id))
    .limit(limit);
}
