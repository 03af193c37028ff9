import type { FailureRecord, RateLimitStore } from '../db/rate-limit-store.js';
import { rateLimitedError } from '../errors.js';

export interface ThrottlePolicy {
  /** Consecutive failures allowed before any wait. */
  freeFailures: number;
  /** The first wait; each further failure doubles it, up to maxDelaySeconds. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** Failures per account per hour, whatever the waits (ASVS 2.2.1). */
  maxFailuresPerHour: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  freeFailures: 10,
  baseDelaySeconds: 30,
  maxDelaySeconds: 15 * 60,
  maxFailuresPerHour: 100,
};

const HOUR_MS = 3600_000;

/** Seconds this account must still wait before its password may be tried again (0: try now). */
export function throttleWaitSeconds(record: FailureRecord | undefined, now: number, policy: ThrottlePolicy): number {
  if (!record) return 0;
  let waitUntil = 0;
  const overFree = record.consecutive - policy.freeFailures;
  if (overFree >= 0) {
    const delay = Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** overFree);
    waitUntil = record.lastFailureAt.getTime() + delay * 1000;
  }
  if (record.windowCount >= policy.maxFailuresPerHour) {
    waitUntil = Math.max(waitUntil, record.windowStart.getTime() + HOUR_MS);
  }
  return Math.max(0, (waitUntil - now) / 1000);
}

/**
 * The per-account brake on password guessing, keyed by the normalised email whether or not such an
 * account exists, so it reveals nothing. Its state is shared by all replicas when the store is.
 */
export interface SigninThrottle {
  /**
   * Throws 429 rate_limited while the account must wait. Otherwise the attempt counts as a failure
   * at once, until `succeeded` takes it back: a burst of parallel guesses is counted as it arrives.
   */
  begin(email: string): Promise<void>;
  succeeded(email: string): Promise<void>;
}

export function createSigninThrottle(store: RateLimitStore, policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY): SigninThrottle {
  const key = (email: string) => `signin:${email}`;
  const waitFor = (record: FailureRecord | undefined, nowMs: number) => throttleWaitSeconds(record, nowMs, policy);
  return {
    async begin(email) {
      const { waitSeconds } = await store.beginAttempt(key(email), HOUR_MS, waitFor);
      if (waitSeconds > 0) throw rateLimitedError(waitSeconds);
    },
    async succeeded(email) {
      await store.endStreak(key(email));
    },
  };
}
