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
 */
export interface SigninThrottle {
  /**
   * Throws 429 rate_limited while the account must wait. Otherwise the attempt counts as a failure
   * at once, until `succeeded` takes it back: a burst of parallel guesses is counted as it arrives.
   */
  begin(email: string): Promise<void>;
  succeeded(email: string): Promise<void>;
  /** The store's key for an account, for callers that fold `succeeded` into a statement of their own. */
  keyFor(email: string): string;
}

export function createSigninThrottle(
  store: RateLimitStore,
  policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY,
): SigninThrottle {
  const keyFor = (email: string) => `signin:${email}`;
  return {
    async begin(email) {
      const waitSeconds = await store.beginAttempt(keyFor(email), policy);
      if (waitSeconds > 0) throw rateLimitedError(waitSeconds);
    },
    async succeeded(email) {
      await store.endStreak(keyFor(email));
    },
    keyFor,
  };
}
