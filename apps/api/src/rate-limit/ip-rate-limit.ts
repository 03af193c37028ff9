import type { FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import type { BucketLimits, RateLimitStore } from './rate-limit-store.js';
import { rateLimitedError } from '../errors.js';

/**
 * Who "one client" is for rate limiting. An IPv4 address (also when written as ::ffff:a.b.c.d) is one
 * client; an IPv6 host usually holds a whole /64, so the /64 is one client, or it could take a fresh
 * bucket for every one of its 2^64 addresses.
 */
export function clientKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/64`).toString()}/64`;
}

/**
 * onRequest hook: a token bucket per client for one kind of request (signin, signup).
 * request.ip honours TRUST_PROXY, so X-Forwarded-For counts only when a trusted proxy wrote it.
 */
export function createIpRateLimit(store: RateLimitStore, name: string, limits: BucketLimits) {
  return async function limitByIp(request: FastifyRequest): Promise<void> {
    const { allowed, retryAfterSeconds } = await store.takeToken(`${name}:ip:${clientKey(request.ip)}`, limits);
    if (!allowed) throw rateLimitedError(retryAfterSeconds);
  };
}
