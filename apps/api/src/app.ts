import type { FastifyInstance } from 'fastify';
import { accountRoutes } from './auth/account/account-routes.js';
import { pruneAuthEvents, tryRecordAuthEvent } from './auth/audit-log.js';
import { createConfirmPassword } from './auth/password/confirm-password.js';
import { createDeviceCookies } from './auth/password/device-cookie.js';
import { passwordRoutes } from './auth/password/password-routes.js';
import { createAuthenticate } from './auth/session/authenticate.js';
import { createSessionLiveness } from './auth/session/session-liveness.js';
import { sessionRoutes } from './auth/session/session-routes.js';
import { deleteExpiredSessions } from './auth/session/session-store.js';
import { createTokenKeys } from './auth/session/tokens.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { healthRoutes } from './http/health-routes.js';
import { createHttpApp } from './http/http-app.js';
import { createNotFoundHandler } from './http/not-found.js';
import { defaultWebDir, registerWebApp } from './http/web-app.js';
import { createAccountRateLimit } from './rate-limit/account-rate-limit.js';
import { createIpRateLimit } from './rate-limit/ip-rate-limit.js';
import { createRateLimitStore } from './rate-limit/rate-limit-store.js';
import { createSigninThrottle } from './rate-limit/signin-throttle.js';
import { deriveCursorKey } from './tasks/task-cursor.js';
import { taskRoutes } from './tasks/task-routes.js';

/** The configuration once the signing secret is known (given, or generated into the data folder). */
export type AppConfig = Config & { BETTER_AUTH_SECRET: string };

const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

// Changing the password and deleting the account each confirm the password, an argon2 hash or two:
// 10 an hour per account, on top of the per-address bucket and the throttle on wrong answers.
const PASSWORD_CONFIRMS_PER_ACCOUNT = { capacity: 10, perSecond: 10 / 3600 };

/**
 * Builds the whole API on an open, migrated database; never listens. Every capability's dependencies
 * are made here and handed to its routes, so all the wiring reads in one place. Closing the app does
 * not close the database.
 */
export async function buildApp(config: AppConfig, database: Database): Promise<FastifyInstance> {
  const app = await createHttpApp(config);
  const { db } = database;

  const sessions = {
    db,
    keys: createTokenKeys({
      secret: config.BETTER_AUTH_SECRET,
      previousSecrets: config.BETTER_AUTH_PREVIOUS_SECRETS,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    }),
    liveness: createSessionLiveness(db),
    allowedOrigins: config.ALLOWED_ORIGINS,
    tokenTtlSeconds: config.JWT_EXPIRES_IN,
    sessionMaxAgeSeconds: config.SESSION_MAX_AGE,
  };
  const authenticate = createAuthenticate(sessions);
  // Limits live in the application's database, so replicas on one PostgreSQL count together.
  const limitStore = createRateLimitStore(db);
  const ipLimits = { capacity: config.RATE_LIMIT_IP_BURST, perSecond: config.RATE_LIMIT_IP_PER_MINUTE / 60 };
  const throttle = createSigninThrottle(limitStore);
  const confirmPassword = createConfirmPassword({ db, throttle });
  // One allowance for both endpoints, so alternating between them buys nothing.
  const limitPasswordConfirms = [
    createIpRateLimit(limitStore, 'confirm', ipLimits),
    createAccountRateLimit(limitStore, 'confirm', PASSWORD_CONFIRMS_PER_ACCOUNT),
  ];

  await app.register(healthRoutes, { ping: database.ping });
  await app.register(passwordRoutes, {
    prefix: '/api/auth',
    deps: {
      ...sessions,
      throttle,
      authenticate,
      confirmPassword,
      deviceCookies: createDeviceCookies({
        secret: config.BETTER_AUTH_SECRET,
        previousSecrets: config.BETTER_AUTH_PREVIOUS_SECRETS,
      }),
      limits: {
        signin: createIpRateLimit(limitStore, 'signin', ipLimits),
        signup: createIpRateLimit(limitStore, 'signup', ipLimits),
        passwordConfirm: limitPasswordConfirms,
      },
    },
  });
  await app.register(sessionRoutes, { prefix: '/api/auth', deps: { ...sessions, authenticate } });
  await app.register(accountRoutes, {
    prefix: '/api/auth',
    deps: { db, liveness: sessions.liveness, authenticate, confirmPassword, limitConfirm: limitPasswordConfirms },
  });
  await app.register(taskRoutes, {
    prefix: '/api',
    deps: {
      db,
      authenticate,
      recordAccessDenied: (request) => tryRecordAuthEvent(db, 'access_denied', { userId: request.user.id }, request),
      cursorKey: deriveCursorKey(config.BETTER_AUTH_SECRET),
    },
  });

  const pageFallback = await registerWebApp(app, config.WEB_DIR ?? defaultWebDir);
  app.setNotFoundHandler(createNotFoundHandler(app, pageFallback));

  // Old rate-limit state, long-expired sessions and audit events past AUDIT_RETENTION are dropped now
  // and then; failures only get logged.
  const housekeeping = setInterval(() => {
    Promise.all([limitStore.prune(), deleteExpiredSessions(db), pruneAuthEvents(db, config.AUDIT_RETENTION)]).catch(
      (err) => app.log.warn({ err }, 'housekeeping failed'),
    );
  }, HOUSEKEEPING_INTERVAL_MS).unref();
  app.addHook('onClose', async () => clearInterval(housekeeping));

  return app;
}
