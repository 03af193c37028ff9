import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { sessions } from '../../src/db/schema.js';
import { signUpUser, uniqueEmail, useTestApp, type SignedUpUser, type TestContext } from '../support/test-app.js';

// Targeted lockout, and OWASP's answer to it: device cookies. The per-account throttle the contract asks
// for lets anyone who knows an email keep that account locked. A browser that has signed in to the account
// holds a device cookie, and its attempts are throttled on that device's own key, so a stranger's failures
// never lock the owner out of their usual browser. Everything else (API clients, new browsers, forged or
// foreign cookies) is an untrusted attempt and keeps the contract's per-account throttle.

const FREE_FAILURES = 10;
const WRONG_PASSWORD = 'not the right password';
const RATE_LIMITED = { error: 'Too many attempts, please try again later', code: 'rate_limited' };
const DEVICE_COOKIE = 'todo_device';
const SECURE_DEVICE_COOKIE = '__Host-todo_device';
const YEAR_SECONDS = 365 * 24 * 3600;

type Headers = Record<string, string>;

function signIn(ctx: TestContext, email: string, password: string, headers: Headers = {}) {
  return ctx.app.inject({ method: 'POST', url: '/api/auth/signin', headers, payload: { email, password } });
}

const withDevice = (value: string, name = DEVICE_COOKIE): Headers => ({ cookie: `${name}=${value}` });

/** The device cookie a response set, by name; fails when there is none. */
function deviceCookieOf(response: LightMyRequestResponse, name = DEVICE_COOKIE) {
  const cookie = response.cookies.find((candidate) => candidate.name === name);
  if (!cookie) throw new Error(`no ${name} cookie in ${JSON.stringify(response.headers['set-cookie'])}`);
  return cookie;
}

function rawSetCookie(response: LightMyRequestResponse, name: string): string {
  const headers = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const raw = headers.find((header) => header.startsWith(`${name}=`));
  if (!raw) throw new Error(`no Set-Cookie for ${name}`);
  return raw;
}

/** The owner signs in from their usual browser: the device cookie it now holds. */
async function ownersBrowser(ctx: TestContext, user: SignedUpUser, headers: Headers = {}): Promise<string> {
  const response = await signIn(ctx, user.email, user.password, headers);
  expect(response.statusCode).toBe(200);
  return deviceCookieOf(response).value;
}

/** A stranger spends the account's free failures and meets its throttle: 10 × 400, then 429. */
async function strangerLocksOut(ctx: TestContext, email: string): Promise<void> {
  for (let attempt = 0; attempt < FREE_FAILURES; attempt++) {
    expect((await signIn(ctx, email, WRONG_PASSWORD)).statusCode).toBe(400);
  }
  expectRateLimited(await signIn(ctx, email, WRONG_PASSWORD));
}

function expectRateLimited(response: LightMyRequestResponse, atLeast = 1, atMost = 30): void {
  expect(response.statusCode).toBe(429);
  expect(response.json()).toEqual(RATE_LIMITED);
  const seconds = Number(response.headers['retry-after']);
  expect(seconds).toBeGreaterThanOrEqual(atLeast);
  expect(seconds).toBeLessThanOrEqual(atMost);
  expect(response.headers['set-cookie']).toBeUndefined();
}

async function sessionCount(ctx: TestContext, userId: string): Promise<number> {
  return (await ctx.database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))).length;
}

describe('POST /api/auth/signin from a browser holding a device cookie for the account', () => {
  const ctx = useTestApp();

  it('signs the owner in while a stranger has locked the account, and keeps the stranger and untrusted clients out', async () => {
    const owner = await signUpUser(ctx.app);
    const device = await ownersBrowser(ctx, owner);
    await strangerLocksOut(ctx, owner.email);
    const before = await sessionCount(ctx, owner.id);

    const fromUsualBrowser = await signIn(ctx, owner.email, owner.password, withDevice(device));

    expect(fromUsualBrowser.statusCode).toBe(200);
    expect(fromUsualBrowser.json().user.id).toBe(owner.id);
    expect(await sessionCount(ctx, owner.id)).toBe(before + 1);
    // The contract's per-account throttle still holds for every untrusted attempt: the stranger, and the
    // owner too from an API client or a browser that never signed in.
    expectRateLimited(await signIn(ctx, owner.email, WRONG_PASSWORD));
    expectRateLimited(await signIn(ctx, owner.email, owner.password));
    expect(await sessionCount(ctx, owner.id)).toBe(before + 1);
  });

  it('trusts the browser that signed up, too', async () => {
    const email = uniqueEmail('signup-device');
    const signup = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { name: 'Device', email, password: 'correct horse battery' },
    });
    expect(signup.statusCode).toBe(201);
    const device = deviceCookieOf(signup).value;
    await strangerLocksOut(ctx, email);

    const response = await signIn(ctx, email, 'correct horse battery', withDevice(device));

    expect(response.statusCode).toBe(200);
  });

  it('trusts the device cookie whatever the letter case and spaces of the typed email', async () => {
    const owner = await signUpUser(ctx.app);
    const device = await ownersBrowser(ctx, owner);
    await strangerLocksOut(ctx, owner.email);

    const response = await signIn(ctx, `  ${owner.email.toUpperCase()} `, owner.password, withDevice(device));

    expect(response.statusCode).toBe(200);
  });

  it("keeps signing the owner in through a stranger's continued attack, with a new device cookie each time", async () => {
    const owner = await signUpUser(ctx.app);
    let device = await ownersBrowser(ctx, owner);
    await strangerLocksOut(ctx, owner.email);

    for (let round = 0; round < 3; round++) {
      expectRateLimited(await signIn(ctx, owner.email, WRONG_PASSWORD));
      const response = await signIn(ctx, owner.email, owner.password, withDevice(device));
      expect(response.statusCode).toBe(200);
      const renewed = deviceCookieOf(response).value;
      expect(renewed).not.toBe(device);
      device = renewed;
    }
  });
});

