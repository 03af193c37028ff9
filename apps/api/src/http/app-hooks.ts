import type { FastifyInstance } from 'fastify';

/** The hooks every request passes through, whatever route it reaches. */
export function registerAppHooks(app: FastifyInstance): void {
  // A request with no body at all is checked as an empty object, so each required field is named.
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD') request.body = {};
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    // Answers about accounts and tasks are private: no browser or proxy may keep them. Decided by the
    // route that matched, not by the URL as sent, which may be %-encoded (/%61pi/…) or absolute
    // (http://host/api/…) and still reach it; the not-found handler marks its own answers.
    if (request.routeOptions.url?.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
  });
}
