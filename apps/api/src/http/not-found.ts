import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { fail } from '../errors.js';
import { sendError } from './error-handler.js';

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

type Fallback = (request: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * Nothing matched: the web app's page fallback gets a chance first, then 405 with an Allow header when
 * the path exists under another method, else 404 not_found; neither may be cached.
 */
export function createNotFoundHandler(app: FastifyInstance, pageFallback?: Fallback) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    if (pageFallback?.(request, reply)) return reply;
    // Whatever the URL looked like, an answer that nothing is here is not worth keeping.
    reply.header('Cache-Control', 'no-store');
    const url = request.url.split('?')[0] ?? '/';
    const allowed = METHODS.filter((method) => method !== request.method && app.findRoute({ method, url }));
    if (allowed.length > 0) {
      return sendError(
        reply,
        fail('method_not_allowed', {
          message: `${request.method} is not allowed here; use ${allowed.join(' or ')}`,
          headers: { Allow: allowed.join(', ') },
        }),
      );
    }
    return sendError(reply, fail('not_found'));
  };
}

/**
 * Fastify's own answers for a URL it cannot even route (bad percent-encoding, a path segment over
 * 100 characters) skip the error handler; this gives them the contract's shape. No route has such a
 * URL, so the answer is "not found".
 */
export function answerUnroutableUrl(_error: Error, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('X-Request-Id', request.id).header('Cache-Control', 'no-store');
  sendError(reply, fail('not_found'));
}