describe('POST /api/auth/signin with a device cookie that is not valid for the account', () => {
  const ctx = useTestApp();
  // Another deployment, with a signing secret of its own.
  const elsewhere = useTestApp({ BETTER_AUTH_SECRET: 'another-secret-that-is-at-least-32-characters' });

  /** A device cookie for `user` made some way around the server's signature: each must be untrusted. */
  type Forgery = (valid: string, user: SignedUpUser) => Promise<string> | string;
  const swapChar = (value: string, index: number) => {
    const at = index < 0 ? value.length + index : index;
    return value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);
  };
  const part = (value: string, index: number) => value.split('.')[index]!;

  it.each<[string, Forgery]>([
    ['empty', () => ''],
    ["not in the cookie's shape", () => 'trusted'],
    ['in the right shape with random parts', () => `${'n'.repeat(22)}.9999999999.${'m'.repeat(43)}`],
    ['its MAC changed in one character', (valid) => swapChar(valid, -5)],
    ['its nonce changed in one character', (valid) => swapChar(valid, 3)],
    ['its expiry pushed later', (valid) => `${part(valid, 0)}.${Number(part(valid, 1)) + 1}.${part(valid, 2)}`],
    ['its expiry written with a leading zero', (valid) => `${part(valid, 0)}.0${part(valid, 1)}.${part(valid, 2)}`],
    ['its MAC with base64 padding', (valid) => `${valid}=`],
    ['its MAC removed', (valid) => `${part(valid, 0)}.${part(valid, 1)}`],
    [
      'issued to this browser for another account',
      async () => ownersBrowser(ctx, await signUpUser(ctx.app, { email: uniqueEmail('other') })),
    ],
    [
      'issued for the same email by a server with another secret',
      async (_valid, user) => {
        const there = await signUpUser(elsewhere.app, { email: user.email, password: user.password });
        return ownersBrowser(elsewhere, there);
      },
    ],
  ])(
    'treats a device cookie that is %s as untrusted, and answers 429 while the account is locked',
    async (_case, forge) => {
      const owner = await signUpUser(ctx.app);
      const valid = await ownersBrowser(ctx, owner);
      const forged = await forge(valid, owner);
      expect(forged).not.toBe(valid);
      await strangerLocksOut(ctx, owner.email);
      const before = await sessionCount(ctx, owner.id);

      expectRateLimited(await signIn(ctx, owner.email, owner.password, withDevice(forged)));
      expect(await sessionCount(ctx, owner.id)).toBe(before);
      // The genuine one still works: the forgery was refused for what it is, not because the owner is locked.
      expect((await signIn(ctx, owner.email, owner.password, withDevice(valid))).statusCode).toBe(200);
    },
  );
});

