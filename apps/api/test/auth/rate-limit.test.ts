import { and, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { authEvents, sessions, users } from '../../src/db/schema.js';
import { signUpUser, uniqueEmail, useTestApp, type TestContext } from '../support/test-app.js';

// Brute force, attack by attack: one address guessing one account's password, many addresses guessing
// one account, one address trying many accounts, and a client lying about its address.

const RATE_LIMITED = { error: 'Too many attempts, please try again later', code: 'rate_limited' };
const INVALID_CREDENTIALS = { error: 'Invalid email or password', code: 'invalid_credentials' };
const FREE_FAILURES = 10;
const WRONG_PASSWORD = 'not the right password';
const SMALL_BUCKET = { RATE_LIMIT_IP_BURST: 5, RATE_LIMIT_IP_PER_MINUTE: 1 };
const BURST = SMALL_BUCKET.RATE_LIMIT_IP_BURST;

/** Where a request seems to come from: the socket's address and any headers naming the client. */
interface From {
  remoteAddress?: string;
  headers?: Record<string, string>;
}

const forwardedFor = (address: string): From => ({ headers: { 'x-forwarded-for': address } });

function signIn(ctx: TestContext, payload: { email: string; password: string }, from: From = {}) {
  return ctx.app.inject({ method: 'POST', url: '/api/auth/signin', payload, ...from });
}

function signUp(ctx: TestContext, email: string, from: From = {}) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: { name: 'Bucket Test', email, password: 'correct horse battery' },
    ...from,
  });
}

