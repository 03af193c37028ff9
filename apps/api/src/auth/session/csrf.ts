import type { FastifyRequest } from 'fastify';
import { fail } from '../../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BARE_ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/i;

/**
 * A browser attaches the session cookie to requests other sites trigger, so a state-changing request
 * that is authenticated by the cookie must come from our own pages: its Origin (or, when a browser
 * omits that, its Referer) must be this server or an allowed origin. Bearer requests need no such
 * check: a token in a header is never sent by the browser on its own.
 */
export function assertSameOrigin(request: FastifyRequest, allowedOrigins: readonly string[]): void {
  if (SAFE_METHODS.has(request.method)) return;
  const { origin: originHeader, referer } = request.headers;
  // An Origin header is a bare scheme://host[:port]; one with a path or query is not a browser's.
  const origin =
    originHeader !== undefined
      ? BARE_ORIGIN.test(originHeader)
        ? originOf(originHeader)
        : undefined
      : originOf(referer);
  const ownOrigin = originOf(`${request.protocol}://${request.host}`);
  if (origin && (origin === ownOrigin || allowedOrigins.some((allowed) => originOf(allowed) === origin))) return;
  throw fail('csrf');
}

/** scheme://host[:port] with a default port dropped, as browsers write it; undefined for "null" or junk. */
function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
