import { eq, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { Db } from './client.js';
import { rateLimitBuckets, signinFailures } from './schema.js';

export interface BucketResult {
  allowed: boolean;
  /** Seconds until one more token is available (0 when allowed). */
  retryAfterSeconds: number;
}

export interface FailureRecord {
  consecutive: number;
  lastFailureAt: Date;
  windowStart: Date;
  windowCount: number;
}

/** Seconds the key must still wait, given its failures so far (undefined: none) and the time now. */
export type WaitPolicy = (record: FailureRecord | undefined, nowMs: number) => number;

export interface AttemptResult {
  /** 0 when the attempt may go ahead (and was counted); otherwise how long to wait. */
  waitSeconds: number;
  /** The failures on record after the call. */
  record: FailureRecord | undefined;
}

export interface BucketLimits {
  capacity: number;
  perSecond: number;
}

/**
 * Where rate-limit state lives: in the database when several replicas must share it, in memory for
 * the single embedded-database process. Both apply the same arithmetic; the memory store forgets on
 * restart and, past 100,000 keys, forgets the least recently used.
 */
export interface RateLimitStore {
  /** Token bucket: takes one token if a whole one is there; a refused attempt takes nothing. */
  takeToken(key: string, limits: BucketLimits): Promise<BucketResult>;
  /**
   * Atomically: unless `waitFor` says the key must still wait, counts one more failure, provisionally,
   * before the attempt is judged. Counting first is what stops parallel guesses from all slipping
   * past the check while the first ones are still being verified.
   */
  beginAttempt(key: string, windowMs: number, waitFor: WaitPolicy): Promise<AttemptResult>;
  /** The attempt succeeded: takes back its provisional failure and ends the streak. */
  endStreak(key: string): Promise<void>;
  /** Forgets state that no longer limits anyone. */
  prune(): Promise<void>;
}

const IDLE_MS = 24 * 3600_000;

/** Token bucket arithmetic: refill for the time passed, then take a token if a whole one is there. */
function takeFrom(available: number, perSecond: number): { tokens: number; result: BucketResult } {
  if (available >= 1) return { tokens: available - 1, result: { allowed: true, retryAfterSeconds: 0 } };
  return { tokens: available, result: { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - available) / perSecond)) } };
}

/** One more failure: the streak grows, and the hour's count grows or starts a new window. */
function countFailure(previous: FailureRecord | undefined, nowMs: number, windowMs: number): FailureRecord {
  const now = new Date(nowMs);
  const windowOpen = previous !== undefined && nowMs - previous.windowStart.getTime() < windowMs;
  return {
    consecutive: (previous?.consecutive ?? 0) + 1,
    lastFailureAt: now,
    windowStart: windowOpen ? previous.windowStart : now,
    windowCount: windowOpen ? previous.windowCount + 1 : 1,
  };
}

/** A record with no streak and nothing counted this hour limits nothing: treated as no record at all. */
const asRecord = (stored: FailureRecord | undefined): FailureRecord | undefined =>
  stored && (stored.consecutive > 0 || stored.windowCount > 0) ? stored : undefined;

const withStreakEnded = (record: FailureRecord): FailureRecord => ({
  ...record,
  consecutive: 0,
  windowCount: Math.max(0, record.windowCount - 1),
});

export function createMemoryRateLimitStore(max = 100_000): RateLimitStore {
  const buckets = new LRUCache<string, { tokens: number; refilledAt: number }>({ max, ttl: IDLE_MS });
  const failures = new LRUCache<string, FailureRecord>({ max, ttl: IDLE_MS });
  return {
    async takeToken(key, { capacity, perSecond }) {
      const now = Date.now();
      const bucket = buckets.get(key);
      const available = bucket ? Math.min(capacity, bucket.tokens + ((now - bucket.refilledAt) / 1000) * perSecond) : capacity;
      const { tokens, result } = takeFrom(available, perSecond);
      buckets.set(key, { tokens, refilledAt: now });
      return result;
    },
    // No await between reading and writing: the check and the count are one step on the event loop.
    async beginAttempt(key, windowMs, waitFor) {
      const now = Date.now();
      const previous = asRecord(failures.get(key));
      const waitSeconds = waitFor(previous, now);
      if (waitSeconds > 0) return { waitSeconds, record: previous };
      const record = countFailure(previous, now, windowMs);
      failures.set(key, record);
      return { waitSeconds: 0, record };
    },
    async endStreak(key) {
      const record = failures.get(key);
      if (record) failures.set(key, withStreakEnded(record));
    },
    async prune() {
      buckets.purgeStale();
      failures.purgeStale();
    },
  };
}

/** The same arithmetic as the memory store, done by the database in one statement so replicas cannot race. */
export function createPostgresRateLimitStore(db: Db): RateLimitStore {
  return {
    async takeToken(key, { capacity, perSecond }) {
      const available = sql`least(${capacity}::float8, ${rateLimitBuckets.tokens} + extract(epoch from now() - ${rateLimitBuckets.refilledAt}) * ${perSecond}::float8)`;
      const [row] = await db
        .insert(rateLimitBuckets)
        .values({ key, tokens: capacity - 1, refilledAt: sql`now()`, allowed: true })
        .onConflictDoUpdate({
          target: rateLimitBuckets.key,
          set: {
            tokens: sql`case when ${available} >= 1 then ${available} - 1 else ${available} end`,
            allowed: sql`${available} >= 1`,
            refilledAt: sql`now()`,
          },
        })
        .returning({ tokens: rateLimitBuckets.tokens, allowed: rateLimitBuckets.allowed });
      return row!.allowed
        ? { allowed: true, retryAfterSeconds: 0 }
        : takeFrom(row!.tokens, perSecond).result;
    },
    // The row lock (SELECT … FOR UPDATE) makes check-and-count atomic across every replica; the
    // database clock is the one they share.
    async beginAttempt(key, windowMs, waitFor) {
      return db.transaction(async (tx) => {
        await tx
          .insert(signinFailures)
          .values({ key, consecutive: 0, lastFailureAt: sql`now()`, windowStart: sql`now()`, windowCount: 0 })
          .onConflictDoNothing();
        const [row] = await tx
          .select({
            consecutive: signinFailures.consecutive,
            lastFailureAt: signinFailures.lastFailureAt,
            windowStart: signinFailures.windowStart,
            windowCount: signinFailures.windowCount,
            // The clock once the lock is held, not when the transaction began: a request that
            // queued behind others must not stamp an earlier time than theirs.
            now: sql`clock_timestamp()`.mapWith(signinFailures.lastFailureAt),
          })
          .from(signinFailures)
          .where(eq(signinFailures.key, key))
          .for('update');
        const { now, ...stored } = row!;
        const previous = asRecord(stored);
        const waitSeconds = waitFor(previous, now.getTime());
        if (waitSeconds > 0) return { waitSeconds, record: previous };
        const record = countFailure(previous, now.getTime(), windowMs);
        await tx.update(signinFailures).set(record).where(eq(signinFailures.key, key));
        return { waitSeconds: 0, record };
      });
    },
    async endStreak(key) {
      await db
        .update(signinFailures)
        .set({ consecutive: 0, windowCount: sql`greatest(${signinFailures.windowCount} - 1, 0)` })
        .where(eq(signinFailures.key, key));
    },
    async prune() {
      await db.delete(rateLimitBuckets).where(sql`${rateLimitBuckets.refilledAt} < now() - interval '1 day'`);
      await db.delete(signinFailures).where(sql`${signinFailures.lastFailureAt} < now() - interval '1 day'`);
    },
  };
}
