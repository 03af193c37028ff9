import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { DEFAULT_THROTTLE_POLICY, throttleWaitSeconds, type ThrottlePolicy } from '../../src/auth/signin-throttle.js';
import {
  createMemoryRateLimitStore,
  createPostgresRateLimitStore,
  type AttemptResult,
  type FailureRecord,
  type RateLimitStore,
  type WaitPolicy,
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
    // Rounded down: PostgreSQL's clock also moves while the steps run (never backwards), the memory store's does not.
    secondsIntoWindow: Math.floor((record.lastFailureAt.getTime() - record.windowStart.getTime()) / SECOND),
  };
}

/** The sign-in throttle's own policy (whole seconds, as Retry-After reports them), so both stores judge alike. */
const policyOf =
  (policy: ThrottlePolicy): WaitPolicy =>
  (record, nowMs) =>
    Math.ceil(throttleWaitSeconds(record, nowMs, policy));
const mayAlwaysTry: WaitPolicy = () => 0;

function comparableAttempt(result: AttemptResult) {
  return { waitSeconds: result.waitSeconds, record: comparable(result.record) };
}

/** The key's failures on record, read through a policy that says "wait", so the read counts nothing. */
async function failuresOf(store: RateLimitStore, key: string): Promise<FailureRecord | undefined> {
  return (await store.beginAttempt(key, HOUR, () => 1)).record;
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

  it('gives the same sign-in attempt answers and failure records as the memory store for the same sequence', async () => {
    const ann = freshKey('signin');
    const bo = freshKey('signin');
    // 3 free failures, then 30 s doubling: short enough for the sequence to meet a refusal.
    const threeFree = policyOf({ ...DEFAULT_THROTTLE_POLICY, freeFailures: 3 });
    const attempt = (key: string, waitFor: WaitPolicy = threeFree): Step => async (store) =>
      comparableAttempt(await store.beginAttempt(key, HOUR, waitFor));
    const read = (key: string): Step => async (store) => comparable(await failuresOf(store, key));
    const succeed = (key: string): Step => async (store) => store.endStreak(key);
    const wait = (ms: number): Step => async (_store, elapse) => elapse(ms);
    const steps = [
      read(ann), // nothing yet
      attempt(ann),
      wait(10 * SECOND),
      attempt(ann),
      attempt(bo),
      wait(30 * MINUTE),
      attempt(ann), // the 3rd failure: from now on ann waits 30 s
      attempt(ann), // refused, and not counted
      read(ann),
      wait(31 * MINUTE), // the window opened 61 minutes ago: a new one starts, the streak goes on
      attempt(ann),
      read(ann),
      read(bo),
      wait(MINUTE),
      attempt(ann), // the 5th in a row succeeds...
      succeed(ann), // ...which takes it back and ends the streak, but keeps the window's other failure
      read(ann),
      attempt(ann),
    ];

    const fromPostgres = await run(postgres, backdate, steps);
    const fromMemory = await runOnMemory(steps);

    expect(fromPostgres).toEqual(fromMemory);
    expect(fromPostgres[0]).toBeUndefined();
    expect(fromPostgres[7]).toEqual({ waitSeconds: 30, record: { consecutive: 3, windowCount: 3, secondsIntoWindow: 1810 } });
    expect(fromPostgres[8]).toEqual({ consecutive: 3, windowCount: 3, secondsIntoWindow: 1810 });
    expect(fromPostgres[10]).toEqual({ waitSeconds: 0, record: { consecutive: 4, windowCount: 1, secondsIntoWindow: 0 } });
    // A success restarts the streak and is not itself a failure; the hour's earlier failure stands.
    expect(fromPostgres[16]).toEqual({ consecutive: 0, windowCount: 1, secondsIntoWindow: 60 });
    expect(fromPostgres[17]).toEqual({ waitSeconds: 0, record: { consecutive: 1, windowCount: 2, secondsIntoWindow: 60 } });
  });

  it('applies the hourly cap after successes as the memory store does', async () => {
    const key = freshKey('signin');
    const policy = policyOf(DEFAULT_THROTTLE_POLICY);
    const mayGoAhead: Step = async (store) => (await store.beginAttempt(key, HOUR, policy)).waitSeconds === 0;
    const steps: Step[] = [];
    for (let round = 0; round < 11; round++) {
      for (let failure = 0; failure < 9; failure++) steps.push(mayGoAhead);
      steps.push(async (_store, elapse) => elapse(MINUTE));
      steps.push(mayGoAhead);
      steps.push(async (store) => store.endStreak(key));
    }
    steps.push(mayGoAhead); // the 100th failure
    // Minutes, not seconds: this many steps take PostgreSQL's clock a moment further than the memory store's.
    steps.push(async (store) => {
      const { waitSeconds, record } = await store.beginAttempt(key, HOUR, policy);
      return { waitMinutes: Math.round(waitSeconds / 60), consecutive: record?.consecutive, windowCount: record?.windowCount };
    });

    const fromPostgres = await run(postgres, backdate, steps);
    const fromMemory = await runOnMemory(steps);

    expect(fromPostgres).toEqual(fromMemory);
    // Every attempt before went ahead; the 101st is refused until the hour that began 11 minutes ago is over.
    expect(fromPostgres.filter((answer) => answer === false)).toEqual([]);
    expect(fromPostgres.at(-1)).toEqual({ waitMinutes: 60 - 11, consecutive: 1, windowCount: 100 });
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

  it('counts every one of 20 simultaneous beginAttempt calls on one account, one after another', async () => {
    const key = freshKey('signin');

    const results = await Promise.all(Array.from({ length: 20 }, () => postgres.beginAttempt(key, HOUR, mayAlwaysTry)));

    expect(results.every((result) => result.waitSeconds === 0)).toBe(true);
    // Each saw the ones before it: the counts they returned are 1 to 20, none twice.
    expect(results.map((result) => result.record!.consecutive).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(await failuresOf(postgres, key)).toMatchObject({ consecutive: 20, windowCount: 20 });
  });

  it('allows exactly 10 of 20 simultaneous beginAttempt calls under a policy of 10 free failures', async () => {
    const key = freshKey('signin');

    const results = await Promise.all(Array.from({ length: 20 }, () => postgres.beginAttempt(key, HOUR, policyOf(DEFAULT_THROTTLE_POLICY))));

    expect(results.filter((result) => result.waitSeconds === 0)).toHaveLength(10);
    const refused = results.filter((result) => result.waitSeconds > 0);
    expect(refused).toHaveLength(10);
    for (const result of refused) expect(result.record).toMatchObject({ consecutive: 10, windowCount: 10 });
    expect(await failuresOf(postgres, key)).toMatchObject({ consecutive: 10, windowCount: 10 });
  });

  it('takes back exactly one failure per endStreak when successes and failures arrive at once', async () => {
    const key = freshKey('signin');
    for (let index = 0; index < 5; index++) await postgres.beginAttempt(key, HOUR, mayAlwaysTry);

    await Promise.all([
      ...Array.from({ length: 5 }, () => postgres.beginAttempt(key, HOUR, mayAlwaysTry)),
      ...Array.from({ length: 3 }, () => postgres.endStreak(key)),
    ]);

    expect((await failuresOf(postgres, key))?.windowCount).toBe(10 - 3);
  });
});
