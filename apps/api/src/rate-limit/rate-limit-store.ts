import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rateLimitBuckets, signinFailures } from '../db/schema.js';

export interface BucketLimits {
  capacity: number;
  perSecond: number;
}

export interface BucketResult {
  allowed: boolean;
  /** Seconds until one more token is available (0 when allowed). */
  retryAfterSeconds: number;
}

/** How the per-account throttle answers failures: some free, then doubling waits, and an hourly cap. */
export interface ThrottlePolicy {
  /** Consecutive failures allowed before any wait. */
  freeFailures: number;
  /** The first wait; each further failure doubles it, up to maxDelaySeconds. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** Failures per account per hour, whatever the waits (ASVS 2.2.1). */
  maxFailuresPerHour: number;
}

/**
 * Rate-limit state, kept in the application's own database (PGlite or PostgreSQL), so every replica
 * counts together and the arithmetic is written once, here, as the single statement that applies it.
 * A row lock taken by `INSERT … ON CONFLICT DO UPDATE` makes each check-and-count atomic.
 */
export interface RateLimitStore {
  /** Token bucket: takes one token if a whole one is there; a refused attempt takes nothing. */
  takeToken(key: string, limits: BucketLimits): Promise<BucketResult>;
  /**
   * Unless the policy says the key must still wait, counts one more failure, provisionally, before
   * the attempt is judged: counting first is what stops parallel guesses from all slipping past the
   * check while the first ones are still being verified. Returns the seconds to wait (0: go ahead).
   */
  beginAttempt(key: string, policy: ThrottlePolicy): Promise<number>;
  /** The attempt succeeded: takes back its provisional failure and ends the streak. */
  endStreak(key: string): Promise<void>;
  /** Forgets state that no longer limits anyone. */
  prune(): Promise<void>;
}

// Doubling stops mattering long before this; it keeps 2^n inside a float8 for any streak length.
const MAX_DOUBLINGS = 40;

export function createRateLimitStore(db: Db): RateLimitStore {
  return {
    async takeToken(key, { capacity, perSecond }) {
      const b = rateLimitBuckets;
      // A call that queued behind another for the row lock takes its turn no earlier than that one's.
      const turn = sql`greatest(now(), ${b.refilledAt})`;
      const refilled = sql`${b.tokens} + extract(epoch from ${turn} - ${b.refilledAt}) * ${perSecond}::float8`;
      const available = sql`least(${capacity}::float8, ${refilled})`;
      const [row] = await db
        .insert(b)
        .values({ key, tokens: capacity - 1, refilledAt: sql`now()`, allowed: true })
        .onConflictDoUpdate({
          target: b.key,
          set: {
            tokens: sql`case when ${available} >= 1 then ${available} - 1 else ${available} end`,
            allowed: sql`${available} >= 1`,
            refilledAt: turn,
          },
        })
        .returning({ tokens: b.tokens, allowed: b.allowed });
      if (row!.allowed) return { allowed: true, retryAfterSeconds: 0 };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - row!.tokens) / perSecond)) };
    },

    async beginAttempt(key, policy) {
      const f = signinFailures;
      // One clock for the whole statement, and never earlier than the failure already on record: a call
      // that queued behind another for the row lock must not stamp an earlier time than that one did.
      // A row with no streak and nothing counted this hour limits nothing and is treated as no row at all.
      const arrived = sql`statement_timestamp()`;
      const now = sql`greatest(${arrived}, ${f.lastFailureAt})`;
      const active = sql`(${f.consecutive} > 0 or ${f.windowCount} > 0)`;
      const doublings = sql`least(${f.consecutive} - ${policy.freeFailures}, ${MAX_DOUBLINGS})`;
      const delayUntil = sql`case when ${f.consecutive} >= ${policy.freeFailures}::int then ${f.lastFailureAt}
        + least(${policy.maxDelaySeconds}::float8, ${policy.baseDelaySeconds}::float8 * power(2, ${doublings}))
        * interval '1 second' end`;
      const capUntil = sql`case when ${f.windowCount} >= ${policy.maxFailuresPerHour}::int
        then ${f.windowStart} + interval '1 hour' end`;
      const wait = sql`case when ${active} then coalesce(greatest(0,
        extract(epoch from greatest(${delayUntil}, ${capUntil}) - ${now})), 0) else 0 end`;
      const windowOpen = sql`(${active} and ${now} - ${f.windowStart} < interval '1 hour')`;
      const [row] = await db
        .insert(f)
        .values({
          key,
          consecutive: 1,
          lastFailureAt: arrived,
          windowStart: arrived,
          windowCount: 1,
          refusedForSeconds: 0,
        })
        .onConflictDoUpdate({
          target: f.key,
          // Every expression reads the row as it was; a refused attempt leaves it as it was.
          set: {
            consecutive: sql`case when ${wait} > 0 then ${f.consecutive} else ${f.consecutive} + 1 end`,
            lastFailureAt: sql`case when ${wait} > 0 then ${f.lastFailureAt} else ${now} end`,
            windowStart: sql`case when ${wait} > 0 or ${windowOpen} then ${f.windowStart} else ${now} end`,
            windowCount: sql`case when ${wait} > 0 then ${f.windowCount}
              when ${windowOpen} then ${f.windowCount} + 1 else 1 end`,
            refusedForSeconds: wait,
          },
        })
        .returning({ waitSeconds: f.refusedForSeconds });
      return row!.waitSeconds;
    },

    async endStreak(key) {
      await endStreakUpdate(db, key);
    },

    async prune() {
      await db.delete(rateLimitBuckets).where(sql`${rateLimitBuckets.refilledAt} < now() - interval '1 day'`);
      await db.delete(signinFailures).where(sql`${signinFailures.lastFailureAt} < now() - interval '1 day'`);
    },
  };
}

/**
 * The statement behind `endStreak`, for a caller that runs it inside a statement of its own (sign-in
 * folds it into the one that opens the session, saving a round trip).
 */
export function endStreakUpdate(db: Db, key: string) {
  return db
    .update(signinFailures)
    .set({ consecutive: 0, windowCount: sql`greatest(${signinFailures.windowCount} - 1, 0)` })
    .where(eq(signinFailures.key, key))
    .returning({ key: signinFailures.key });
}
