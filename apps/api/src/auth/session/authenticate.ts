import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, fail } from '../../errors.js';
import { tryRecordAuthEvent } from '../audit-log.js';
import { assertSameOrigin } from './csrf.js';
import { isDueForRenewal, renewCookieSession } from './renew-session.js';
import { readSessionCookie } from './session-cookie.js';
import type { SessionDeps } from './session-deps.js';
import {
  CLOCK_TOLERANCE_SECONDS,
  expiredTokenError,
  invalidTokenError,
  verifyToken,
  type VerifiedToken,
} from './tokens.js';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  sessionId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate`; routes without it must not read it. */
    user: AuthUser;
  }
}

/**
 * An onRequest hook that sets `request.user` or refuses the request with 401; a cookie session that is
 * due for renewal gets a fresh cookie on the reply.
 */
export type Authenticate = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface Credentials {
  token: string;
  /** True when the token came from the session cookie rather than an Authorization header. */
  fromCookie: boolean;
}

const authRequiredError = () => fail('auth_required', { headers: { 'WWW-Authenticate': 'Bearer' } });

/**
 * The token a request presents: the Bearer header first, else the session cookie; undefined when it
 * has neither. A cookie-authenticated unsafe request from another origin is refused here (CSRF).
 */
export function readCredentials(request: FastifyRequest, allowedOrigins: readonly string[]): Credentials | undefined {
  const header = request.headers.authorization;
  if (header !== undefined && header !== '') {
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match) throw invalidTokenError();
    return { token: match[1]!, fromCookie: false };
  }
  const cookie = readSessionCookie(request);
  if (cookie === undefined) return undefined;
  assertSameOrigin(request, allowedOrigins);
  return { token: cookie, fromCookie: true };
}

/** Verifies a token and its session: the whole answer to "who is calling?". */
export async function resolveUser(deps: SessionDeps, token: string): Promise<AuthUser> {
  const { user } = await resolveToken(deps, token);
  if (!user) throw invalidTokenError();
  return user;
}

/**
 * Like resolveUser, but a well-signed token whose session was revoked (or whose user is gone) comes
 * back as `revokedFor` instead of throwing, so the caller can record that someone used it.
 */
async function resolveToken(
  deps: SessionDeps,
  token: string,
): Promise<
  { user: AuthUser; claims: VerifiedToken; revokedFor?: undefined } | { user?: undefined; revokedFor: string }
> {
  const claims = await verifyToken(deps.keys, token);
  const sessionExpiresAt = await deps.liveness.check(claims.sessionId, claims.userId);
  if (!sessionExpiresAt) return { revokedFor: claims.userId };
  if (sessionExpiresAt.getTime() + CLOCK_TOLERANCE_SECONDS * 1000 < Date.now()) throw expiredTokenError();
  return { user: { id: claims.userId, email: claims.email, name: claims.name, sessionId: claims.sessionId }, claims };
}

/**
 * onRequest hook: 401 unless the request carries a valid token for a live session. On the hot path of
 * every authenticated request.
 */
export function createAuthenticate(deps: SessionDeps): Authenticate {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    let credentials: Credentials | undefined;
    try {
      credentials = readCredentials(request, deps.allowedOrigins);
    } catch (error) {
      if (error instanceof AppError && error.code === 'csrf')
        await tryRecordAuthEvent(deps.db, 'access_denied', {}, request);
      throw error;
    }
    if (!credentials) throw authRequiredError();
    const resolved = await resolveToken(deps, credentials.token);
    if (!resolved.user) {
      await tryRecordAuthEvent(deps.db, 'revoked_token_use', { userId: resolved.revokedFor }, request);
      throw invalidTokenError();
    }
    request.user = resolved.user;
    // Bearer clients keep fixed-lifetime tokens and sign in again; only the browser's cookie slides.
    if (credentials.fromCookie && isDueForRenewal(resolved.claims)) {
      // Best effort: the session is still live for its current token, so a failed renewal must not
      // fail the request it rides on; the next request tries again.
      await renewCookieSession(deps, resolved.claims, request, reply).catch((error: unknown) =>
        request.log.warn({ err: { message: (error as Error).message } }, 'session renewal failed'),
      );
    }
  };
}
