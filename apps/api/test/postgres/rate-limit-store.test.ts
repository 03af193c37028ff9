import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/db/client.js';
import {
  createMemoryRateLimitStore,
  createPostgresRateLimitStore,
  type FailureRecord,
  type RateLimitStore,
} from '../../src/db/rate-limit-store.js';
import { openTestDatabase } from '../support/test-database.js';

// The PostgreSQL store is what replicas share: it must answer exactly as the memory store does, and
// hold when many requests (on separate connections) hit one key at the same moment.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
// 5 at once, then one every 8 seconds (binary fractions, so both stores' arithmetic is exact).
const LIMITS = { capacity: 5, perSecond: 1 / 8 };

let database: Database;
let postgres: RateLimitStore;
let keyCounter = 0;
/** Keys of their own for each test, so tests sharing the database never meet. */
const freshKey = (kind: string) => `${kind}:test-${++keyCounter}`;

beforeAll(async () => {
  database = await openTestDatabase();
  if (database.kind !== 'postgres') throw new Error('this suite belongs to the api-postgres project (TEST_DB=postgres)');
  postgres = createPostgresRateLimitStore(database.db);
});
afterAll(async () => {
  await database?.close();
});

/** Moves the PostgreSQL store's state into the past, which is what time passing looks like to it. */
async function backdate(ms: number) {
  const shift = sql`${ms} * interval '1 millisecond'`;
  await database.db.execute(sql`update rate_limit_buckets set refilled_at = refilled_at - ${shift}`);
  await database.db.execute(sql`update signin_failures set last_failure_at = last_failure_at - ${shift}, window_start = window_start - ${shift}`);
}

/** A failure record in terms both stores can agree on: counts, and whole seconds from window start to last failure. */
function comparable(record: FailureRecord | undefined) {
  if (!record) return undefined;
  return {
    consecutive: record.consecutive,
    windowCount: record.windowCount,
    secondsIntoWindow: Math.round((record.lastFailureAt.getTime() - record.windowStart.getTime()) / SECOND),
  };
}

type Step = (store: RateLimitStore, elapse: (ms: number) => Promise<void>) => Promise<unknown>;

/** Runs the same steps against a store and collects every answer. */
async function run(store: RateLimitStore, elapse: (ms: number) => Promise<void>, steps: Step[]) {
  const answers = [];
  for (const step of steps) answers.push(await step(store, elapse));
  return answers;
}

async function runOnMemory(steps: Step[]) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2025-03-01T12:00:00.000Z'));
  try {
    return await run(createMemoryRateLimitStore(), async (ms) => void vi.setSystemTime(Date.now() + ms), steps);
  } finally {
    vi.useRealTimers();
  }
}

describe('PostgreSQL rate-limit store', () => {
  it('gives the same token-bucket answers as the memory store for the same sequence', async () => {
    const ipA = freshKey('signin:ip');
    const ipB = freshKey('signin:ip');
    const take = (key: string, times = 1): Step => async (store) => {
      const results = [];
      for (let index = 0; index < times; index++) results.push(await store.takeToken(key, LIMITS));
      return results;
    };
    const wait = (ms: number): Step => async (_store, elapse) => elapse(ms);
    const steps = [
      take(ipA, 7), // the burst of 5, then two refusals
      take(ipB), // another key is untouched
      wait(8 * SECOND),
      take(ipA, 2),
      wait(30 * SECOND),
      take(ipA, 3),
      wait(HOUR), // refilled to capacity, not beyond
      take(ipA, 6),
    ];

    const fromPostgres = await run(postgres, backdate, steps);
    const fromMemory = await runOnMemory(steps);

    expect(fromPostgres).toEqual(fromMemory);
    // The sequence did exercise both answers: the comparison is not between two lists of "allowed".
    const flat = fromPostgres.flat() as Array<{ allowed: boolean }>;
    expect(flat.filter((result) => result?.allowed === false).length).toBeGreaterThanOrEqual(4);
    expect(flat.filter((result) => result?.allowed === true).length).toBeGreaterThanOrEqual(12);
  });

  it('gives the same failure records as the memory store for the same sequence', async () => {
    const ann = freshKey('signin');
    const bo = freshKey('signin');
    const fail = (key: string): Step => async (store) => comparable(await store.recordFailure(key, HOUR));
    const read = (key: string): Step => async (store) => comparable(await store.getFailures(key));
    const reset = (key: string): Step => async (store) => store.resetConsecutive(key);
    const wait = (ms: number): Step => async (_store, elapse) => elapse(ms);
    const steps = [
      read(ann), // nothing yet
      fail(ann),
      wait(10 * SECOND),
      fail(ann),
      fail(bo),
      wait(30 * MINUTE),
      fail(ann),
      read(ann),
      wait(31 * MINUTE), // the window opened 61 minutes ago: a new one starts, the streak goes on
      fail(ann),
      read(ann),
      read(bo),
      reset(ann),
      read(ann),
      fail(ann),
    ];

    const fromPostgres = await run(postgres, backdate, steps);
    const fromMemory = await runOnMemory(steps);

    expect(fromPostgres).toEqual(fromMemory);
    expect(fromPostgres[9]).toEqual({ consecutive: 4, windowCount: 1, secondsIntoWindow: 0 });
    // A success restarts the streak but not the hour's count.
    expect(fromPostgres[14]).toEqual({ consecutive: 1, windowCount: 2, secondsIntoWindow: 0 });
  });

  it('lets through a client that waits as long as Retry-After said', async () => {
    const key = freshKey('signup:ip');
    for (let index = 0; index < LIMITS.capacity; index++) expect((await postgres.takeToken(key, LIMITS)).allowed).toBe(true);
    const refused = await postgres.takeToken(key, LIMITS);
    expect(refused.allowed).toBe(false);

    await backdate(refused.retryAfterSeconds * SECOND);

    expect(await postgres.takeToken(key, LIMITS)).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it('allows exactly 5 of 20 simultaneous takeToken calls on a bucket of capacity 5', async () => {
    const key = freshKey('signin:ip');
    const slow = { capacity: 5, perSecond: 1 / 3600 };

    const results = await Promise.all(Array.from({ length: 20 }, () => postgres.takeToken(key, slow)));

    expect(results.filter((result) => result.allowed)).toHaveLength(5);
    for (const result of results.filter((result) => !result.allowed)) expect(result.retryAfterSeconds).toBeGreaterThan(0);
    expect((await postgres.takeToken(key, slow)).allowed).toBe(false);
  });

  it('counts all of 20 simultaneous recordFailure calls on one account', async () => {
    const key = freshKey('signin');

    await Promise.all(Array.from({ length: 20 }, () => postgres.recordFailure(key, HOUR)));

    expect(await postgres.getFailures(key)).toMatchObject({ consecutive: 20, windowCount: 20 });
  });
});
