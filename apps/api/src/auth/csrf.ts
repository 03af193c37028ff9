import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A browser attaches the session cookie to requests other sites trigger, so a state-changing request
 * that is authenticated by the cookie must come from our own pages: its Origin (or, when a browser
 * omits that, its Referer) must be this server or an allowed origin. Bearer requests need no such
 * check: a token in a header is never sent by the browser on its own.
 */
export function assertSameOrigin(request: FastifyRequest, allowedOrigins: readonly string[]): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin ?? originOf(request.headers.referer);
  const ownOrigin = `${request.protocol}://${request.host}`;
  if (origin && origin !== 'null' && (origin === ownOrigin || allowedOrigins.includes(origin))) return;
  throw new AppError(403, 'csrf', 'Cross-site request refused');
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
