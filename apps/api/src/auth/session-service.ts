import type { Db } from '../db/client.js';
import type { Session } from '../db/schema.js';
import { AppError } from '../errors.js';
import { recordAuthEvent, type RequestMeta } from './audit-log.js';
import type { SessionJson } from './auth-schemas.js';
import type { AuthUser } from './authenticate.js';
import type { SessionLiveness } from './session-liveness.js';
import { listLiveSessions, revokeSession, revokeUserSessions } from './session-store.js';

export interface SessionDeps {
  db: Db;
  liveness: SessionLiveness;
}

export async function listSessions(db: Db, caller: AuthUser): Promise<SessionJson[]> {
  return (await listLiveSessions(db, caller.id)).map((session) => toSessionJson(session, caller.sessionId));
}

/** Signs one of the caller's devices out. Another user's session is "not found", like a missing one. */
export async function revokeOwnSession(deps: SessionDeps, caller: AuthUser, sessionId: string, meta: RequestMeta): Promise<void> {
  const revoked = await revokeSession(deps.db, sessionId, caller.id);
  deps.liveness.forget([sessionId]);
  if (!revoked) throw new AppError(404, 'session_not_found', 'Session not found');
  await recordAuthEvent(deps.db, 'session_revoked', { userId: caller.id }, meta);
}

/** Signs out every device, or every other device when keepCurrent is set; returns how many. */
export async function signOutAll(deps: SessionDeps, caller: AuthUser, keepCurrent: boolean, meta: RequestMeta): Promise<number> {
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
