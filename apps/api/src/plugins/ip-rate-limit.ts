import type { FastifyRequest } from 'fastify';
import type { BucketLimits, RateLimitStore } from '../db/rate-limit-store.js';
import { rateLimitedError } from '../errors.js';

/**
 * onRequest hook: a token bucket per client address for one kind of request (signin, signup).
 * request.ip honours TRUST_PROXY, so X-Forwarded-For counts only when a trusted proxy wrote it.
 */
export function createIpRateLimit(store: RateLimitStore, name: string, limits: BucketLimits) {
  return async function limitByIp(request: FastifyRequest): Promise<void> {
    const { allowed, retryAfterSeconds } = await store.takeToken(`${name}:ip:${request.ip}`, limits);
    if (!allowed) throw rateLimitedError(retryAfterSeconds);
  };
}
