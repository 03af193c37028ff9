import type { FastifyInstance } from 'fastify';

/**
 * Shutdown as a load balancer needs it: first the replica stops looking ready and closes each keep-alive
 * connection after its next answer, while it goes on serving; only then does it stop listening. Closing
 * at once reset the requests that clients had already sent on idle keep-alive sockets.
 */
export interface Drain {
  readonly started: boolean;
  start(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    drain: Drain;
  }
}

export function registerDrain(app: FastifyInstance): void {
  let started = false;
  app.decorate('drain', {
    get started() {
      return started;
    },
    start: () => {
      started = true;
    },
  } satisfies Drain);
  // app.close() without a drain first (tests, a fatal error) closes connections after their answers too,
  // so an idle socket left by a request that was already running cannot hold the process open.
  app.addHook('preClose', async () => {
    started = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (started) reply.header('Connection', 'close');
  });
}
