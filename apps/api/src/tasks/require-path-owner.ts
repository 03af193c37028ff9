import type { FastifyRequest } from 'fastify';
import { fail } from '../errors.js';

/**
 * onRequest hook, after authentication: the `:userId` in the path must be the caller's own. A refusal
 * is reported to `onDenied` (the audit trail, wired in app.ts) before the 403.
 */
export function createRequirePathOwner(onDenied: (request: FastifyRequest) => Promise<void>) {
  return async function requirePathOwner(request: FastifyRequest): Promise<void> {
    const { userId } = request.params as { userId?: string };
    if (userId === request.user.id) return;
    await onDenied(request);
    throw fail('forbidden');
  };
}