describe('POST /api/auth/signin through a stolen device cookie', () => {
  const ctx = useTestApp();

  it("still brakes guessing on the device's own key: 10 × 400, then 429 even for the right password", async () => {
    const owner = await signUpUser(ctx.app);
    const stolen = await ownersBrowser(ctx, owner);
    const before = await sessionCount(ctx, owner.id);

    for (let attempt = 0; attempt < FREE_FAILURES; attempt++) {
      expect((await signIn(ctx, owner.email, WRONG_PASSWORD, withDevice(stolen))).statusCode).toBe(400);
    }
    expectRateLimited(await signIn(ctx, owner.email, owner.password, withDevice(stolen)), 25, 30);
    expect(await sessionCount(ctx, owner.id)).toBe(before);
  });

  it("locks only that device: the account's own key and the owner's other trusted browsers are untouched", async () => {
    const owner = await signUpUser(ctx.app);
    const stolen = await ownersBrowser(ctx, owner);
    const laptop = await ownersBrowser(ctx, owner);
    for (let attempt = 0; attempt < FREE_FAILURES; attempt++) {
      expect((await signIn(ctx, owner.email, WRONG_PASSWORD, withDevice(stolen))).statusCode).toBe(400);
    }
    expectRateLimited(await signIn(ctx, owner.email, WRONG_PASSWORD, withDevice(stolen)));

    expect((await signIn(ctx, owner.email, owner.password, withDevice(laptop))).statusCode).toBe(200);
    // An untrusted attempt still has all of the account's free failures: none were counted there.
    for (let attempt = 0; attempt < FREE_FAILURES; attempt++) {
      expect((await signIn(ctx, owner.email, WRONG_PASSWORD)).statusCode).toBe(400);
    }
    expectRateLimited(await signIn(ctx, owner.email, owner.password));
  });
});

describe('the device cookie a successful signup or sign-in sets', () => {
  const ctx = useTestApp();
  const https = useTestApp({ TRUST_PROXY: true });
  const viaTls = { 'x-forwarded-proto': 'https', host: 'todo.example' };

  it.each([
    [
      'signup',
      (email: string) => ({
        url: '/api/auth/signup',
        payload: { name: 'Ann', email, password: 'correct horse battery' },
      }),
    ],
    [
      'sign-in',
      (email: string) => ({ url: '/api/auth/signin', payload: { email, password: 'correct horse battery' } }),
    ],
  ])(
    'on %s over http is todo_device: HttpOnly, SameSite=Lax, Path=/, a year long, without Secure or the email',
    async (what, request) => {
      const email = uniqueEmail('attrs');
      if (what === 'sign-in') await signUpUser(ctx.app, { email });
      const response = await ctx.app.inject({ method: 'POST', ...request(email) });
      expect(response.statusCode).toBeLessThan(300);

      const cookie = deviceCookieOf(response);
      const raw = rawSetCookie(response, DEVICE_COOKIE);
      expect(cookie.value).toMatch(/^[\w-]{22}\.\d+\.[\w-]{43}$/);
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe('Lax');
      expect(cookie.path).toBe('/');
      expect(cookie.domain).toBeUndefined();
      expect(cookie.maxAge).toBe(YEAR_SECONDS);
      expect(raw).not.toMatch(/;\s*secure/i);
      for (const spelling of [email, Buffer.from(email).toString('base64url'), Buffer.from(email).toString('base64')]) {
        expect(decodeURIComponent(cookie.value)).not.toContain(spelling);
      }
    },
  );

  it('over https is __Host-todo_device with Secure, Path=/ and no Domain, and the plain name is not set', async () => {
    const user = await signUpUser(https.app);
    const response = await signIn(https, user.email, user.password, viaTls);
    expect(response.statusCode).toBe(200);

    const cookie = deviceCookieOf(response, SECURE_DEVICE_COOKIE);
    const raw = rawSetCookie(response, SECURE_DEVICE_COOKIE);
    expect(cookie.secure).toBe(true);
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
    expect(raw).not.toMatch(/;\s*domain=/i);
    expect(cookie.maxAge).toBe(YEAR_SECONDS);
    expect(response.cookies.some((candidate) => candidate.name === DEVICE_COOKIE)).toBe(false);
  });

  it('over https trusts only the __Host- cookie, not the same value under the plain name', async () => {
    const owner = await signUpUser(https.app);
    const device = deviceCookieOf(await signIn(https, owner.email, owner.password, viaTls), SECURE_DEVICE_COOKIE);
    for (let attempt = 0; attempt < FREE_FAILURES; attempt++) {
      expect((await signIn(https, owner.email, WRONG_PASSWORD, viaTls)).statusCode).toBe(400);
    }

    const planted = await signIn(https, owner.email, owner.password, { ...viaTls, ...withDevice(device.value) });
    expectRateLimited(planted);
    const genuine = await signIn(https, owner.email, owner.password, {
      ...viaTls,
      ...withDevice(device.value, SECURE_DEVICE_COOKIE),
    });
    expect(genuine.statusCode).toBe(200);
  });

  it.each([
    ['a wrong password', async (user: SignedUpUser) => signIn(ctx, user.email, WRONG_PASSWORD), 400],
    [
      'a throttled attempt',
      async (user: SignedUpUser) => {
        await strangerLocksOut(ctx, user.email);
        return signIn(ctx, user.email, user.password);
      },
      429,
    ],
  ])('is not set after %s', async (_case, attempt, status) => {
    const user = await signUpUser(ctx.app);
    const response = await attempt(user);
    expect(response.statusCode).toBe(status);
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});
