import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRateLimitStore, type FailureRecord } from '../db/rate-limit-store.js';
import { AppError } from '../errors.js';
import { createSigninThrottle, DEFAULT_THROTTLE_POLICY, throttleWaitSeconds, type SigninThrottle } from './signin-throttle.js';

const NOW = Date.parse('2025-03-01T12:00:00.000Z');
const SECOND = 1000;

/** A failure record whose last failure was `agoMs` before NOW, in a window that opened `windowAgoMs` before NOW. */
function record(consecutive: number, agoMs = 0, windowCount = consecutive, windowAgoMs = agoMs): FailureRecord {
  return {
    consecutive,
    lastFailureAt: new Date(NOW - agoMs),
    windowStart: new Date(NOW - windowAgoMs),
    windowCount,
  };
}

const wait = (failures: FailureRecord | undefined, now = NOW) => throttleWaitSeconds(failures, now, DEFAULT_THROTTLE_POLICY);

describe('throttleWaitSeconds with the default policy', () => {
  it.each([
    ['no failures on record', undefined, 0],
    ['1 failure', record(1), 0],
    ['9 failures', record(9), 0],
    ['10 failures, the last just now', record(10), 30],
    ['11 failures', record(11), 60],
    ['12 failures', record(12), 120],
    ['13 failures', record(13), 240],
    ['14 failures', record(14), 480],
    ['15 failures (960 s capped)', record(15), 900],
    ['40 failures (still capped)', record(40), 900],
    ['99 failures in the hour (capped, under the hourly limit)', record(99), 900],
  ])('waits as long as the policy says for %s', (_case, failures, seconds) => {
    expect(wait(failures)).toBe(seconds);
  });

  it('counts the wait from the last failure, so it shrinks as time passes', () => {
    const failures = record(10);
    expect(wait(failures, NOW)).toBe(30);
    expect(wait(failures, NOW + 10 * SECOND)).toBe(20);
    expect(wait(failures, NOW + 29.5 * SECOND)).toBe(0.5);
    expect(wait(failures, NOW + 30 * SECOND)).toBe(0);
    expect(wait(failures, NOW + 31 * SECOND)).toBe(0);
  });

  it('has nothing left to wait once the delay since an old failure has passed', () => {
    expect(wait(record(10, 30 * SECOND))).toBe(0);
    expect(wait(record(11, 59 * SECOND))).toBe(1);
    expect(wait(record(20, 15 * 60 * SECOND))).toBe(0);
  });

  it('stops an account with 100 failures in the hour until an hour after the window opened, whatever the delays', () => {
    // 100 failures spread over 50 minutes, the last 20 minutes ago: the 15-minute delay has run out.
    const failures = record(100, 20 * 60 * SECOND, 100, 50 * 60 * SECOND);
    expect(wait(failures)).toBe(10 * 60);
    expect(wait(failures, NOW + 9 * 60 * SECOND)).toBe(60);
    expect(wait(failures, NOW + 10 * 60 * SECOND)).toBe(0);
  });

  it('applies the hourly cap even when the consecutive count was reset by a success', () => {
    // 100 failures in the window, but only 3 since the last success: the delays alone would allow a try.
    const failures = record(3, 0, 100, 30 * 60 * SECOND);
    expect(wait(failures)).toBe(30 * 60);
  });

  it('keeps the longer of the delay and the hourly cap', () => {
    // Window opened 59 min ago (cap ends in 1 min) but the 15-minute delay started just now.
    const failures = record(100, 0, 100, 59 * 60 * SECOND);
    expect(wait(failures)).toBe(900);
  });

  it('leaves an account with 99 failures in the hour to the delays alone', () => {
    expect(wait(record(99, 15 * 60 * SECOND, 99, 50 * 60 * SECOND))).toBe(0);
  });
});

