import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client.js';
import { createSessionLiveness } from './session-liveness.js';
import { findLiveSession, touchSession, type LiveSession } from './session-store.js';

// The database reads are stubbed, so each test decides what the database says and when it answers.
vi.mock('./session-store.js', () => ({ findLiveSession: vi.fn(), touchSession: vi.fn(async () => {}) }));

const findLive = vi.mocked(findLiveSession);
const touch = vi.mocked(touchSession);
const db = {} as Db;

const SESSION = 'session-1';
const USER = 'user-1';
const EXPIRES = new Date('2030-01-01T00:00:00.000Z');
const live = (lastSeenAt = new Date()): LiveSession => ({ expiresAt: EXPIRES, lastSeenAt });

/** A database read that answers only when the test says so. */
function slowRead() {
  let answer!: (session: LiveSession | undefined) => void;
  const promise = new Promise<LiveSession | undefined>((resolve) => {
    answer = resolve;
  });
  findLive.mockImplementationOnce(() => promise);
  return { answer };
}

beforeEach(() => {
  findLive.mockReset();
  touch.mockClear();
});

describe('createSessionLiveness', () => {
  it('answers a second check within the cache lifetime without reading the database again', async () => {
    findLive.mockResolvedValue(live());
    const liveness = createSessionLiveness(db);

    expect(await liveness.check(SESSION, USER)).toEqual(EXPIRES);
    expect(await liveness.check(SESSION, USER)).toEqual(EXPIRES);

    expect(findLive).toHaveBeenCalledTimes(1);
    expect(findLive).toHaveBeenCalledWith(db, SESSION, USER);
  });

  it('caches a revoked answer too, so a revoked token does not cost a read every time', async () => {
    findLive.mockResolvedValue(undefined);
    const liveness = createSessionLiveness(db);

    expect(await liveness.check(SESSION, USER)).toBeUndefined();
    expect(await liveness.check(SESSION, USER)).toBeUndefined();

    expect(findLive).toHaveBeenCalledTimes(1);
  });

  it('does not serve one user the cached answer for a session id checked for another user', async () => {
    findLive.mockResolvedValueOnce(live()).mockResolvedValueOnce(undefined);
    const liveness = createSessionLiveness(db);

    expect(await liveness.check(SESSION, USER)).toEqual(EXPIRES);
    expect(await liveness.check(SESSION, 'user-2')).toBeUndefined();

    expect(findLive).toHaveBeenCalledTimes(2);
  });

  it('reads the database again once the cache lifetime has passed', async () => {
    findLive.mockResolvedValueOnce(live()).mockResolvedValueOnce(undefined);
    const liveness = createSessionLiveness(db, 20);
    expect(await liveness.check(SESSION, USER)).toEqual(EXPIRES);

    await vi.waitFor(async () => expect(await liveness.check(SESSION, USER)).toBeUndefined(), {
      timeout: 2_000,
      interval: 10,
    });

    expect(findLive).toHaveBeenCalledTimes(2);
  });

  it('reads the database again after forget, so a revocation on this replica takes effect at once', async () => {
    findLive.mockResolvedValueOnce(live()).mockResolvedValueOnce(undefined);
    const liveness = createSessionLiveness(db);
    expect(await liveness.check(SESSION, USER)).toEqual(EXPIRES);

    liveness.forget([SESSION]);

    expect(await liveness.check(SESSION, USER)).toBeUndefined();
    expect(findLive).toHaveBeenCalledTimes(2);
  });

  it('reads the database again after forgetUser for every session of that user, and only theirs', async () => {
    findLive.mockResolvedValue(live());
    const liveness = createSessionLiveness(db);
    await liveness.check('phone', USER);
    await liveness.check('laptop', USER);
    await liveness.check('other', 'user-2');
    findLive.mockResolvedValue(undefined);

    liveness.forgetUser(USER);

    expect(await liveness.check('phone', USER)).toBeUndefined();
    expect(await liveness.check('laptop', USER)).toBeUndefined();
    expect(await liveness.check('other', 'user-2')).toEqual(EXPIRES);
    expect(findLive).toHaveBeenCalledTimes(5);
  });

  it('does not cache a "live" read that began before a revocation: the next check goes to the database', async () => {
    const liveness = createSessionLiveness(db);
    const read = slowRead();
    const racing = liveness.check(SESSION, USER);

    // While that read is on its way, the session is revoked (in the database, then here).
    liveness.forget([SESSION]);
    read.answer(live());
    expect(await racing).toEqual(EXPIRES); // it began before the revocation; its own answer may be live
    findLive.mockResolvedValue(undefined);

    expect(await liveness.check(SESSION, USER)).toBeUndefined();
    expect(findLive).toHaveBeenCalledTimes(2);
  });

  it('does not cache a "live" read that began before the user was forgotten', async () => {
    const liveness = createSessionLiveness(db);
    const read = slowRead();
    const racing = liveness.check(SESSION, USER);

    liveness.forgetUser(USER);
    read.answer(live());
    await racing;
    findLive.mockResolvedValue(undefined);

    expect(await liveness.check(SESSION, USER)).toBeUndefined();
    expect(findLive).toHaveBeenCalledTimes(2);
  });

  it('caches a read that began after the revocation', async () => {
    const liveness = createSessionLiveness(db);
    liveness.forget([SESSION]);
    findLive.mockResolvedValue(live());

    await liveness.check(SESSION, USER);
    await liveness.check(SESSION, USER);

    expect(findLive).toHaveBeenCalledTimes(1);
  });

  it('records "last seen" only when the stored one is over a minute old', async () => {
    findLive
      .mockResolvedValueOnce(live(new Date(Date.now() - 30_000)))
      .mockResolvedValueOnce(live(new Date(Date.now() - 61_000)));
    const liveness = createSessionLiveness(db);

    await liveness.check('recent', USER);
    expect(touch).not.toHaveBeenCalled();
    await liveness.check('stale', USER);

    expect(touch).toHaveBeenCalledTimes(1);
    expect(touch).toHaveBeenCalledWith(db, 'stale');
  });
});
