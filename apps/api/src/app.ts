import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { authRoutes } from './auth/auth-routes.js';
import { createAuthenticate, requirePathOwner } from './auth/authenticate.js';
import { createSessionLiveness } from './auth/session-liveness.js';
import { createTokenKey } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';
import { handleError } from './errors.js';
import { healthRoutes } from './health-routes.js';
import { registerJsonParser } from './plugins/json-body.js';
import { createNotFoundHandler } from './plugins/not-found.js';
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

export const BODY_LIMIT_BYTES = 64 * 1024;

/** Builds the whole API on an open, migrated database; never listens. Closing the app does not close the database. */
export async function buildApp(config: AppConfig, database: Database): Promise<FastifyInstance> {
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

  const key = createTokenKey(config.BETTER_AUTH_SECRET);
  const liveness = createSessionLiveness(database.db);
  app.decorate('db', database.db);
  const allowedOrigins = config.ALLOWED_ORIGINS;
  app.decorate('authenticate', createAuthenticate({ key, liveness, allowedOrigins }));
  app.decorate('requirePathOwner', requirePathOwner);

  await app.register(healthRoutes, { ping: database.ping });
  await app.register(authRoutes, {
    prefix: '/api/auth',
    deps: { db: database.db, key, liveness, allowedOrigins, tokenTtlSeconds: config.JWT_EXPIRES_IN },
  });
  await app.register(taskRoutes, { prefix: '/api' });

  const pageFallback = await registerWebApp(app, config.WEB_DIR ?? defaultWebDir);
  app.setNotFoundHandler(createNotFoundHandler(app, pageFallback));

  return app;
}
