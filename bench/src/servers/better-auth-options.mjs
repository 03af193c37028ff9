import pg from 'pg';

/**
 * Better Auth as its documentation sets it up for email and password, on its own PostgreSQL
 * database. Its rate limiter is off (as our per-IP limits are raised) so that both systems are
 * measured doing their work, not refusing it; its password hash is left at its default
 * (scrypt N=16384, r=16, p=1, 64-byte key, on libuv's thread pool through node:crypto).
 */
export function betterAuthOptions(env) {
  return {
    database: new pg.Pool({ connectionString: env.BA_DATABASE_URL, max: Number(env.DATABASE_POOL_MAX) }),
    secret: env.BA_SECRET,
    baseURL: env.BA_BASE_URL,
    emailAndPassword: { enabled: true },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: { level: 'error' },
  };
}
