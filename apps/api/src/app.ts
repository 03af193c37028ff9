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
  app.setNotFoundHandler(createNotFoundHandler(app));
  registerJsonParser(app);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    // Answers about accounts and tasks are private: no browser or proxy may keep them.
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
  });

  await app.register(cors, { origin: config.ALLOWED_ORIGINS, credentials: true });
  await registerOpenApi(app);

  const key = createTokenKey(config.BETTER_AUTH_SECRET);
  const liveness = createSessionLiveness(database.db);
  app.decorate('db', database.db);
  app.decorate('authenticate', createAuthenticate({ key, liveness }));
  app.decorate('requirePathOwner', requirePathOwner);

  await app.register(healthRoutes, { ping: database.ping });
  await app.register(authRoutes, {
    prefix: '/api/auth',
    deps: { db: database.db, key, liveness, tokenTtlSeconds: config.JWT_EXPIRES_IN },
  });
  await app.register(taskRoutes, { prefix: '/api' });

  return app;
}
