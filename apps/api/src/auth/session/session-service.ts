import type { Session } from '../../db/schema.js';
import { fail } from '../../errors.js';
import type { SessionJson } from '@todo/shared/auth-schemas';
import { recordAuthEvent } from '../audit-log.js';
import type { RequestMeta } from '../request-meta.js';
import type { AuthUser } from './authenticate.js';
import type { SessionDeps } from './session-deps.js';
import { listLiveSessions, revokeSession, revokeUserSessions } from './session-store.js';

export async function listSessions(deps: SessionDeps, caller: AuthUser): Promise<SessionJson[]> {
  return (await listLiveSessions(deps.db, caller.id)).map((session) => toSessionJson(session, caller.sessionId));
}

export async function signOut(deps: SessionDeps, caller: AuthUser, meta: RequestMeta): Promise<void> {
  await revokeSession(deps.db, caller.sessionId);
  deps.liveness.forget([caller.sessionId]);
  await recordAuthEvent(deps.db, 'signout', { userId: caller.id }, meta);
}

/** Signs one of the caller's devices out. Another user's session is "not found", like a missing one. */
export async function revokeOwnSession(
  deps: SessionDeps,
  caller: AuthUser,
  sessionId: string,
  meta: RequestMeta,
): Promise<void> {
  const revoked = await revokeSession(deps.db, sessionId, caller.id);
  deps.liveness.forget([sessionId]);
  if (!revoked) throw fail('session_not_found');
  await recordAuthEvent(deps.db, 'session_revoked', { userId: caller.id }, meta);
}

/** Signs out every device, or every other device when keepCurrent is set; returns how many. */
export async function signOutAll(
  deps: SessionDeps,
  caller: AuthUser,
  keepCurrent: boolean,
  meta: RequestMeta,
): Promise<number> {
  const revoked = await revokeUserSessions(deps.db, caller.id, keepCurrent ? caller.sessionId : undefined);
  deps.liveness.forget(revoked);
  await recordAuthEvent(deps.db, 'signout_all', { userId: caller.id }, meta);
  return revoked.length;
}

function toSessionJson(session: Session, currentSessionId: string): SessionJson {
  return {
    id: session.id,
    created_at: session.createdAt.toISOString(),
    last_seen_at: session.lastSeenAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    user_agent: session.userAgent,
    ip: session.ip,
    current: session.id === currentSessionId,
  };
}
