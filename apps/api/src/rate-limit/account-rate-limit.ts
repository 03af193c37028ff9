import type { FastifyRequest } from 'fastify';
import { rateLimitedError } from '../errors.js';
import type { BucketLimits, RateLimitStore } from './rate-limit-store.js';

/**
 * onRequest hook, after `authenticate`: a token bucket per signed-in account for one kind of request,
 * whatever address it comes from. It bounds the work one session may ask for, such as the password
 * confirmations that each cost an argon2 hash or two.
 */
export function createAccountRateLimit(store: RateLimitStore, name: string, limits: BucketLimits) {
  return async function limitByAccount(request: FastifyRequest): Promise<void> {
    const { allowed, retryAfterSeconds } = await store.takeToken(`${name}:user:${request.user.id}`, limits);
    if (!allowed) throw rateLimitedError(retryAfterSeconds);
  };
}