// Each test (and each signup of a victim) gets addresses of its own, so buckets never carry over.
let nextAddress = 1;
const freshAddress = () => {
  const n = nextAddress++;
  return `10.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
};

/** A user signed up from an address of its own, so the signup bucket of small-bucket apps is never the limit. */
async function victim(ctx: TestContext) {
  const email = uniqueEmail('victim');
  const response = await signUp(ctx, email, { remoteAddress: freshAddress() });
  if (response.statusCode !== 201) throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
  return { id: response.json().user.id as string, email, password: 'correct horse battery' };
}

function expectInvalidCredentials(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(400);
  expect(response.json()).toEqual(INVALID_CREDENTIALS);
}

/** 429 with the exact body and a Retry-After of whole seconds in [atLeast, atMost]; returns the seconds. */
function expectRateLimited(response: LightMyRequestResponse, atLeast: number, atMost: number): number {
  expect(response.statusCode).toBe(429);
  expect(response.json()).toEqual(RATE_LIMITED);
  const retryAfter = response.headers['retry-after'];
  expect(retryAfter).toMatch(/^\d+$/);
  const seconds = Number(retryAfter);
  expect(seconds).toBeGreaterThanOrEqual(atLeast);
  expect(seconds).toBeLessThanOrEqual(atMost);
  return seconds;
}

/** Spends the account's free failures with wrong passwords, each answered 400 invalid_credentials. */
async function failFreely(
  ctx: TestContext,
  email: string,
  count = FREE_FAILURES,
  from: (attempt: number) => From = () => ({}),
) {
  for (let attempt = 0; attempt < count; attempt++) {
    expectInvalidCredentials(await signIn(ctx, { email, password: WRONG_PASSWORD }, from(attempt)));
  }
}

async function eventsFor(ctx: TestContext, email: string, event: string) {
  return ctx.database.db
    .select()
    .from(authEvents)
    .where(and(eq(authEvents.email, email), eq(authEvents.event, event)));
}

/** The client address the server recorded for one request (from its audit event). */
async function recordedIp(ctx: TestContext, response: LightMyRequestResponse): Promise<string | null> {
  const requestId = response.headers['x-request-id'] as string;
  const rows = await ctx.database.db
    .select({ ip: authEvents.ip })
    .from(authEvents)
    .where(eq(authEvents.requestId, requestId));
  expect(rows).toHaveLength(1);
  return rows[0]!.ip;
}

async function sessionCount(ctx: TestContext, userId: string) {
  return (await ctx.database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))).length;
}

describe('POST /api/auth/signin, per-account throttle against one address guessing passwords', () => {
  const ctx = useTestApp();

  it('answers 400 to 10 wrong passwords, then 429 rate_limited with Retry-After of about 30 s even for the right password', async () => {
    const user = await signUpUser(ctx.app);
    await failFreely(ctx, user.email);

    const eleventh = await signIn(ctx, { email: user.email, password: user.password });

    expectRateLimited(eleventh, 25, 30);
    expect(eleventh.headers['set-cookie']).toBeUndefined();
    expect(await sessionCount(ctx, user.id)).toBe(1); // only the signup's session: the right password opened none
    expect(await eventsFor(ctx, user.email, 'signin_failure')).toHaveLength(FREE_FAILURES);
    expect(await eventsFor(ctx, user.email, 'signin_success')).toHaveLength(0);
  });

  // Ways around the throttle once the account is locked: each must still meet the 429.
  it.each([
    ['the right password', (email: string, password: string) => ({ email, password })],
    ['a wrong password', (email: string) => ({ email, password: WRONG_PASSWORD })],
    ['the email in capitals', (email: string, password: string) => ({ email: email.toUpperCase(), password })],
    ['the email padded with spaces', (email: string, password: string) => ({ email: `  ${email}  `, password })],
  ])('still answers 429 to the 11th attempt made with %s', async (_case, attempt) => {
    const user = await signUpUser(ctx.app);
    await failFreely(ctx, user.email);

    expectRateLimited(await signIn(ctx, attempt(user.email, user.password)), 1, 30);
    expect(await sessionCount(ctx, user.id)).toBe(1);
  });

  it('counts failures typed in any letter case against the same account', async () => {
    const user = await signUpUser(ctx.app);
    for (let attempt = 0; attempt < FREE_FAILURES; attempt++) {
      const email = attempt % 2 ? user.email.toUpperCase() : ` ${user.email}`;
      expectInvalidCredentials(await signIn(ctx, { email, password: WRONG_PASSWORD }));
    }

    expectRateLimited(await signIn(ctx, { email: user.email, password: user.password }), 1, 30);
  });

  it('throttles an unknown email after 10 failures exactly as a real account, so the limit reveals nothing', async () => {
    const real = await signUpUser(ctx.app);
    const unknown = uniqueEmail('nobody');
    await failFreely(ctx, real.email);
    await failFreely(ctx, unknown);

    const forReal = await signIn(ctx, { email: real.email, password: WRONG_PASSWORD });
    const forUnknown = await signIn(ctx, { email: unknown, password: WRONG_PASSWORD });

    expectRateLimited(forUnknown, 25, 30);
    expect(forUnknown.statusCode).toBe(forReal.statusCode);
    expect(forUnknown.body).toBe(forReal.body);
    expect(forUnknown.headers['content-type']).toBe(forReal.headers['content-type']);
    expect(await ctx.database.db.select().from(users).where(eq(users.email, unknown))).toHaveLength(0);
  });

  it('resets the count on a successful signin: 9 wrong, 1 right, then 10 more wrong are still answered 400', async () => {
    const user = await signUpUser(ctx.app);
    await failFreely(ctx, user.email, FREE_FAILURES - 1);

    const success = await signIn(ctx, { email: user.email, password: user.password });
    expect(success.statusCode).toBe(200);

    await failFreely(ctx, user.email, FREE_FAILURES);
    // The failures after the reset are counted again from zero: the next attempt meets the throttle.
    expectRateLimited(await signIn(ctx, { email: user.email, password: user.password }), 1, 30);
  });

  it('stops an account after 100 failures in an hour even when the owner signing in keeps resetting the wait', async () => {
    // The attack: each success by the owner would otherwise hand the guesser another 10 free tries.
    const user = await signUpUser(ctx.app);
    for (let round = 0; round < 11; round++) {
      await failFreely(ctx, user.email, FREE_FAILURES - 1);
      expect((await signIn(ctx, { email: user.email, password: user.password })).statusCode).toBe(200);
    }
    await failFreely(ctx, user.email, 1); // the 100th failure within the hour
    expect(await eventsFor(ctx, user.email, 'signin_failure')).toHaveLength(100);

    const next = await signIn(ctx, { email: user.email, password: WRONG_PASSWORD });

    expectRateLimited(next, 3000, 3600);
    expect(await eventsFor(ctx, user.email, 'signin_failure')).toHaveLength(100);
  });

  it('answers exactly 10 × 400 and 30 × 429 to 40 wrong passwords sent for one account at once', async () => {
    // Checking first and counting after the (slow) password check would let the whole burst through.
    const user = await signUpUser(ctx.app);
    const started = Date.now();

    const responses = await Promise.all(
      Array.from({ length: 40 }, () => signIn(ctx, { email: user.email, password: WRONG_PASSWORD })),
    );
    // PostgreSQL measures each wait from its transaction's start, which may come before the last
    // failure was counted by a transaction that got the row lock first: at most the burst's length more.
    const burstSeconds = Math.ceil((Date.now() - started) / 1000);

    const refused = responses.filter((response) => response.statusCode === 429);
    const judged = responses.filter((response) => response.statusCode === 400);
    expect(judged).toHaveLength(FREE_FAILURES);
    expect(refused).toHaveLength(30);
    for (const response of judged) expectInvalidCredentials(response);
    for (const response of refused) expectRateLimited(response, 1, 30 + burstSeconds);
    expect(await eventsFor(ctx, user.email, 'signin_failure')).toHaveLength(FREE_FAILURES);
    expect(await eventsFor(ctx, user.email, 'signin_throttled')).toHaveLength(30);
    // The account is locked afterwards too: even the right password waits.
    expectRateLimited(await signIn(ctx, { email: user.email, password: user.password }), 1, 30);
    expect(await sessionCount(ctx, user.id)).toBe(1);
  });

  it('records a throttled attempt as a signin_throttled auth event with its address and request id', async () => {
    const user = await signUpUser(ctx.app);
    await failFreely(ctx, user.email);
    expect(await eventsFor(ctx, user.email, 'signin_throttled')).toHaveLength(0);

    const throttled = await signIn(ctx, { email: user.email, password: user.password });

    expect(throttled.statusCode).toBe(429);
    const events = await eventsFor(ctx, user.email, 'signin_throttled');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: 'signin_throttled',
      email: user.email,
      ip: '127.0.0.1',
      requestId: throttled.headers['x-request-id'],
    });
    // A refused attempt is not another failure: the password was never checked.
    expect(await eventsFor(ctx, user.email, 'signin_failure')).toHaveLength(FREE_FAILURES);
  });

  it('throttles only the attacked account: another account still signs in from the same address', async () => {
    const attacked = await signUpUser(ctx.app);
    const other = await signUpUser(ctx.app);
    await failFreely(ctx, attacked.email);
    expect((await signIn(ctx, { email: attacked.email, password: attacked.password })).statusCode).toBe(429);

    const response = await signIn(ctx, { email: other.email, password: other.password });

    expect(response.statusCode).toBe(200);
    expect(response.json().user.id).toBe(other.id);
  });
});

describe('POST /api/auth/signin, many addresses against one account (TRUST_PROXY true)', () => {
  const ctx = useTestApp({ TRUST_PROXY: true });

  it('still throttles the account when each of 11 attempts comes from a different forwarded address', async () => {
    const user = await signUpUser(ctx.app);
    const addresses = Array.from({ length: FREE_FAILURES + 1 }, (_, index) => `203.0.113.${index + 1}`);
    await failFreely(ctx, user.email, FREE_FAILURES, (attempt) => forwardedFor(addresses[attempt]!));

    const eleventh = await signIn(
      ctx,
      { email: user.email, password: user.password },
      forwardedFor(addresses[FREE_FAILURES]!),
    );

    expectRateLimited(eleventh, 25, 30);
    // The server really did see ten different clients, so only the per-account count can have stopped them.
    const failures = await eventsFor(ctx, user.email, 'signin_failure');
    expect(new Set(failures.map((event) => event.ip))).toEqual(new Set(addresses.slice(0, FREE_FAILURES)));
    expect(await sessionCount(ctx, user.id)).toBe(1);
  });
});

describe('POST /api/auth/signin and signup, per-address token bucket against one address trying many accounts', () => {
  const ctx = useTestApp({ ...SMALL_BUCKET, TRUST_PROXY: true });

  it('answers 429 rate_limited with Retry-After to the 6th signin from one address, each on a different account', async () => {
    const accounts = [];
    for (let index = 0; index <= BURST; index++) accounts.push(await victim(ctx));
    const attacker = forwardedFor(freshAddress());

    for (const account of accounts.slice(0, BURST)) {
      expectInvalidCredentials(await signIn(ctx, { email: account.email, password: WRONG_PASSWORD }, attacker));
    }
    const sixth = await signIn(ctx, { email: accounts[BURST]!.email, password: WRONG_PASSWORD }, attacker);

    expectRateLimited(sixth, 1, 60);
    // Refused before the password was looked at: the sixth account has no failure on record.
    expect(await eventsFor(ctx, accounts[BURST]!.email, 'signin_failure')).toHaveLength(0);
    // Even the right password does not get the empty-handed address through.
    expectRateLimited(
      await signIn(ctx, { email: accounts[BURST]!.email, password: accounts[BURST]!.password }, attacker),
      1,
      60,
    );
  });

  it('lets a request from another address through while one address is limited', async () => {
    const owner = await victim(ctx);
    const attacker = forwardedFor(freshAddress());
    for (let attempt = 0; attempt < BURST; attempt++) {
      expectInvalidCredentials(
        await signIn(ctx, { email: uniqueEmail('stuffed'), password: WRONG_PASSWORD }, attacker),
      );
    }
    expectRateLimited(await signIn(ctx, { email: owner.email, password: owner.password }, attacker), 1, 60);

    const fromElsewhere = await signIn(
      ctx,
      { email: owner.email, password: owner.password },
      forwardedFor(freshAddress()),
    );

    expect(fromElsewhere.statusCode).toBe(200);
    expect(fromElsewhere.json().user.id).toBe(owner.id);
  });

  it('gives signup its own bucket: an address that used up its signins can still sign up, 5 times', async () => {
    const address = forwardedFor(freshAddress());
    for (let attempt = 0; attempt < BURST; attempt++) {
      expectInvalidCredentials(await signIn(ctx, { email: uniqueEmail('stuffed'), password: WRONG_PASSWORD }, address));
    }
    expectRateLimited(await signIn(ctx, { email: uniqueEmail('stuffed'), password: WRONG_PASSWORD }, address), 1, 60);

    for (let attempt = 0; attempt < BURST; attempt++) {
      expect((await signUp(ctx, uniqueEmail('bulk'), address)).statusCode).toBe(201);
    }
    const sixthEmail = uniqueEmail('bulk');
    const sixth = await signUp(ctx, sixthEmail, address);

    expectRateLimited(sixth, 1, 60);
    expect(await ctx.database.db.select().from(users).where(eq(users.email, sixthEmail))).toHaveLength(0);
  });

  it('gives signin its own bucket: an address that used up its signups can still sign in', async () => {
    const owner = await victim(ctx);
    const address = forwardedFor(freshAddress());
    for (let attempt = 0; attempt < BURST; attempt++) {
      expect((await signUp(ctx, uniqueEmail('bulk'), address)).statusCode).toBe(201);
    }
    expectRateLimited(await signUp(ctx, uniqueEmail('bulk'), address), 1, 60);

    const response = await signIn(ctx, { email: owner.email, password: owner.password }, address);

    expect(response.statusCode).toBe(200);
  });
});

describe('per-address token bucket for IPv6 and IPv4-mapped clients (TRUST_PROXY true)', () => {
  const ctx = useTestApp({ ...SMALL_BUCKET, TRUST_PROXY: true });

  const wrongSignIn = (address: string) =>
    signIn(ctx, { email: uniqueEmail('v6'), password: WRONG_PASSWORD }, forwardedFor(address));

  it('gives all the addresses of one IPv6 /64 one bucket, and another /64 a bucket of its own', async () => {
    // One host holds the whole /64: a fresh address for every request must not buy a fresh bucket.
    for (let attempt = 0; attempt < BURST; attempt++)
      expectInvalidCredentials(await wrongSignIn(`2001:db8:5:6::${(attempt + 1).toString(16)}`));

    expectRateLimited(await wrongSignIn('2001:db8:5:6:ffff:ffff:ffff:fffe'), 1, 60);
    expectRateLimited(await wrongSignIn('2001:0DB8:0005:0006:abcd::9'), 1, 60);
    expectInvalidCredentials(await wrongSignIn('2001:db8:5:7::1'));
  });

  it('treats ::ffff:a.b.c.d and a.b.c.d as one client', async () => {
    for (let attempt = 0; attempt < BURST; attempt++) {
      expectInvalidCredentials(await wrongSignIn(attempt % 2 ? '198.51.100.77' : '::ffff:198.51.100.77'));
    }

    expectRateLimited(await wrongSignIn('198.51.100.77'), 1, 60);
    expectRateLimited(await wrongSignIn('::ffff:198.51.100.77'), 1, 60);
    expectInvalidCredentials(await wrongSignIn('198.51.100.78'));
  });
});

describe('client address headers without TRUST_PROXY', () => {
  const ctx = useTestApp(SMALL_BUCKET);

  // Ways a client might claim to be someone new; none may buy it a fresh bucket.
  it.each([
    ['X-Forwarded-For', (n: number) => ({ 'x-forwarded-for': `198.51.100.${n}` })],
    ['a chain of X-Forwarded-For addresses', (n: number) => ({ 'x-forwarded-for': `198.51.100.${n}, 192.0.2.${n}` })],
    ['X-Real-IP', (n: number) => ({ 'x-real-ip': `198.51.100.${n}` })],
    ['Forwarded', (n: number) => ({ forwarded: `for=198.51.100.${n}` })],
    ['True-Client-IP', (n: number) => ({ 'true-client-ip': `198.51.100.${n}` })],
    ['CF-Connecting-IP', (n: number) => ({ 'cf-connecting-ip': `198.51.100.${n}` })],
  ])('does not give a fresh signin bucket to a client that changes %s on every request', async (_case, spoof) => {
    const remoteAddress = freshAddress();
    const responses = [];
    for (let attempt = 0; attempt < BURST; attempt++) {
      const response = await signIn(
        ctx,
        { email: uniqueEmail('spoof'), password: WRONG_PASSWORD },
        { remoteAddress, headers: spoof(attempt + 1) },
      );
      expectInvalidCredentials(response);
      responses.push(response);
    }

    const sixth = await signIn(
      ctx,
      { email: uniqueEmail('spoof'), password: WRONG_PASSWORD },
      { remoteAddress, headers: spoof(BURST + 1) },
    );

    expectRateLimited(sixth, 1, 60);
    for (const response of responses) expect(await recordedIp(ctx, response)).toBe(remoteAddress);
  });

  it('does not give a fresh signup bucket to a client that changes X-Forwarded-For on every request', async () => {
    const remoteAddress = freshAddress();
    for (let attempt = 0; attempt < BURST; attempt++) {
      const response = await signUp(ctx, uniqueEmail('spoof'), {
        remoteAddress,
        headers: { 'x-forwarded-for': `198.51.100.${attempt + 1}` },
      });
      expect(response.statusCode).toBe(201);
    }

    const sixth = await signUp(ctx, uniqueEmail('spoof'), {
      remoteAddress,
      headers: { 'x-forwarded-for': '198.51.100.200' },
    });

    expectRateLimited(sixth, 1, 60);
  });
});

describe('TRUST_PROXY as a hop count (1)', () => {
  const ctx = useTestApp({ ...SMALL_BUCKET, TRUST_PROXY: loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY });

  it('sees the client as the right-most X-Forwarded-For address, the one the proxy wrote', async () => {
    const response = await signIn(
      ctx,
      { email: uniqueEmail('hop'), password: WRONG_PASSWORD },
      forwardedFor('198.51.100.7, 203.0.113.70'),
    );

    expectInvalidCredentials(response);
    expect(await recordedIp(ctx, response)).toBe('203.0.113.70');
  });

  it('does not give a fresh bucket to a client that puts forged addresses before the one the proxy wrote', async () => {
    for (let attempt = 0; attempt < BURST; attempt++) {
      const response = await signIn(
        ctx,
        { email: uniqueEmail('hop'), password: WRONG_PASSWORD },
        forwardedFor(`198.51.100.${attempt + 1}, 203.0.113.71`),
      );
      expectInvalidCredentials(response);
    }

    const sixth = await signIn(
      ctx,
      { email: uniqueEmail('hop'), password: WRONG_PASSWORD },
      forwardedFor('198.51.100.99, 203.0.113.71'),
    );

    expectRateLimited(sixth, 1, 60);
    // Another client behind the same proxy has a bucket of its own.
    expectInvalidCredentials(
      await signIn(
        ctx,
        { email: uniqueEmail('hop'), password: WRONG_PASSWORD },
        forwardedFor('198.51.100.99, 203.0.113.72'),
      ),
    );
  });
});

describe('TRUST_PROXY as a CIDR list (127.0.0.1/32)', () => {
  const ctx = useTestApp({ ...SMALL_BUCKET, TRUST_PROXY: loadConfig({ TRUST_PROXY: '127.0.0.1/32' }).TRUST_PROXY });

  it.each([
    ['one forwarded address', '203.0.113.80', '203.0.113.80'],
    ['a chain whose left part the client wrote', '198.51.100.1, 203.0.113.81', '203.0.113.81'],
  ])('uses the forwarded address when a trusted proxy sends %s', async (_case, header, expected) => {
    const response = await signIn(ctx, { email: uniqueEmail('cidr'), password: WRONG_PASSWORD }, forwardedFor(header));

    expectInvalidCredentials(response);
    expect(await recordedIp(ctx, response)).toBe(expected);
  });

  it('ignores X-Forwarded-For from a peer outside the list, so it cannot buy a fresh bucket', async () => {
    const remoteAddress = freshAddress();
    const responses = [];
    for (let attempt = 0; attempt < BURST; attempt++) {
      const response = await signIn(
        ctx,
        { email: uniqueEmail('cidr'), password: WRONG_PASSWORD },
        { remoteAddress, headers: { 'x-forwarded-for': `198.51.100.${attempt + 1}` } },
      );
      expectInvalidCredentials(response);
      responses.push(response);
    }

    const sixth = await signIn(
      ctx,
      { email: uniqueEmail('cidr'), password: WRONG_PASSWORD },
      { remoteAddress, headers: { 'x-forwarded-for': '198.51.100.99' } },
    );

    expectRateLimited(sixth, 1, 60);
    expect(await recordedIp(ctx, responses[0]!)).toBe(remoteAddress);
  });
});
