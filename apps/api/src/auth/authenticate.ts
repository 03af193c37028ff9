import type { KeyObject } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { CLOCK_TOLERANCE_SECONDS, expiredTokenError, invalidTokenError, verifyToken } from './tokens.js';
import type { SessionLiveness } from './session-liveness.js';

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
  interface FastifyInstance {
    authenticate: (request: FastifyRequest) => Promise<void>;
    requirePathOwner: (request: FastifyRequest) => Promise<void>;
  }
}

export interface AuthenticateDeps {
  key: KeyObject;
  liveness: SessionLiveness;
}

const authRequiredError = () =>
  new AppError(401, 'auth_required', 'Authentication required', undefined, { 'WWW-Authenticate': 'Bearer' });

/** The token a request presents: undefined when it sends none, throws when the header is malformed. */
export function readToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return undefined;
  const match = /^Bearer +([^\s]+) *$/i.exec(header);
  if (!match) throw invalidTokenError();
  return match[1];
}

/** Verifies a token and its session: the whole answer to "who is calling?". */
export async function resolveUser(deps: AuthenticateDeps, token: string): Promise<AuthUser> {
  const claims = await verifyToken(deps.key, token);
  const sessionExpiresAt = await deps.liveness.check(claims.sessionId, claims.userId);
  if (!sessionExpiresAt) throw invalidTokenError();
  if (sessionExpiresAt.getTime() + CLOCK_TOLERANCE_SECONDS * 1000 < Date.now()) throw expiredTokenError();
  return { id: claims.userId, email: claims.email, name: claims.name, sessionId: claims.sessionId };
}

/** onRequest hook: 401 unless the request carries a valid token for a live session. */
export function createAuthenticate(deps: AuthenticateDeps) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const token = readToken(request);
    if (token === undefined) throw authRequiredError();
    request.user = await resolveUser(deps, token);
  };
}

/** onRequest hook, after authenticate: the `:userId` in the path must be the caller's own. */
export async function requirePathOwner(request: FastifyRequest): Promise<void> {
  const { userId } = request.params as { userId?: string };
  if (userId !== request.user.id) {
    throw new AppError(403, 'forbidden', 'Access denied to this resource');
  }
}
