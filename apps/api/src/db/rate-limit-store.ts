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

export interface BucketLimits {
  capacity: number;
  perSecond: number;
}

/**
 * Where rate-limit state lives: in the database when several replicas must share it, in memory for
 * the single embedded-database process. Both give the same answers.
 */
export interface RateLimitStore {
  /** Token bucket: takes one token if a whole one is there; a refused attempt takes nothing. */
  takeToken(key: string, limits: BucketLimits): Promise<BucketResult>;
  getFailures(key: string): Promise<FailureRecord | undefined>;
  recordFailure(key: string, windowMs: number): Promise<FailureRecord>;
  /** After a success: the wait starts over, but the hour's count of failures stands. */
  resetConsecutive(key: string): Promise<void>;
  /** Forgets state that no longer limits anyone. */
  prune(): Promise<void>;
}

const IDLE_MS = 24 * 3600_000;

/** Token bucket arithmetic: refill for the time passed, then take a token if a whole one is there. */
function takeFrom(available: number, perSecond: number): { tokens: number; result: BucketResult } {
  if (available >= 1) return { tokens: available - 1, result: { allowed: true, retryAfterSeconds: 0 } };
  return { tokens: available, result: { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - available) / perSecond)) } };
}

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
    async getFailures(key) {
      return failures.get(key);
    },
    async recordFailure(key, windowMs) {
      const now = new Date();
      const previous = failures.get(key);
      const windowOpen = previous && now.getTime() - previous.windowStart.getTime() < windowMs;
      const record: FailureRecord = {
        consecutive: (previous?.consecutive ?? 0) + 1,
        lastFailureAt: now,
        windowStart: windowOpen ? previous.windowStart : now,
        windowCount: windowOpen ? previous.windowCount + 1 : 1,
      };
      failures.set(key, record);
      return record;
    },
    async resetConsecutive(key) {
      const record = failures.get(key);
      if (record) failures.set(key, { ...record, consecutive: 0 });
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
    async getFailures(key) {
      const [row] = await db.select().from(signinFailures).where(eq(signinFailures.key, key)).limit(1);
      return row;
    },
    async recordFailure(key, windowMs) {
      const windowExpired = sql`${signinFailures.windowStart} <= now() - ${windowMs} * interval '1 millisecond'`;
      const [row] = await db
        .insert(signinFailures)
        .values({ key, consecutive: 1, lastFailureAt: sql`now()`, windowStart: sql`now()`, windowCount: 1 })
        .onConflictDoUpdate({
          target: signinFailures.key,
          set: {
            consecutive: sql`${signinFailures.consecutive} + 1`,
            lastFailureAt: sql`now()`,
            windowStart: sql`case when ${windowExpired} then now() else ${signinFailures.windowStart} end`,
            windowCount: sql`case when ${windowExpired} then 1 else ${signinFailures.windowCount} + 1 end`,
          },
        })
        .returning();
      return row!;
    },
    async resetConsecutive(key) {
      await db.update(signinFailures).set({ consecutive: 0 }).where(eq(signinFailures.key, key));
    },
    async prune() {
      await db.delete(rateLimitBuckets).where(sql`${rateLimitBuckets.refilledAt} < now() - interval '1 day'`);
      await db.delete(signinFailures).where(sql`${signinFailures.lastFailureAt} < now() - interval '1 day'`);
    },
  };
}
