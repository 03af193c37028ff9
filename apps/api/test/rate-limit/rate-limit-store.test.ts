import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database, Db } from '../../src/db/client.js';
import { rateLimitBuckets, signinFailures } from '../../src/db/schema.js';
import { AppError } from '../../src/errors.js';
import {
  createRateLimitStore,
  type RateLimitStore,
  type ThrottlePolicy,
} from '../../src/rate-limit/rate-limit-store.js';
import {
  createSigninThrottle,
  DEFAULT_THROTTLE_POLICY,
  type SigninThrottle,
} from '../../src/rate-limit/signin-throttle.js';
import { openTestDatabase, testDbKind } from '../support/test-database.js';

// The one rate-limit store, on whichever database this project runs (PGlite or PostgreSQL). Its
// arithmetic is SQL on the database clock, so time passing is simulated by moving the stored state
// into the past (elapse), and simultaneous callers are real separate connections on PostgreSQL.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
// 5 at once, then one every 8 seconds (binary fractions, so the arithmetic is exact).
const LIMITS = { capacity: 5, perSecond: 1 / 8 };
const TOKEN_TIME = 8 * SECOND;
const ALLOWED = { allowed: true, retryAfterSeconds: 0 };
/** Refused by LIMITS with an empty bucket: a whole token is 8 seconds away. */
const REFUSED = { allowed: false, retryAfterSeconds: 8 };

const NO_LIMIT = 1_000_000;
/** A policy that never makes anyone wait: every attempt is counted. */
const NEVER_WAITS: ThrottlePolicy = {
  freeFailures: NO_LIMIT,
  baseDelaySeconds: 30,
  maxDelaySeconds: 900,
  maxFailuresPerHour: NO_LIMIT,
};
/** A policy that stops a key for 30 s after its last failure once it has `free` consecutive failures. */
const freeUpTo = (free: number): ThrottlePolicy => ({
  freeFailures: free,
  baseDelaySeconds: 30,
  maxDelaySeconds: 30,
  maxFailuresPerHour: NO_LIMIT,
});

/** openTestDatabase's PostgreSQL pool size (test-database.ts): how many calls can run at one moment. */
const POSTGRES_POOL_MAX = 10;

let database: Database;
let store: RateLimitStore;
let keyCounter = 0;
/** Keys of their own for each test, so tests sharing the database never meet. */
const freshKey = (kind: string) => `${kind}:test-${++keyCounter}`;
const freshEmail = (name: string) => `${name}-${++keyCounter}@example.com`;

beforeAll(async () => {
  database = await openTestDatabase();
  store = createRateLimitStore(database.db);
});
afterAll(async () => {
  await database?.close();
});

let testStartedAt = 0;
beforeEach(() => {
  testStartedAt = performance.now();
});

/** Moves every stored time into the past, which is what time passing looks like to the store. */
async function elapse(ms: number) {
  const shift = sql`${ms}::float8 * interval '1 millisecond'`;
  const { db } = database;
  await db.update(rateLimitBuckets).set({ refilledAt: sql`${rateLimitBuckets.refilledAt} - ${shift}` });
  await db.update(signinFailures).set({
    lastFailureAt: sql`${signinFailures.lastFailureAt} - ${shift}`,
    windowStart: sql`${signinFailures.windowStart} - ${shift}`,
  });
}

/** The key's row in signin_failures, as stored (undefined: none). */
async function failuresOf(key: string) {
  const [row] = await database.db.select().from(signinFailures).where(eq(signinFailures.key, key));
  return row;
}

/** The row's counts, and the whole seconds from its window's start to its last failure. */
async function streakOf(key: string) {
  const row = await failuresOf(key);
  if (!row) return undefined;
  return {
    consecutive: row.consecutive,
    windowCount: row.windowCount,
    // Rounded down: the database clock also moves (never backwards) while the steps run.
    secondsIntoWindow: Math.floor((row.lastFailureAt.getTime() - row.windowStart.getTime()) / SECOND),
  };
}

/** The database clock, in whole milliseconds (as a stored timestamp reads back into a Date). */
async function databaseNow(): Promise<number> {
  const result = await database.db.execute(
    sql`select floor(extract(epoch from statement_timestamp()) * 1000)::float8 as ms`,
  );
  return (result as { rows: [{ ms: number }] }).rows[0].ms;
}

/** PGlite's clock counts whole milliseconds, so two of its readings can be 1 ms further apart than the time between them. */
const CLOCK_TICK_SECONDS = 0.001;

