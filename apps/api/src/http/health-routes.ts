import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UNAVAILABLE_MESSAGE } from '../errors.js';

const READY_TIMEOUT_MS = 2_000;
const SHUTTING_DOWN_MESSAGE = 'The server is shutting down';

export const healthRoutes: FastifyPluginAsyncZod<{ ping: () => Promise<void> }> = async (app, { ping }) => {
  app.get(
    '/health',
    {
      schema: { tags: ['health'], summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: 503 while the database is unreachable or the server is shutting down',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.literal('ok') }),
          503: z.union([
            z.object({
              status: z.literal('unavailable'),
              database: z.literal('unreachable'),
              error: z.string(),
              code: z.literal('unavailable'),
            }),
            z.object({ status: z.literal('shutting_down'), error: z.string(), code: z.literal('unavailable') }),
          ]),
        },
      },
    },
    async (request, reply) => {
      // A load balancer sends no new work here once it sees this, while answers still flow (http/drain.ts).
      if (app.drain.started) {
        return reply.code(503).send({ status: 'shutting_down', error: SHUTTING_DOWN_MESSAGE, code: 'unavailable' });
      }
      try {
        await withTimeout(ping(), READY_TIMEOUT_MS);
        return { status: 'ok' as const, database: 'ok' as const };
      } catch (error) {
        request.log.warn({ err: error }, 'database not ready');
        return reply
          .code(503)
          .send({ status: 'unavailable', database: 'unreachable', error: UNAVAILABLE_MESSAGE, code: 'unavailable' });
      }
    },
  );
};

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
