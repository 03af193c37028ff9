import { rateLimitedError } from '../errors.js';
import type { RateLimitStore, ThrottlePolicy } from './rate-limit-store.js';

export type { ThrottlePolicy } from './rate-limit-store.js';

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  freeFailures: 10,
  baseDelaySeconds: 30,
  maxDelaySeconds: 15 * 60,
  maxFailuresPerHour: 100,
};

/**
 * The per-account brake on password guessing, keyed by the normalised email whether or not such an
 * account exists, so it reveals nothing. Its state is shared by all replicas.
 *
 * An attempt from a trusted device (a browser holding a valid device cookie for the account, see
 * auth/password/device-cookie.ts) names that device, and is throttled on the device's own key with the
 * same policy instead: strangers filling the account's key cannot lock the owner's browser out, and
 * guesses through a stolen device cookie still meet a brake. Every other attempt (API clients, new
 * browsers) keeps the account's key.
 */
export interface SigninThrottle {
  /**
   * Throws 429 rate_limited while the account (or the trusted device) must wait. Otherwise the attempt
   * counts as a failure at once, until `succeeded` takes it back: a burst of parallel guesses is counted
   * as it arrives.
   */
  begin(email: string, trustedDevice?: string): Promise<void>;
  succeeded(email: string, trustedDevice?: string): Promise<void>;
  /** The store's key for an attempt, for callers that fold `succeeded` into a statement of their own. */
  keyFor(email: string, trustedDevice?: string): string;
}

export function createSigninThrottle(
  store: RateLimitStore,
  policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY,
): SigninThrottle {
  const keyFor = (email: string, trustedDevice?: string) =>
    trustedDevice === undefined ? `signin:${email}` : `signin-device:${trustedDevice}`;
  return {
    async begin(email, trustedDevice) {
      const waitSeconds = await store.beginAttempt(keyFor(email, trustedDevice), policy);
      if (waitSeconds > 0) throw rateLimitedError(waitSeconds);
    },
    async succeeded(email, trustedDevice) {
      await store.endStreak(keyFor(email, trustedDevice));
    },
    keyFor,
  };
}