/**
 * A wait the policy sets at `expected` seconds, measured some milliseconds after the state it is counted
 * from was written: never longer than `expected`, shorter by no more than this test has been running,
 * and still a wait (a wait of 0 would have let the attempt through).
 */
function expectWait(waitSeconds: number, expected: number) {
  if (expected === 0) {
    expect(waitSeconds).toBe(0);
    return;
  }
  const drift = (performance.now() - testStartedAt) / SECOND + CLOCK_TICK_SECONDS;
  expect(waitSeconds).toBeGreaterThan(0);
  expect(waitSeconds).toBeLessThanOrEqual(expected);
  expect(waitSeconds).toBeGreaterThanOrEqual(expected - drift);
}

/**
 * Makes `count` calls at once. On PostgreSQL they run on separate connections, held back by a table
 * lock until all the pool can run are queued behind it, so they really do race once it is released.
 * PGlite has one connection, so there they run one after another: the answer must be the same.
 */
async function allAtOnce<T>(count: number, call: (index: number) => Promise<T>): Promise<T[]> {
  if (database.kind === 'pglite') return Promise.all(Array.from({ length: count }, (_, index) => call(index)));
  let calls!: Promise<T[]>;
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`lock table rate_limit_buckets, signin_failures in exclusive mode`);
    calls = Promise.all(Array.from({ length: count }, (_, index) => call(index)));
    calls.catch(() => {}); // awaited below, once the lock is released
    await waitForLockWaiters(tx, Math.min(count, POSTGRES_POOL_MAX - 1)); // the transaction holds one connection
  });
  return calls;
}

