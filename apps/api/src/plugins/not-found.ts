import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { AppError, sendError } from '../errors.js';

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

type Fallback = (request: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * Nothing matched: the web app's page fallback gets a chance first, then 405 with an Allow header when
 * the path exists under another method, else 404 not_found.
 */
export function createNotFoundHandler(app: FastifyInstance, pageFallback?: Fallback) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    if (pageFallback?.(request, reply)) return reply;
    const url = request.url.split('?')[0] ?? '/';
    const allowed = METHODS.filter((method) => method !== request.method && app.findRoute({ method, url }));
    if (allowed.length > 0) {
      return sendError(
        reply,
        new AppError(405, 'method_not_allowed', `${request.method} is not allowed here; use ${allowed.join(' or ')}`, undefined, {
          Allow: allowed.join(', '),
        }),
      );
    }
    return sendError(reply, new AppError(404, 'not_found', 'Not found'));
  };
}
