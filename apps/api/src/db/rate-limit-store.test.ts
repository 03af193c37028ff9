import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js';

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

describe('memory rate-limit store: failures', () => {
  it('has no record for a key that never failed', async () => {
    expect(await store.getFailures('signin:ann@example.com')).toBeUndefined();
  });

  it('counts consecutive failures and failures in the window, with their times', async () => {
    const first = await store.recordFailure('signin:ann@example.com', HOUR);
    expect(first).toEqual({ consecutive: 1, windowCount: 1, lastFailureAt: new Date(NOW), windowStart: new Date(NOW) });

    elapse(10 * SECOND);
    await store.recordFailure('signin:ann@example.com', HOUR);
    elapse(10 * SECOND);
    const third = await store.recordFailure('signin:ann@example.com', HOUR);

    const expected = { consecutive: 3, windowCount: 3, lastFailureAt: new Date(NOW + 20 * SECOND), windowStart: new Date(NOW) };
    expect(third).toEqual(expected);
    expect(await store.getFailures('signin:ann@example.com')).toEqual(expected);
  });

  it('opens a new window an hour after the last one opened, while the consecutive count goes on', async () => {
    await store.recordFailure('signin:bo@example.com', HOUR);
    elapse(HOUR - 1);
    const late = await store.recordFailure('signin:bo@example.com', HOUR);
    expect(late).toMatchObject({ consecutive: 2, windowCount: 2, windowStart: new Date(NOW) });

    elapse(1);
    const next = await store.recordFailure('signin:bo@example.com', HOUR);

    expect(next).toEqual({ consecutive: 3, windowCount: 1, lastFailureAt: new Date(NOW + HOUR), windowStart: new Date(NOW + HOUR) });
  });

  it('starts the streak over on resetConsecutive but keeps the hour\'s count of failures', async () => {
    for (let attempt = 0; attempt < 4; attempt++) await store.recordFailure('signin:cy@example.com', HOUR);

    await store.resetConsecutive('signin:cy@example.com');

    expect(await store.getFailures('signin:cy@example.com')).toMatchObject({ consecutive: 0, windowCount: 4 });
    expect(await store.recordFailure('signin:cy@example.com', HOUR)).toMatchObject({ consecutive: 1, windowCount: 5 });
  });

  it('keeps one record per key', async () => {
    await store.recordFailure('signin:di@example.com', HOUR);
    await store.recordFailure('signin:di@example.com', HOUR);
    await store.resetConsecutive('signin:ed@example.com');

    expect(await store.getFailures('signin:ed@example.com')).toBeUndefined();
    expect(await store.getFailures('signin:di@example.com')).toMatchObject({ consecutive: 2 });
  });

  it('keeps failures that still limit someone through prune', async () => {
    await store.recordFailure('signin:fi@example.com', HOUR);
    await take(5);

    await store.prune();

    expect(await store.getFailures('signin:fi@example.com')).toMatchObject({ consecutive: 1 });
    expect((await store.takeToken('ip:a', LIMITS)).allowed).toBe(false);
  });
});