/** Waits (on PostgreSQL, from the connection holding the lock) until `count` other connections queue behind a lock. */
async function waitForLockWaiters(tx: Db, count: number) {
  for (let poll = 0; ; poll++) {
    await tx.execute(sql`select pg_stat_clear_snapshot()`); // pg_stat_activity is otherwise read once per transaction
    const result = await tx.execute(
      sql`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    const { waiting } = (result as { rows: [{ waiting: number }] }).rows[0];
    if (waiting >= count) return;
    if (poll === 1000) throw new Error(`only ${waiting} of ${count} calls reached the lock`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * On PostgreSQL: starts `call` while another connection holds the key's signin_failures row, lets a
 * moment pass, and runs `cutIn` on that connection just before it lets go: the call arrived first but
 * has its turn second, as when requests to one account on several replicas meet at its row.
 */
async function queuedBehind<T>(key: string, call: () => Promise<T>, cutIn: (db: Db) => Promise<unknown>): Promise<T> {
  let queued!: Promise<T>;
  await database.db.transaction(async (tx) => {
    const [row] = await tx.select().from(signinFailures).where(eq(signinFailures.key, key)).for('update');
    if (!row) throw new Error(`no row to hold for ${key}`);
    queued = call();
    queued.catch(() => {}); // awaited below, once the row is let go
    await waitForLockWaiters(tx, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cutIn(tx);
  });
  return queued;
}

async function take(times: number, key: string, limits = LIMITS) {
  const results = [];
  for (let index = 0; index < times; index++) results.push(await store.takeToken(key, limits));
  return results;
}

async function attempt(key: string, policy: ThrottlePolicy = NEVER_WAITS) {
  return store.beginAttempt(key, policy);
}

describe('rate-limit store: token bucket', () => {
  it('allows a burst of capacity, then refuses with a whole number of seconds to wait', async () => {
    const key = freshKey('ip');

    const results = await take(6, key);

    expect(results).toEqual([...Array(5).fill(ALLOWED), REFUSED]);
  });

  it('refills one token per 1/perSecond seconds, and never beyond capacity', async () => {
    const key = freshKey('ip');
    await take(5, key);

    await elapse(TOKEN_TIME);
    expect(await take(2, key)).toEqual([ALLOWED, REFUSED]);

    // A long quiet spell refills to capacity, not beyond.
    await elapse(24 * HOUR - 1);
    expect(await take(6, key)).toEqual([...Array(5).fill(ALLOWED), REFUSED]);
  });

  it('gives the answers of the arithmetic through a sequence of bursts, waits and another key', async () => {
    const ipA = freshKey('ip');
    const ipB = freshKey('ip');

    expect(await take(7, ipA)).toEqual([...Array(5).fill(ALLOWED), REFUSED, REFUSED]);
    expect(await take(1, ipB)).toEqual([ALLOWED]); // another key is untouched
    await elapse(TOKEN_TIME);
    expect(await take(2, ipA)).toEqual([ALLOWED, REFUSED]);
    // 30 s refill 3.75 tokens: 3 whole ones, and 0.75 left over.
    await elapse(30 * SECOND);
    expect(await take(3, ipA)).toEqual([ALLOWED, ALLOWED, ALLOWED]);
    expect(await store.takeToken(ipA, LIMITS)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    await elapse(HOUR); // refilled to capacity, not beyond
    expect(await take(6, ipA)).toEqual([...Array(5).fill(ALLOWED), REFUSED]);
  });

  it('lets through a client that waits as long as Retry-After said', async () => {
    const key = freshKey('ip');
    await take(5, key);
    const refused = await store.takeToken(key, LIMITS);
    expect(refused).toEqual(REFUSED);

    await elapse(refused.retryAfterSeconds * SECOND);

    expect(await store.takeToken(key, LIMITS)).toEqual(ALLOWED);
  });

  it('lets a client that hammers an empty bucket through no faster than it refills', async () => {
    const key = freshKey('ip');
    await take(5, key);
    // 60 attempts a second apart: a refused attempt takes nothing, so exactly the refill gets through.
    let allowed = 0;
    for (let second = 0; second < 60; second++) {
      await elapse(SECOND);
      const result = await store.takeToken(key, LIMITS);
      if (result.allowed) allowed++;
      else expect(result.retryAfterSeconds).toBeGreaterThan(0);
    }
    expect(allowed).toBe(Math.floor((60 * SECOND) / TOKEN_TIME));
  });

  it('keeps one bucket per key', async () => {
    const ipA = freshKey('ip');
    const ipB = freshKey('ip');
    await take(6, ipA);

    expect(await store.takeToken(ipB, LIMITS)).toEqual(ALLOWED);
    expect(await store.takeToken(ipA, LIMITS)).toEqual(REFUSED);
  });

  it('reports a part-second wait as a whole second', async () => {
    const key = freshKey('ip');
    const fast = { capacity: 1, perSecond: 4 };
    expect(await store.takeToken(key, fast)).toEqual(ALLOWED);
    // One token short at 4 a second: a quarter of a second, reported as 1.
    expect(await store.takeToken(key, fast)).toEqual({ allowed: false, retryAfterSeconds: 1 });

    // And at 0.8 a second, a second and a quarter: rounded up, not to the nearest.
    const slower = freshKey('ip');
    expect(await store.takeToken(slower, { capacity: 1, perSecond: 0.8 })).toEqual(ALLOWED);
    expect(await store.takeToken(slower, { capacity: 1, perSecond: 0.8 })).toEqual({
      allowed: false,
      retryAfterSeconds: 2,
    });
  });
});

describe('rate-limit store: sign-in attempts', () => {
  it('has no row for a key that never tried, and judges its first attempt on no failures at all', async () => {
    const key = freshKey('signin');
    expect(await failuresOf(key)).toBeUndefined();

    // Even a policy with no free failures lets the first attempt through: there is nothing to wait for.
    expect(await attempt(key, freeUpTo(0))).toBe(0);

    expect(await streakOf(key)).toEqual({ consecutive: 1, windowCount: 1, secondsIntoWindow: 0 });
  });

  it('counts an attempt the policy lets through as a failure up front, with its time', async () => {
    const key = freshKey('signin');
    const before = await databaseNow();

    expect(await attempt(key)).toBe(0);

    const after = await databaseNow();
    const row = await failuresOf(key);
    expect(row).toMatchObject({ consecutive: 1, windowCount: 1, refusedForSeconds: 0 });
    expect(row!.windowStart).toEqual(row!.lastFailureAt);
    expect(row!.lastFailureAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(row!.lastFailureAt.getTime()).toBeLessThanOrEqual(after);
  });

  it('judges each attempt by the failures on record before it and the time now', async () => {
    const key = freshKey('signin');
    const oneFree = freeUpTo(1);

    // Judged on no failures (not on the one it is about to count): goes ahead.
    expect(await attempt(key, oneFree)).toBe(0);
    // Judged on the one failure before it: 30 s from that failure.
    expectWait(await attempt(key, oneFree), 30);
    await elapse(5 * SECOND);
    // The same failure, judged 5 s later.
    expectWait(await attempt(key, oneFree), 25);
  });

  it('counts consecutive failures and failures in the window, with their times', async () => {
    const key = freshKey('signin');
    await attempt(key);
    await elapse(10 * SECOND);
    await attempt(key);
    await elapse(10 * SECOND);
    const before = await databaseNow();

    expect(await attempt(key)).toBe(0);

    const after = await databaseNow();
    const row = await failuresOf(key);
    expect(row).toMatchObject({ consecutive: 3, windowCount: 3 });
    expect(row!.lastFailureAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(row!.lastFailureAt.getTime()).toBeLessThanOrEqual(after);
    expect(await streakOf(key)).toEqual({ consecutive: 3, windowCount: 3, secondsIntoWindow: 20 });
  });

  it('opens a new window an hour after the last one opened, while the consecutive count goes on', async () => {
    const key = freshKey('signin');
    await attempt(key);
    // Half a second short of the hour: the database clock moves on by some milliseconds before the next attempt.
    await elapse(HOUR - 500);
    const { windowStart } = (await failuresOf(key))!;
    await attempt(key);
    expect(await failuresOf(key)).toMatchObject({ consecutive: 2, windowCount: 2, windowStart });

    await elapse(500);
    const opened = (await failuresOf(key))!.windowStart; // now a whole hour ago
    await attempt(key);

    const row = await failuresOf(key);
    expect(row).toMatchObject({ consecutive: 3, windowCount: 1 });
    expect(row!.windowStart).toEqual(row!.lastFailureAt);
    expect(row!.windowStart.getTime()).toBeGreaterThanOrEqual(opened.getTime() + HOUR);
  });

  it('counts nothing when the policy says wait, and answers with the wait, leaving the record as it stands', async () => {
    const key = freshKey('signin');
    for (let index = 0; index < 3; index++) expect(await attempt(key, freeUpTo(3))).toBe(0);
    await elapse(SECOND);
    const standing = (await failuresOf(key))!;
    expect(standing).toMatchObject({ consecutive: 3, windowCount: 3 });

    const refused = await attempt(key, freeUpTo(3));
    const refusedAgain = await attempt(key, freeUpTo(3));

    expectWait(refused, 29);
    expectWait(refusedAgain, 29);
    expect(refusedAgain).toBeLessThanOrEqual(refused);
    // The row records the latest answer, and nothing else moved.
    expect(await failuresOf(key)).toEqual({ ...standing, refusedForSeconds: refusedAgain });
  });

  it('runs a sequence of failures, refusals, a new window and a success as the arithmetic says', async () => {
    const ann = freshKey('signin');
    const bo = freshKey('signin');
    // 3 free failures, then 30 s doubling: short enough for the sequence to meet a refusal.
    const threeFree = { ...DEFAULT_THROTTLE_POLICY, freeFailures: 3 };

    expect(await streakOf(ann)).toBeUndefined();
    expect(await attempt(ann, threeFree)).toBe(0);
    await elapse(10 * SECOND);
    expect(await attempt(ann, threeFree)).toBe(0);
    expect(await attempt(bo, threeFree)).toBe(0);
    await elapse(30 * MINUTE);
    expect(await attempt(ann, threeFree)).toBe(0); // the 3rd failure: from now on ann waits 30 s
    expect(await streakOf(ann)).toEqual({ consecutive: 3, windowCount: 3, secondsIntoWindow: 1810 });
    expectWait(await attempt(ann, threeFree), 30); // refused, and not counted
    expect(await streakOf(ann)).toEqual({ consecutive: 3, windowCount: 3, secondsIntoWindow: 1810 });

    await elapse(31 * MINUTE); // the window opened 61 minutes ago: a new one starts, the streak goes on
    expect(await attempt(ann, threeFree)).toBe(0);
    expect(await streakOf(ann)).toEqual({ consecutive: 4, windowCount: 1, secondsIntoWindow: 0 });
    expect(await streakOf(bo)).toEqual({ consecutive: 1, windowCount: 1, secondsIntoWindow: 0 });

    await elapse(MINUTE); // the 4th failure's 60 s have passed
    expect(await attempt(ann, threeFree)).toBe(0); // the 5th in a row succeeds...
    await store.endStreak(ann); // ...which takes it back and ends the streak, but keeps the window's other failure
    expect(await streakOf(ann)).toEqual({ consecutive: 0, windowCount: 1, secondsIntoWindow: 60 });
    expect(await attempt(ann, threeFree)).toBe(0);
    expect(await streakOf(ann)).toEqual({ consecutive: 1, windowCount: 2, secondsIntoWindow: 60 });
  });

  it("on endStreak takes back the successful attempt and starts the streak over, but keeps the hour's other failures", async () => {
    const key = freshKey('signin');
    for (let index = 0; index < 4; index++) await attempt(key);
    const { windowStart } = (await failuresOf(key))!;

    // The 4th attempt succeeded: it is not a failure, and the 3 before it still count toward the hour.
    await store.endStreak(key);

    expect(await failuresOf(key)).toMatchObject({ consecutive: 0, windowCount: 3, windowStart });
    await attempt(key);
    expect(await failuresOf(key)).toMatchObject({ consecutive: 1, windowCount: 4, windowStart });
  });

  it("never takes the hour's count below zero, and treats a row with nothing left as no failures", async () => {
    const key = freshKey('signin');
    await attempt(key);
    await elapse(10 * MINUTE);
    const { windowStart } = (await failuresOf(key))!;

    await store.endStreak(key);
    await store.endStreak(key);

    expect(await failuresOf(key)).toMatchObject({ consecutive: 0, windowCount: 0, windowStart });
    // The next failure counts as the first: it opens a window of its own rather than joining the old one.
    expect(await attempt(key)).toBe(0);
    const row = await failuresOf(key);
    expect(row).toMatchObject({ consecutive: 1, windowCount: 1 });
    expect(row!.windowStart).toEqual(row!.lastFailureAt);
    expect(row!.windowStart.getTime()).toBeGreaterThanOrEqual(windowStart.getTime() + 10 * MINUTE);
  });

  it('keeps one record per key', async () => {
    const di = freshKey('signin');
    const ed = freshKey('signin');
    await attempt(di);
    await attempt(di);
    await store.endStreak(ed);

    expect(await failuresOf(ed)).toBeUndefined();
    expect(await failuresOf(di)).toMatchObject({ consecutive: 2, windowCount: 2 });
  });

  it('applies the hourly cap even when successes keep ending the streak', async () => {
    const key = freshKey('signin');
    const goAhead: number[] = [];
    // 11 rounds: 9 failures, a minute's pause, then an attempt that succeeds.
    for (let round = 0; round < 11; round++) {
      for (let failure = 0; failure < 9; failure++) goAhead.push(await attempt(key, DEFAULT_THROTTLE_POLICY));
      await elapse(MINUTE);
      goAhead.push(await attempt(key, DEFAULT_THROTTLE_POLICY));
      await store.endStreak(key);
    }
    goAhead.push(await attempt(key, DEFAULT_THROTTLE_POLICY)); // the 100th failure

    const wait = await attempt(key, DEFAULT_THROTTLE_POLICY);

    // Every attempt before went ahead; the 101st is refused until the hour that began 11 minutes ago is over.
    expect(goAhead).toEqual(Array(11 * 10 + 1).fill(0));
    expectWait(wait, (60 - 11) * 60);
    expect(await failuresOf(key)).toMatchObject({ consecutive: 1, windowCount: 100, refusedForSeconds: wait });
  });

  it('keeps through prune the state that still limits someone', async () => {
    const signin = freshKey('signin');
    const ip = freshKey('ip');
    const slowIp = freshKey('ip');
    // A token every 6 hours: emptied 23 hours ago, this bucket holds 3 and a bit, not its 5.
    const slow = { capacity: 5, perSecond: 1 / (6 * 3600) };
    await take(5, slowIp, slow);
    await elapse(23 * HOUR);
    await attempt(signin);
    await take(5, ip);

    await store.prune();

    expect(await failuresOf(signin)).toMatchObject({ consecutive: 1, windowCount: 1 });
    expect(await store.takeToken(ip, LIMITS)).toEqual(REFUSED);
    expect((await take(4, slowIp, slow)).map((result) => result.allowed)).toEqual([true, true, true, false]);
  });

  it('forgets through prune the state left idle for more than a day', async () => {
    const signin = freshKey('signin');
    const ip = freshKey('ip');
    await attempt(signin);
    await take(5, ip);
    await elapse(24 * HOUR + MINUTE);

    await store.prune();

    expect(await failuresOf(signin)).toBeUndefined();
    const buckets = await database.db.select().from(rateLimitBuckets).where(eq(rateLimitBuckets.key, ip));
    expect(buckets).toEqual([]);
  });
});

describe('rate-limit store: simultaneous callers', () => {
  it('allows exactly 5 of 20 simultaneous takeToken calls on a bucket of capacity 5', async () => {
    const key = freshKey('ip');
    const slow = { capacity: 5, perSecond: 1 / 3600 };

    const results = await allAtOnce(20, () => store.takeToken(key, slow));

    expect(results.filter((result) => result.allowed)).toHaveLength(5);
    for (const result of results.filter((result) => !result.allowed)) expect(result.retryAfterSeconds).toBe(3600);
    expect((await store.takeToken(key, slow)).allowed).toBe(false);
  });

  it('counts every one of 20 simultaneous beginAttempt calls on one account', async () => {
    const key = freshKey('signin');

    const results = await allAtOnce(20, () => attempt(key));

    expect(results).toEqual(Array(20).fill(0));
    expect(await failuresOf(key)).toMatchObject({ consecutive: 20, windowCount: 20 });
  });

  it('allows exactly 10 of 20 simultaneous beginAttempt calls under the policy of 10 free failures, and counts only those', async () => {
    const key = freshKey('signin');

    const results = await allAtOnce(20, () => attempt(key, DEFAULT_THROTTLE_POLICY));

    expect(results.filter((wait) => wait === 0)).toHaveLength(10);
    const refused = results.filter((wait) => wait > 0);
    expect(refused).toHaveLength(10);
    for (const wait of refused) expectWait(wait, 30);
    expect(await failuresOf(key)).toMatchObject({ consecutive: 10, windowCount: 10 });
  });

  it('takes back exactly one failure per endStreak when successes and failures arrive at once', async () => {
    const key = freshKey('signin');
    for (let index = 0; index < 5; index++) await attempt(key);

    await allAtOnce<unknown>(8, (index) => (index < 5 ? attempt(key) : store.endStreak(key)));

    expect(await failuresOf(key)).toMatchObject({ windowCount: 10 - 3 });
  });
});

// A call that waited for the row (behind another replica, or a sign-in still in its transaction) is
// judged when its turn comes: the store must not count from the earlier moment it arrived, which would
// make a wait longer than the policy's and move the row's times backwards. Only PostgreSQL has a
// second connection to queue on, so the embedded database has no such case to test.
if (testDbKind === 'postgres') {
  describe('rate-limit store: a call that queued behind another', () => {
    it('refuses a queued sign-in attempt for no longer than the policy, counted from the failure before it', async () => {
      const key = freshKey('signin');
      for (let index = 0; index < 10; index++) await attempt(key, DEFAULT_THROTTLE_POLICY);
      await elapse(30 * SECOND); // the 10th failure's 30 s are over: the next attempt goes ahead

      const wait = await queuedBehind(
        key,
        () => attempt(key, DEFAULT_THROTTLE_POLICY),
        async (tx) => {
          // The 11th, which cut in, goes ahead; the queued 12th must wait the 60 s that the 11th failure earned.
          expect(await createRateLimitStore(tx).beginAttempt(key, DEFAULT_THROTTLE_POLICY)).toBe(0);
        },
      );

      expectWait(wait, 60);
      expect(Math.ceil(wait)).toBe(60); // the Retry-After the account is given
      expect(await failuresOf(key)).toMatchObject({ consecutive: 11, windowCount: 11 });
    });

    it('never stamps a queued failure earlier than the one recorded before it', async () => {
      const key = freshKey('signin');
      await attempt(key);

      let cutInAt = new Date(0);
      await queuedBehind(
        key,
        () => attempt(key),
        async (tx) => {
          await createRateLimitStore(tx).beginAttempt(key, NEVER_WAITS);
          cutInAt = (await tx.select().from(signinFailures).where(eq(signinFailures.key, key)))[0]!.lastFailureAt;
        },
      );

      const row = await failuresOf(key);
      expect(row).toMatchObject({ consecutive: 3, windowCount: 3 });
      expect(row!.lastFailureAt.getTime()).toBeGreaterThanOrEqual(cutInAt.getTime());
    });
  });
}

/** A key whose failures stand as given: the last `lastAgo` ms ago, in a window opened `windowAgo` ms ago. */
async function seedFailures(
  key: string,
  consecutive: number,
  lastAgo = 0,
  windowCount = consecutive,
  windowAgo = lastAgo,
) {
  const ago = (ms: number) => sql`statement_timestamp() - ${ms}::float8 * interval '1 millisecond'`;
  await database.db
    .insert(signinFailures)
    .values({ key, consecutive, lastFailureAt: ago(lastAgo), windowCount, windowStart: ago(windowAgo) });
}

describe('beginAttempt with the default policy', () => {
  /** A case: the failures on record (none, or as seedFailures takes them), and the wait they earn. */
  interface Standing {
    failures?: [consecutive: number, lastAgo?: number, windowCount?: number, windowAgo?: number];
    seconds: number;
  }
  it.each<[string, Standing]>([
    ['no failures on record', { seconds: 0 }],
    ['1 failure', { failures: [1], seconds: 0 }],
    ['9 failures', { failures: [9], seconds: 0 }],
    ['10 failures, the last just now', { failures: [10], seconds: 30 }],
    ['11 failures', { failures: [11], seconds: 60 }],
    ['12 failures', { failures: [12], seconds: 120 }],
    ['13 failures', { failures: [13], seconds: 240 }],
    ['14 failures', { failures: [14], seconds: 480 }],
    ['15 failures (960 s capped)', { failures: [15], seconds: 900 }],
    ['40 failures (still capped)', { failures: [40], seconds: 900 }],
    ['99 failures in the hour (capped, under the hourly limit)', { failures: [99], seconds: 900 }],
    ['10 failures, the last 30 s ago', { failures: [10, 30 * SECOND], seconds: 0 }],
    ['11 failures, the last 59 s ago', { failures: [11, 59 * SECOND], seconds: 1 }],
    ['20 failures, the last 15 min ago', { failures: [20, 15 * MINUTE], seconds: 0 }],
    // A success reset the streak, but the window still holds 100: the delays alone would allow a try.
    [
      '3 failures since a success, 100 in a window opened 30 min ago',
      { failures: [3, 0, 100, 30 * MINUTE], seconds: 30 * 60 },
    ],
    // The cap ends in a minute, but the 15-minute delay started just now: the longer one stands.
    [
      '100 failures, the last just now, in a window opened 59 min ago',
      { failures: [100, 0, 100, 59 * MINUTE], seconds: 900 },
    ],
    [
      '99 failures in a window opened 50 min ago, the last 15 min ago',
      { failures: [99, 15 * MINUTE, 99, 50 * MINUTE], seconds: 0 },
    ],
  ])('waits as long as the policy says for %s', async (_case, { failures, seconds }) => {
    const key = freshKey('signin');
    if (failures) await seedFailures(key, ...failures);

    const wait = await attempt(key, DEFAULT_THROTTLE_POLICY);

    expectWait(wait, seconds);
    // A refused attempt leaves the record as it was; one that went ahead is counted.
    const counted = failures ? failures[0] + (seconds > 0 ? 0 : 1) : 1;
    expect(await failuresOf(key)).toMatchObject({ consecutive: counted, refusedForSeconds: wait });
  });

  it.each([
    [0, 30],
    [10, 20],
    [29.5, 0.5],
    [30, 0],
    [31, 0],
  ])(
    'counts the wait from the last failure, so it shrinks as time passes: %s s after the 10th, %s s',
    async (after, seconds) => {
      const key = freshKey('signin');
      await seedFailures(key, 10);
      await elapse(after * SECOND);

      expectWait(await attempt(key, DEFAULT_THROTTLE_POLICY), seconds);
      // Only an attempt that went ahead was counted.
      expect(await failuresOf(key)).toMatchObject({ consecutive: seconds > 0 ? 10 : 11 });
    },
  );

  it('stops an account with 100 failures in the hour until an hour after the window opened, whatever the delays', async () => {
    const key = freshKey('signin');
    // 100 failures spread over 50 minutes, the last 20 minutes ago: the 15-minute delay has run out.
    await seedFailures(key, 100, 20 * MINUTE, 100, 50 * MINUTE);

    expectWait(await attempt(key, DEFAULT_THROTTLE_POLICY), 10 * 60);
    await elapse(9 * MINUTE);
    expectWait(await attempt(key, DEFAULT_THROTTLE_POLICY), 60);
    await elapse(MINUTE);
    expect(await attempt(key, DEFAULT_THROTTLE_POLICY)).toBe(0);
  });
});

describe('createSigninThrottle', () => {
  let throttle: SigninThrottle;
  beforeAll(() => {
    throttle = createSigninThrottle(store);
  });

  async function refusal(promise: Promise<unknown>): Promise<AppError> {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  /** `count` attempts that go ahead and fail (begin, then no success). */
  async function fail(email: string, count: number) {
    for (let attempt = 0; attempt < count; attempt++) await throttle.begin(email);
  }

  it('lets an account try freely through 10 failures, then refuses it with 429 rate_limited and Retry-After 30', async () => {
    const email = freshEmail('ann');
    await fail(email, 10);

    const error = await refusal(throttle.begin(email));

    expect(error).toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'Too many attempts, please try again later',
    });
    expect(error.headers).toEqual({ 'Retry-After': '30' });
    expect(await failuresOf(throttle.keyFor(email))).toMatchObject({ consecutive: 10, windowCount: 10 });
  });

  it('doubles the wait with each failure after the free ones, and lets the account try once it has passed', async () => {
    const email = freshEmail('bo');
    await fail(email, 10);

    await elapse(30 * SECOND);
    await throttle.begin(email); // the 11th attempt goes ahead, and fails
    expect((await refusal(throttle.begin(email))).headers).toEqual({ 'Retry-After': '60' });

    await elapse(45 * SECOND);
    expect((await refusal(throttle.begin(email))).headers).toEqual({ 'Retry-After': '15' });
  });

  it('does not count a refused attempt, so hammering a locked account does not lengthen its wait', async () => {
    const email = freshEmail('bea');
    await fail(email, 10);

    let elapsed = 0;
    for (const second of [1, 10, 20, 29]) {
      await elapse((second - elapsed) * SECOND);
      elapsed = second;
      expect((await refusal(throttle.begin(email))).headers).toEqual({ 'Retry-After': String(30 - second) });
    }
    expect(await failuresOf(throttle.keyFor(email))).toMatchObject({ consecutive: 10, windowCount: 10 });
    await elapse(SECOND);
    await throttle.begin(email);
    expect(await failuresOf(throttle.keyFor(email))).toMatchObject({ consecutive: 11, windowCount: 11 });
  });

  it('rounds a part-second wait up to a whole second of Retry-After', async () => {
    const email = freshEmail('cy');
    await fail(email, 10);
    await elapse(29.5 * SECOND);

    expect((await refusal(throttle.begin(email))).headers).toEqual({ 'Retry-After': '1' });
  });

  it('starts the streak over on success and keeps accounts apart', async () => {
    const di = freshEmail('di');
    const ed = freshEmail('ed');
    await fail(di, 9);
    await throttle.begin(di);
    await throttle.begin(ed); // another account is untouched by di's failures

    await throttle.succeeded(di);

    expect(await failuresOf(throttle.keyFor(ed))).toMatchObject({ consecutive: 1, windowCount: 1 });
    // Ten more failures are free again; the eleventh waits.
    await fail(di, 10);
    expect((await refusal(throttle.begin(di))).headers).toEqual({ 'Retry-After': '30' });
  });

  it('counts a burst of 20 parallel attempts as they arrive: 10 go ahead and 10 are refused', async () => {
    const email = freshEmail('gus');

    const outcomes = await allAtOnce(20, () =>
      throttle.begin(email).then(
        () => ({ status: 'fulfilled' as const }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }),
      ),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(10);
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused).toHaveLength(10);
    for (const { reason } of refused)
      expect(reason).toMatchObject({ status: 429, code: 'rate_limited', headers: { 'Retry-After': '30' } });
    expect(await failuresOf(throttle.keyFor(email))).toMatchObject({ consecutive: 10, windowCount: 10 });
  });

  it('does not count successful signins toward the hourly cap', async () => {
    const email = freshEmail('hal');
    for (let signin = 0; signin < 150; signin++) {
      await throttle.begin(email);
      await throttle.succeeded(email);
    }
    expect(await failuresOf(throttle.keyFor(email))).toMatchObject({ consecutive: 0, windowCount: 0 });

    // Were the successes counted, the hour's cap of 100 would already stand.
    await fail(email, 10);
    expect((await refusal(throttle.begin(email))).headers).toEqual({ 'Retry-After': '30' });
  });

  it('refuses an account its 101st failure within an hour, even when successful signins keep resetting the delays', async () => {
    // The attack: the owner signs in now and then, and each success would hand the guesser 10 free tries again.
    const email = freshEmail('fi');
    let failures = 0;
    while (failures < 99) {
      await fail(email, 9);
      failures += 9;
      await elapse(MINUTE);
      await throttle.begin(email);
      await throttle.succeeded(email);
    }
    await throttle.begin(email); // the 100th failure, 11 minutes into the hour

    const error = await refusal(throttle.begin(email));

    expect(error).toMatchObject({ status: 429, code: 'rate_limited' });
    // The hour began with the first failure, 11 minutes ago.
    expect(error.headers).toEqual({ 'Retry-After': String(3600 - 11 * 60) });
  });
});