describe('createSigninThrottle on the memory store', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
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
  async function fail(throttle: SigninThrottle, email: string, count: number) {
    for (let attempt = 0; attempt < count; attempt++) await throttle.begin(email);
  }

  it('lets an account try freely through 10 failures, then refuses it with 429 rate_limited and Retry-After 30', async () => {
    const throttle = createSigninThrottle(createMemoryRateLimitStore());
    await fail(throttle, 'ann@example.com', 10);

    const error = await refusal(throttle.begin('ann@example.com'));

    expect(error).toMatchObject({ status: 429, code: 'rate_limited', message: 'Too many attempts, please try again later' });
    expect(error.headers).toEqual({ 'Retry-After': '30' });
  });

  it('doubles the wait with each failure after the free ones, and lets the account try once it has passed', async () => {
    const throttle = createSigninThrottle(createMemoryRateLimitStore());
    await fail(throttle, 'bo@example.com', 10);

    vi.setSystemTime(NOW + 30 * SECOND);
    await throttle.begin('bo@example.com'); // the 11th attempt goes ahead, and fails
    expect((await refusal(throttle.begin('bo@example.com'))).headers).toEqual({ 'Retry-After': '60' });

    vi.setSystemTime(NOW + 30 * SECOND + 45 * SECOND);
    expect((await refusal(throttle.begin('bo@example.com'))).headers).toEqual({ 'Retry-After': '15' });
  });

  it('does not count a refused attempt, so hammering a locked account does not lengthen its wait', async () => {
    const throttle = createSigninThrottle(createMemoryRateLimitStore());
    await fail(throttle, 'bea@example.com', 10);

    for (const elapsed of [1, 10, 20, 29]) {
      vi.setSystemTime(NOW + elapsed * SECOND);
      expect((await refusal(throttle.begin('bea@example.com'))).headers).toEqual({ 'Retry-After': String(30 - elapsed) });
    }
    vi.setSystemTime(NOW + 30 * SECOND);
    await throttle.begin('bea@example.com');
  });

  it('rounds a part-second wait up to a whole second of Retry-After', async () => {
    const throttle = createSigninThrottle(createMemoryRateLimitStore());
    await fail(throttle, 'cy@example.com', 10);
    vi.setSystemTime(NOW + 29.5 * SECOND);
    expect((await refusal(throttle.begin('cy@example.com'))).headers).toEqual({ 'Retry-After': '1' });
  });

  it('starts the streak over on success and keeps accounts apart', async () => {
    const throttle = createSigninThrottle(createMemoryRateLimitStore());
    await fail(throttle, 'di@example.com', 9);
    await throttle.begin('di@example.com');
    await throttle.begin('ed@example.com'); // another account is untouched by di's failures

    await throttle.succeeded('di@example.com');

    // Ten more failures are free again; the eleventh waits.
    await fail(throttle, 'di@example.com', 10);
    expect((await refusal(throttle.begin('di@example.com'))).headers).toEqual({ 'Retry-After': '30' });
  });

  it('counts a burst of 20 parallel attempts as they arrive: 10 go ahead and 10 are refused', async () => {
    const throttle = createSigninThrottle(createMemoryRateLimitStore());

    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => throttle.begin('gus@example.com')));

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(10);
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(refused).toHaveLength(10);
    for (const { reason } of refused) expect(reason).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('does not count successful signins toward the hourly cap', async () => {
    const throttle = createSigninThrottle(createMemoryRateLimitStore());
    for (let signin = 0; signin < 150; signin++) {
      await throttle.begin('hal@example.com');
      await throttle.succeeded('hal@example.com');
    }

    // Were the successes counted, the hour's cap of 100 would already stand.
    await fail(throttle, 'hal@example.com', 10);
    expect((await refusal(throttle.begin('hal@example.com'))).headers).toEqual({ 'Retry-After': '30' });
  });

  it('refuses an account its 101st failure within an hour, even when successful signins keep resetting the delays', async () => {
    // The attack: the owner signs in now and then, and each success would hand the guesser 10 free tries again.
    const throttle = createSigninThrottle(createMemoryRateLimitStore());
    let failures = 0;
    while (failures < 99) {
      await fail(throttle, 'fi@example.com', 9);
      failures += 9;
      vi.setSystemTime(Date.now() + 60 * SECOND);
      await throttle.begin('fi@example.com');
      await throttle.succeeded('fi@example.com');
    }
    await throttle.begin('fi@example.com'); // the 100th failure, 11 minutes into the hour

    const error = await refusal(throttle.begin('fi@example.com'));

    expect(error).toMatchObject({ status: 429, code: 'rate_limited' });
    // The hour began with the first failure, 11 minutes ago.
    expect(Number(error.headers?.['Retry-After'])).toBeGreaterThanOrEqual(3600 - 11 * 60);
    expect(Number(error.headers?.['Retry-After'])).toBeLessThanOrEqual(3600);
  });
});
