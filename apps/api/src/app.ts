import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { accountRoutes } from './auth/account-routes.js';
import { authRoutes } from './auth/auth-routes.js';
import { createAuthenticate, createRequirePathOwner } from './auth/authenticate.js';
import { createSessionLiveness } from './auth/session-liveness.js';
import { sessionRoutes } from './auth/session-routes.js';
import { deleteExpiredSessions } from './auth/session-store.js';
import { createSigninThrottle } from './auth/signin-throttle.js';
import { createTokenKeys } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';
import { createMemoryRateLimitStore, createPostgresRateLimitStore } from './db/rate-limit-store.js';
import { handleError } from './errors.js';
import { healthRoutes } from './health-routes.js';
import { registerJsonParser } from './plugins/json-body.js';
import { createIpRateLimit } from './plugins/ip-rate-limit.js';
import { answerUnroutableUrl, createNotFoundHandler } from './plugins/not-found.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { defaultWebDir, registerWebApp } from './plugins/web-app.js';
import { requestIdFor } from './plugins/request-id.js';
import { taskRoutes } from './tasks/task-routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

/** The configuration once the signing secret is known (given, or generated into the data folder). */
export type AppConfig = Config & { BETTER_AUTH_SECRET: string };

const BODY_LIMIT_BYTES = 64 * 1024;
const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

export interface BuildOptions {
  /**
   * Replaces the authentication hook. Only the benchmarks use it, to measure what authentication
   * costs on otherwise identical routes; `npm start` never passes it.
   */
  authenticate?: (request: FastifyRequest) => Promise<void>;
}

/** Builds the whole API on an open, migrated database; never listens. Closing the app does not close the database. */
export async function buildApp(config: AppConfig, database: Database, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'],
        censor: '[redacted]',
      },
    },
    genReqId: requestIdFor,
    bodyLimit: BODY_LIMIT_BYTES,
    frameworkErrors: answerUnroutableUrl,
    trustProxy: config.TRUST_PROXY,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  registerJsonParser(app);

  // A request with no body at all is checked as an empty object, so each required field is named.
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD') request.body = {};
  });

  // Once shutdown begins, every response closes its connection, so an idle keep-alive socket left by
  // a request that was already running cannot hold the process open until the grace period ends.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('Connection', 'close');
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    // Answers about accounts and tasks are private: no browser or proxy may keep them.
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
  });

  await app.register(cors, {
    origin: config.ALLOWED_ORIGINS,
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  });
  await app.register(cookie);
  await registerSecurityHeaders(app);
  await registerOpenApi(app);

  const { db } = database;
  const keys = createTokenKeys({
    secret: config.BETTER_AUTH_SECRET,
    previousSecrets: config.BETTER_AUTH_PREVIOUS_SECRETS,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  const liveness = createSessionLiveness(db);
  // Replicas share one PostgreSQL, so their limits must live there; the embedded database has one process.
  const limitStore = database.kind === 'postgres' ? createPostgresRateLimitStore(db) : createMemoryRateLimitStore();
  const throttle = createSigninThrottle(limitStore);
  const ipLimits = { capacity: config.RATE_LIMIT_IP_BURST, perSecond: config.RATE_LIMIT_IP_PER_MINUTE / 60 };
  const allowedOrigins = config.ALLOWED_ORIGINS;
  const authDeps = { db, keys, liveness, throttle, allowedOrigins, tokenTtlSeconds: config.JWT_EXPIRES_IN };

  app.decorate('db', db);
  app.decorate('authenticate', options.authenticate ?? createAuthenticate(authDeps));
  app.decorate('requirePathOwner', createRequirePathOwner(db));

  await app.register(healthRoutes, { ping: database.ping });
  await app.register(authRoutes, {
    prefix: '/api/auth',
    deps: authDeps,
    limits: {
      signin: createIpRateLimit(limitStore, 'signin', ipLimits),
      signup: createIpRateLimit(limitStore, 'signup', ipLimits),
    },
  });
  await app.register(sessionRoutes, { prefix: '/api/auth', deps: authDeps });
  await app.register(accountRoutes, { prefix: '/api/auth', deps: authDeps });
  await app.register(taskRoutes, { prefix: '/api' });

  const pageFallback = await registerWebApp(app, config.WEB_DIR ?? defaultWebDir);
  app.setNotFoundHandler(createNotFoundHandler(app, pageFallback));

  // Old rate-limit state and long-expired sessions are dropped now and then; failures only get logged.
  const housekeeping = setInterval(() => {
    Promise.all([limitStore.prune(), deleteExpiredSessions(db)]).catch((err) => app.log.warn({ err }, 'housekeeping failed'));
  }, HOUSEKEEPING_INTERVAL_MS).unref();
  app.addHook('onClose', async () => clearInterval(housekeeping));

  return app;
}
