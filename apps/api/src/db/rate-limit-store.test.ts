import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRateLimitStore, type FailureRecord, type RateLimitStore, type WaitPolicy } from './rate-limit-store.js';

const NOW = Date.parse('2025-03-01T12:00:00.000Z');
const SECOND = 1000;
const HOUR = 3600 * SECOND;
// 5 at once, then one every 8 seconds (binary fractions, so the arithmetic is exact).
const LIMITS = { capacity: 5, perSecond: 1 / 8 };
const TOKEN_TIME = 8 * SECOND;

let store: RateLimitStore;

beforeEach(() => {
  // Only Date: the store reads Date.now(), and its LRU cache keeps real timers.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  store = createMemoryRateLimitStore();
});
afterEach(() => {
  vi.useRealTimers();
});

const elapse = (ms: number) => vi.setSystemTime(Date.now() + ms);

async function take(times: number, key = 'ip:a') {
  const results = [];
  for (let index = 0; index < times; index++) results.push(await store.takeToken(key, LIMITS));
  return results;
}

describe('memory rate-limit store: token bucket', () => {
  it('allows a burst of capacity, then refuses with a whole number of seconds to wait', async () => {
    const results = await take(6);

    expect(results.slice(0, 5)).toEqual(Array(5).fill({ allowed: true, retryAfterSeconds: 0 }));
    expect(results[5]!.allowed).toBe(false);
    expect(Number.isInteger(results[5]!.retryAfterSeconds)).toBe(true);
    expect(results[5]!.retryAfterSeconds).toBeGreaterThanOrEqual(8);
  });

  it('refills one token per 1/perSecond seconds, and never beyond capacity', async () => {
    await take(5);

    elapse(TOKEN_TIME);
    expect(await take(2)).toEqual([
      { allowed: true, retryAfterSeconds: 0 },
      expect.objectContaining({ allowed: false }),
    ]);

    // A long quiet spell refills to capacity, not beyond.
    elapse(24 * HOUR - 1);
    const afterRest = await take(6);
    expect(afterRest.map((result) => result.allowed)).toEqual([true, true, true, true, true, false]);
  });

  it('lets through a client that waits as long as Retry-After said', async () => {
    await take(5);
    const refused = await store.takeToken('ip:a', LIMITS);
    expect(refused.allowed).toBe(false);

    elapse(refused.retryAfterSeconds * SECOND);

    expect(await store.takeToken('ip:a', LIMITS)).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it('lets a client that hammers an empty bucket through no faster than it refills', async () => {
    await take(5);
    // 60 attempts a second apart: a refused attempt takes nothing, so exactly the refill gets through.
    let allowed = 0;
    for (let attempt = 0; attempt < 60; attempt++) {
      elapse(SECOND);
      const result = await store.takeToken('ip:a', LIMITS);
      if (result.allowed) allowed++;
      else expect(result.retryAfterSeconds).toBeGreaterThan(0);
    }
    expect(allowed).toBe(Math.floor((60 * SECOND) / TOKEN_TIME));
  });

  it('keeps one bucket per key', async () => {
    await take(6, 'ip:a');

    expect(await store.takeToken('ip:b', LIMITS)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect((await store.takeToken('ip:a', LIMITS)).allowed).toBe(false);
  });

  it('reports a part-second wait as a whole second', async () => {
    const fast = { capacity: 1, perSecond: 4 };
    expect((await store.takeToken('ip:c', fast)).allowed).toBe(true);
    // One token short at 4 a second: a quarter of a second, reported as 1.
    expect(await store.takeToken('ip:c', fast)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});

/** A policy that never makes anyone wait: every attempt is counted. */
const mayAlwaysTry: WaitPolicy = () => 0;
/** A policy that stops a key for 30 s once it has `free` consecutive failures. */
const freeUpTo =
  (free: number): WaitPolicy =>
  (record) =>
    (record?.consecutive ?? 0) >= free ? 30 : 0;

const attempt = (key: string, waitFor: WaitPolicy = mayAlwaysTry) => store.beginAttempt(key, HOUR, waitFor);
/** The key's failures on record, read through a policy that says "wait", so the read counts nothing. */
async function failuresOf(key: string): Promise<FailureRecord | undefined> {
  return (await store.beginAttempt(key, HOUR, () => 1)).record;
}

describe('memory rate-limit store: sign-in attempts', () => {
  it('has no record for a key that never tried', async () => {
    expect(await failuresOf('signin:ann@example.com')).toBeUndefined();
    // Reading twice proves the read itself counted nothing.
    expect(await failuresOf('signin:ann@example.com')).toBeUndefined();
  });

  it('counts an attempt the policy lets through as a failure up front, with its time', async () => {
    const first = await attempt('signin:ann@example.com');

    const expected = { consecutive: 1, windowCount: 1, lastFailureAt: new Date(NOW), windowStart: new Date(NOW) };
    expect(first).toEqual({ waitSeconds: 0, record: expected });
    expect(await failuresOf('signin:ann@example.com')).toEqual(expected);
  });

  it('asks the policy with the failures on record before this attempt and the time now', async () => {
    const policy = vi.fn<WaitPolicy>(() => 0);
    await store.beginAttempt('signin:ali@example.com', HOUR, policy);
    elapse(5 * SECOND);
    await store.beginAttempt('signin:ali@example.com', HOUR, policy);

    expect(policy).toHaveBeenCalledTimes(2);
    expect(policy.mock.calls[0]).toEqual([undefined, NOW]);
    expect(policy.mock.calls[1]).toEqual([
      { consecutive: 1, windowCount: 1, lastFailureAt: new Date(NOW), windowStart: new Date(NOW) },
      NOW + 5 * SECOND,
    ]);
  });

  it('counts consecutive failures and failures in the window, with their times', async () => {
    await attempt('signin:ann@example.com');
    elapse(10 * SECOND);
    await attempt('signin:ann@example.com');
    elapse(10 * SECOND);
    const third = await attempt('signin:ann@example.com');

    const expected = { consecutive: 3, windowCount: 3, lastFailureAt: new Date(NOW + 20 * SECOND), windowStart: new Date(NOW) };
    expect(third).toEqual({ waitSeconds: 0, record: expected });
    expect(await failuresOf('signin:ann@example.com')).toEqual(expected);
  });

  it('opens a new window an hour after the last one opened, while the consecutive count goes on', async () => {
    await attempt('signin:bo@example.com');
    elapse(HOUR - 1);
    const late = await attempt('signin:bo@example.com');
    expect(late.record).toMatchObject({ consecutive: 2, windowCount: 2, windowStart: new Date(NOW) });

    elapse(1);
    const next = await attempt('signin:bo@example.com');

    expect(next.record).toEqual({ consecutive: 3, windowCount: 1, lastFailureAt: new Date(NOW + HOUR), windowStart: new Date(NOW + HOUR) });
  });

  it('counts nothing when the policy says wait, and answers with the wait and the record as it stands', async () => {
    for (let index = 0; index < 3; index++) expect((await attempt('signin:cal@example.com', freeUpTo(3))).waitSeconds).toBe(0);
    elapse(SECOND);

    const refused = await attempt('signin:cal@example.com', freeUpTo(3));
    const refusedAgain = await attempt('signin:cal@example.com', freeUpTo(3));

    const standing = { consecutive: 3, windowCount: 3, lastFailureAt: new Date(NOW), windowStart: new Date(NOW) };
    expect(refused).toEqual({ waitSeconds: 30, record: standing });
    expect(refusedAgain).toEqual({ waitSeconds: 30, record: standing });
    expect(await failuresOf('signin:cal@example.com')).toEqual(standing);
  });

  it('on endStreak takes back the successful attempt and starts the streak over, but keeps the hour\'s other failures', async () => {
    for (let index = 0; index < 4; index++) await attempt('signin:cy@example.com');

    // The 4th attempt succeeded: it is not a failure, and the 3 before it still count toward the hour.
    await store.endStreak('signin:cy@example.com');

    expect(await failuresOf('signin:cy@example.com')).toMatchObject({ consecutive: 0, windowCount: 3, windowStart: new Date(NOW) });
    expect((await attempt('signin:cy@example.com')).record).toMatchObject({ consecutive: 1, windowCount: 4 });
  });

  it('never takes the hour\'s count below zero', async () => {
    await attempt('signin:dot@example.com');

    await store.endStreak('signin:dot@example.com');
    await store.endStreak('signin:dot@example.com');

    // Nothing left on record (0 in a row, 0 this hour), and the next failure counts as the first.
    expect(await failuresOf('signin:dot@example.com')).toBeUndefined();
    expect((await attempt('signin:dot@example.com')).record).toMatchObject({ consecutive: 1, windowCount: 1 });
  });

  it('keeps one record per key', async () => {
    await attempt('signin:di@example.com');
    await attempt('signin:di@example.com');
    await store.endStreak('signin:ed@example.com');

    expect(await failuresOf('signin:ed@example.com')).toBeUndefined();
    expect(await failuresOf('signin:di@example.com')).toMatchObject({ consecutive: 2 });
  });

  it('counts every one of 20 simultaneous attempts, and lets exactly as many through as the policy allows', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => attempt('signin:eve@example.com', freeUpTo(10))));

    expect(results.filter((result) => result.waitSeconds === 0)).toHaveLength(10);
    expect(results.filter((result) => result.waitSeconds === 30)).toHaveLength(10);
    expect(await failuresOf('signin:eve@example.com')).toMatchObject({ consecutive: 10, windowCount: 10 });
  });

  it('keeps failures that still limit someone through prune', async () => {
    await attempt('signin:fi@example.com');
    await take(5);

    await store.prune();

    expect(await failuresOf('signin:fi@example.com')).toMatchObject({ consecutive: 1 });
    expect((await store.takeToken('ip:a', LIMITS)).allowed).toBe(false);
  });
});
