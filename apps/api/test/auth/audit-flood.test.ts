import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authEvents } from '../../src/db/schema.js';
import { signUpUser, useTestApp, type SignedUpUser, type TestContext } from '../support/test-app.js';

// Refusals are something anyone can cause as often as they like: every cross-site cookie request
// wrote an access_denied row (375 rows/s measured, ~1 GB an hour), and auth_events was never pruned.
// A refusal is now recorded at most once a minute per address, event and user, with a count.

const REFUSALS = 20;
const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

/** What one refusal is: the request that is refused, the answer it gets and the event it records. */
interface Refusal {
  event: 'access_denied' | 'revoked_token_use';
  status: number;
  code: string;
  send(ctx: TestContext, user: SignedUpUser, remoteAddress: string): Promise<LightMyRequestResponse>;
  /** The user the recorded row names. */
  userOf(user: SignedUpUser): string | null;
}

const crossSite: Refusal = {
  event: 'access_denied',
  status: 403,
  code: 'csrf',
  send: (ctx, user, remoteAddress) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/${user.id}/tasks`,
      remoteAddress,
      headers: { cookie: `todo_session=${user.token}`, origin: 'https://evil.example' },
      payload: { title: 'Forged' },
    }),
  userOf: () => null,
};

const anotherUsersTasks: Refusal = {
  event: 'access_denied',
  status: 403,
  code: 'forbidden',
  send: (ctx, user, remoteAddress) =>
    ctx.app.inject({ method: 'GET', url: `/api/${randomUUID()}/tasks`, remoteAddress, headers: user.auth }),
  userOf: (user) => user.id,
};

/** Uses the user's token after it was signed out: the test signs it out first. */
const revokedToken: Refusal = {
  event: 'revoked_token_use',
  status: 401,
  code: 'invalid_token',
  send: (ctx, user, remoteAddress) =>
    ctx.app.inject({ method: 'GET', url: '/api/auth/me', remoteAddress, headers: user.auth }),
  userOf: (user) => user.id,
};

let addressBlock = 0;
/** A numbering of addresses of its own for each test: a /24 of IPv4 and a /64 of IPv6. */
function freshAddresses() {
  const block = ++addressBlock;
  return {
    ipv4: (host: number) => `10.77.${block}.${host}`,
    ipv6: (host: number) => `2001:db8:77:${block.toString(16)}:${host.toString(16)}::1`,
  };
}

/** Refusals of a kind recorded with one of the given addresses. */
async function refusalRows(ctx: TestContext, event: string, addresses: string[]) {
  const rows = await ctx.database.db.select().from(authEvents).where(eq(authEvents.event, event));
  return rows.filter((row) => addresses.includes(row.ip ?? ''));
}

/**
 * Waits, if need be, until the database clock is not within 10 s of the next minute, so a burst of
 * refusals made now falls within one clock minute.
 */
async function awayFromTheMinuteBoundary(ctx: TestContext) {
  const result = await ctx.database.db.execute(sql`select extract(second from now())::float8 as second`);
  const second = Number((result as { rows: Array<{ second: number }> }).rows[0]!.second);
  if (second > 50) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
}

describe('refusals in the audit log, at most one row per address, event and user a minute', () => {
  const ctx = useTestApp();

  // Every refusal anyone can repeat at will, each sent from one address and, as a way around the
  // bound, from as many addresses of one IPv6 /64.
  describe.each<[string, Refusal]>([
    ['cross-site cookie requests (403 csrf)', crossSite],
    ["requests for another user's tasks (403 forbidden)", anotherUsersTasks],
    ['a signed-out token (401 invalid_token)', revokedToken],
  ])('%s', (_kind, refusal) => {
    async function victim() {
      const user = await signUpUser(ctx.app);
      if (refusal === revokedToken) {
        const signOut = await ctx.app.inject({ method: 'POST', url: '/api/auth/signout', headers: user.auth });
        expect(signOut.statusCode).toBe(200);
      }
      return user;
    }

    it.each<[string, (addresses: ReturnType<typeof freshAddresses>, attempt: number) => string]>([
      ['one IPv4 address', (addresses) => addresses.ipv4(1)],
      ['a different address of one IPv6 /64 each time', (addresses, attempt) => addresses.ipv6(attempt + 1)],
    ])(`records ${REFUSALS} refusals from %s as one row with count ${REFUSALS}`, async (_from, addressOf) => {
      const user = await victim();
      const addresses = freshAddresses();
      const used = Array.from({ length: REFUSALS }, (_, attempt) => addressOf(addresses, attempt));
      await awayFromTheMinuteBoundary(ctx);

      const responses = [];
      for (const address of used) responses.push(await refusal.send(ctx, user, address));

      for (const response of responses) {
        expect(response.statusCode).toBe(refusal.status);
        expect(response.json().code).toBe(refusal.code);
      }
      const rows = await refusalRows(ctx, refusal.event, used);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        userId: refusal.userOf(user),
        ip: used[0],
        count: REFUSALS,
        requestId: responses[0]!.headers['x-request-id'],
      });
    });

    it('gives each address a row of its own', async () => {
      const user = await victim();
      const addresses = freshAddresses();
      const used = [addresses.ipv4(1), addresses.ipv4(2), addresses.ipv6(1)];
      await awayFromTheMinuteBoundary(ctx);

      for (const address of [...used, ...used]) {
        expect((await refusal.send(ctx, user, address)).statusCode).toBe(refusal.status);
      }

      const rows = await refusalRows(ctx, refusal.event, used);
      expect(rows.map((row) => [row.ip, row.count]).sort()).toEqual(used.map((address) => [address, 2]).sort());
    });
  });

  it("keeps each user's refusals in rows of their own, so each person's events stay true", async () => {
    const first = await signUpUser(ctx.app);
    const second = await signUpUser(ctx.app);
    const address = freshAddresses().ipv4(1);
    await awayFromTheMinuteBoundary(ctx);

    for (const user of [first, second, first]) await anotherUsersTasks.send(ctx, user, address);

    const rows = await refusalRows(ctx, 'access_denied', [address]);
    expect(rows.map((row) => [row.userId, row.count]).sort()).toEqual(
      [
        [first.id, 2],
        [second.id, 1],
      ].sort(),
    );
  });

  it('leaves every other event one row each, with no count', async () => {
    const user = await signUpUser(ctx.app);
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/signin',
        payload: { email: user.email, password: 'not the password' },
      });
      expect(response.statusCode).toBe(400);
    }

    const rows = await ctx.database.db
      .select()
      .from(authEvents)
      .where(and(eq(authEvents.userId, user.id), eq(authEvents.event, 'signin_failure')));
    expect(rows).toHaveLength(3);
    expect(rows.map((row) => row.count)).toEqual([null, null, null]);
  });
});

describe('auth_events older than AUDIT_RETENTION (7d here), pruned by housekeeping', () => {
  // The housekeeping interval is faked, so the test can make ten minutes pass.
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterAll(() => {
    vi.useRealTimers();
  });
  const ctx = useTestApp({ AUDIT_RETENTION: 7 * 86400 });

  async function insertEventAged(days: number, event: string) {
    const [row] = await ctx.database.db
      .insert(authEvents)
      .values({ event, createdAt: sql`now() - ${days} * interval '1 day'` })
      .returning({ id: authEvents.id });
    return row!.id;
  }

  async function exists(id: number) {
    return (await ctx.database.db.select().from(authEvents).where(eq(authEvents.id, id))).length === 1;
  }

  it('deletes the events past the retention at the next round and keeps the younger ones', async () => {
    const old = [await insertEventAged(8, 'signin_failure'), await insertEventAged(400, 'access_denied')];
    const young = [await insertEventAged(6, 'signin_failure'), await insertEventAged(0, 'signup')];

    vi.advanceTimersByTime(HOUSEKEEPING_INTERVAL_MS);
    await vi.waitFor(async () => expect(await exists(old[0]!)).toBe(false), { timeout: 5_000, interval: 50 });

    expect(await exists(old[1]!)).toBe(false);
    for (const id of young) expect(await exists(id)).toBe(true);
  });
});
