import type { FastifyReply, FastifyRequest } from 'fastify';
import { setSessionCookie } from './session-cookie.js';
import type { SessionDeps } from './session-deps.js';
import { extendSession } from './session-store.js';
import { findUserById } from '../users.js';
import { issueToken, type VerifiedToken } from './tokens.js';

// Sliding sessions (api.md): a cookie session is renewed at most once a day, so the write rides on
// one request a day and not on every one.
const RENEWAL_INTERVAL_MS = 24 * 60 * 60 * 1000;

export function isDueForRenewal(claims: Pick<VerifiedToken, 'issuedAt'>, now = Date.now()): boolean {
  return now - claims.issuedAt.getTime() > RENEWAL_INTERVAL_MS;
}

/**
 * Moves the session's expiry to now + JWT_EXPIRES_IN (never past sign-in + SESSION_MAX_AGE) and sets a
 * cookie holding a new token for the same session, with the account's name and email as they are now
 * (a renamed person's new token carries the new name). The old token stays valid until its own expiry;
 * renewing never shortens a session.
 */
export async function renewCookieSession(
  deps: Pick<SessionDeps, 'db' | 'keys' | 'tokenTtlSeconds' | 'sessionMaxAgeSeconds'>,
  claims: VerifiedToken,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const issuedAt = new Date();
  const until = new Date(issuedAt.getTime() + deps.tokenTtlSeconds * 1000);
  const expiresAt = await extendSession(deps.db, claims.sessionId, until, deps.sessionMaxAgeSeconds);
  if (!expiresAt) return;
  const user = await findUserById(deps.db, claims.userId);
  if (!user) return;
  const subject = { userId: user.id, email: user.email, name: user.name, sessionId: claims.sessionId };
  const token = await issueToken(deps.keys, subject, expiresAt, issuedAt);
  setSessionCookie(request, reply, token, expiresAt);
}
