import type { WithSubquery } from 'drizzle-orm';
import { authEvents, sessions, type User } from '../../db/schema.js';
import type { AuthResult } from '@todo/shared/auth-schemas';
import { authEventInsert, type AuthEventName } from '../audit-log.js';
import type { RequestMeta } from '../request-meta.js';
import { toUserJson } from '../users.js';
import type { SessionDeps } from './session-deps.js';
import { issueToken } from './tokens.js';

export interface OpenSessionOptions {
  /** The audit event that says how the session was opened ('signin_success', 'signup'). */
  event: AuthEventName;
  /**
   * More writes that belong to this sign-in, as data-modifying CTEs built on `deps.db`, run in the same
   * statement (ending a throttle streak).
   */
  alongside?: WithSubquery[];
}

/**
 * Where every way of signing in ends: a session row, its audit event and the signed token, in one
 * database round trip. Sign-in's hot path; the benchmark measures it.
 */
export async function openSession(
  deps: Pick<SessionDeps, 'db' | 'keys' | 'tokenTtlSeconds'>,
  user: User,
  meta: RequestMeta,
  options: OpenSessionOptions,
): Promise<AuthResult> {
  const { db } = deps;
  const issuedAt = new Date();
  const expiresAt = new Date(issuedAt.getTime() + deps.tokenTtlSeconds * 1000);
  const audit = db
    .$with('audit')
    .as(
      authEventInsert(db, options.event, { userId: user.id, email: user.email }, meta).returning({ id: authEvents.id }),
    );
  const [session] = await db
    .with(audit, ...(options.alongside ?? []))
    .insert(sessions)
    .values({ userId: user.id, expiresAt, userAgent: meta.userAgent ?? null, ip: meta.ip ?? null })
    .returning({ id: sessions.id });
  const token = await issueToken(
    deps.keys,
    { userId: user.id, email: user.email, name: user.name, sessionId: session!.id },
    expiresAt,
    issuedAt,
  );
  return { user: toUserJson(user), token, expires_at: expiresAt.toISOString() };
}
