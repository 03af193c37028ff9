import type { Db } from '../../db/client.js';
import type { SessionLiveness } from './session-liveness.js';
import type { TokenKeys } from './tokens.js';

/** What the session capability needs: every route and service under auth/session takes this bag. */
export interface SessionDeps {
  db: Db;
  keys: TokenKeys;
  liveness: SessionLiveness;
  /** Origins whose pages may send cookie-authenticated state changes (CSRF). */
  allowedOrigins: readonly string[];
  /** Seconds a token and its session live. */
  tokenTtlSeconds: number;
  /** Seconds from sign-in past which a cookie session is no longer renewed (SESSION_MAX_AGE). */
  sessionMaxAgeSeconds: number;
}
