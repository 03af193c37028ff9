import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { hash } from '@node-rs/argon2';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  HASH_CONCURRENCY,
  HASH_QUEUE_LIMIT,
  hashPassword,
  PASSWORD_HASH_OPTIONS,
  verifyPassword,
} from '../../src/auth/password/password-hash.js';
import { authEvents, signinFailures, users } from '../../src/db/schema.js';
import {
  expectSessionLive,
  postSignIn,
  signInAgain,
  signUpUser,
  uniqueEmail,
  useTestApp,
  type SignedUpUser,
  type TestContext,
} from '../support/test-app.js';

// Every endpoint that hashes a password is work a client can ask for: PUT /api/auth/password (two
// hashes a call) had no limit at all, so one account changing its password in a loop took everyone's
// sign-in from ~20 ms to 1-4 s. Each way of asking for more hashes than is fair, refused.

const RATE_LIMITED = { error: 'Too many attempts, please try again later', code: 'rate_limited' };
const UNAVAILABLE = { error: 'Service temporarily unavailable, please try again', code: 'unavailable' };
const UNCHANGED = 'The new password must differ from the current one';
const OTHER_PASSWORD = 'a brand new passphrase';
const CONFIRMS_PER_ACCOUNT = 10;

type Headers = Record<string, string>;
/** Where one attempt comes from: its session and its address. */
interface From {
  headers: Headers;
  remoteAddress?: string;
}

const changePassword = (ctx: TestContext, from: From, current: string, next: string) =>
  ctx.app.inject({
    method: 'PUT',
    url: '/api/auth/password',
    ...from,
    payload: { current_password: current, new_password: next },
  });
const deleteAccount = (ctx: TestContext, from: From, password: string) =>
  ctx.app.inject({ method: 'DELETE', url: '/api/auth/account', ...from, payload: { password } });

async function storedHash(ctx: TestContext, userId: string) {
  const [row] = await ctx.database.db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  return row?.passwordHash;
}

function expectRateLimited(response: LightMyRequestResponse, atMostSeconds: number) {
  expect(response.statusCode).toBe(429);
  expect(response.json()).toEqual(RATE_LIMITED);
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(atMostSeconds);
}

describe('PUT /api/auth/password with the current password as the new one', () => {
  const ctx = useTestApp();

  it.each([
    ['the same password', (password: string) => password],
    [
      'the same password typed in full-width, which hashes the same (NFKC)',
      () => 'ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ',
    ],
  ])('answers 400 validation_failed on new_password for %s, and changes nothing', async (_case, same) => {
    const user = await signUpUser(ctx.app, { password: 'correct horse battery' });
    const phone = await signInAgain(ctx.app, user);
    const before = await storedHash(ctx, user.id);

    const response = await changePassword(ctx, { headers: user.auth }, user.password, same(user.password));

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: UNCHANGED,
      code: 'validation_failed',
      fields: { new_password: UNCHANGED },
    });
    expect(await storedHash(ctx, user.id)).toBe(before);
    await expectSessionLive(ctx.app, phone); // nobody was signed out
    const changes = await ctx.database.db.select().from(authEvents).where(eq(authEvents.userId, user.id));
    expect(changes.map((event) => event.event)).not.toContain('password_change');
  });
});

describe('PUT /api/auth/password and DELETE /api/auth/account, 10 password confirmations an hour per account', () => {
  const ctx = useTestApp();

  // Ways of spreading the attempts so that no other limit applies: the right password every time
  // (no throttle), a fresh address or a fresh session for each.
  it.each<[string, (user: SignedUpUser, attempt: number, password: string) => Promise<From>]>([
    ['from one session and one address', async (user) => ({ headers: user.auth })],
    [
      'from a different address each time',
      async (user, attempt) => ({ headers: user.auth, remoteAddress: `198.51.100.${attempt + 1}` }),
    ],
    [
      'from a new session each time',
      async (user, _attempt, password) => ({ headers: await signInAgain(ctx.app, { ...user, password }) }),
    ],
  ])('answers the 11th change and then a deletion 429 rate_limited when they come %s', async (_case, from) => {
    const user = await signUpUser(ctx.app);
    const passwords = [user.password, OTHER_PASSWORD];
    for (let attempt = 0; attempt < CONFIRMS_PER_ACCOUNT; attempt++) {
      const [current, next] = attempt % 2 ? [passwords[1]!, passwords[0]!] : [passwords[0]!, passwords[1]!];
      const response = await changePassword(ctx, await from(user, attempt, current), current, next);
      expect(response.statusCode).toBe(200);
    }
    // Ten changes later the password is the one the account started with.
    const before = await storedHash(ctx, user.id);
    const last = await from(user, CONFIRMS_PER_ACCOUNT, user.password);

    expectRateLimited(await changePassword(ctx, last, user.password, OTHER_PASSWORD), 360);
    expectRateLimited(await deleteAccount(ctx, last, user.password), 360);

    expect(await storedHash(ctx, user.id)).toBe(before);
    expect((await postSignIn(ctx.app, user.email, user.password)).statusCode).toBe(200);
  });

  it("leaves another account's allowance alone", async () => {
    const user = await signUpUser(ctx.app);
    const other = await signUpUser(ctx.app);
    for (let attempt = 0; attempt < CONFIRMS_PER_ACCOUNT; attempt++) {
      const [current, next] = attempt % 2 ? [OTHER_PASSWORD, user.password] : [user.password, OTHER_PASSWORD];
      expect((await changePassword(ctx, { headers: user.auth }, current, next)).statusCode).toBe(200);
    }
    expect((await changePassword(ctx, { headers: user.auth }, user.password, OTHER_PASSWORD)).statusCode).toBe(429);

    expect((await changePassword(ctx, { headers: other.auth }, other.password, OTHER_PASSWORD)).statusCode).toBe(200);
  });
});

describe('PUT /api/auth/password and DELETE /api/auth/account, per address (burst of 3)', () => {
  const ctx = useTestApp({ RATE_LIMIT_IP_BURST: 3, RATE_LIMIT_IP_PER_MINUTE: 1 });
  let nextAddress = 1;
  /** Each victim signs up from an address of its own, so the signup bucket never gets in the way. */
  const victim = async () => {
    const email = uniqueEmail('confirm');
    const password = 'correct horse battery';
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      remoteAddress: `192.0.2.${nextAddress++}`,
      payload: { name: 'Victim', email, password },
    });
    expect(response.statusCode).toBe(201);
    const { user, token } = response.json();
    return { id: user.id as string, email, password, auth: { authorization: `Bearer ${token as string}` } };
  };

  it('answers the 4th confirmation from one address 429, whatever the account or endpoint', async () => {
    const accounts = [await victim(), await victim(), await victim(), await victim()];
    const attacker = '203.0.113.50';
    const from = (account: { auth: Headers }) => ({ headers: account.auth, remoteAddress: attacker });

    expect((await changePassword(ctx, from(accounts[0]!), 'a wrong password', OTHER_PASSWORD)).statusCode).toBe(400);
    expect((await deleteAccount(ctx, from(accounts[1]!), 'a wrong password')).statusCode).toBe(400);
    expect((await changePassword(ctx, from(accounts[2]!), accounts[2]!.password, OTHER_PASSWORD)).statusCode).toBe(200);

    expectRateLimited(await deleteAccount(ctx, from(accounts[3]!), accounts[3]!.password), 60);
    expectRateLimited(await changePassword(ctx, from(accounts[3]!), accounts[3]!.password, OTHER_PASSWORD), 60);
    expect(await ctx.database.db.select().from(users).where(eq(users.id, accounts[3]!.id))).toHaveLength(1);

    const elsewhere = { headers: accounts[3]!.auth, remoteAddress: '203.0.113.51' };
    expect((await changePassword(ctx, elsewhere, accounts[3]!.password, OTHER_PASSWORD)).statusCode).toBe(200);
  });
});

describe(`the hash queue, bounded at ${HASH_QUEUE_LIMIT} hashes`, () => {
  const ctx = useTestApp();
  // A stored hash fifty times as costly as today's: verifying it keeps a pool thread busy for a few
  // hundred milliseconds, so the queue stays full for longer than any request here takes.
  let slowHash: string;
  beforeAll(async () => {
    slowHash = await hash('filler passphrase', { ...PASSWORD_HASH_OPTIONS, timeCost: 100 });
  });

  /** Queues as many hashes as the queue holds, as a flood of requests would; the running ones are slow. */
  function fillHashQueue() {
    let runningDone = false;
    const running = Array.from({ length: HASH_CONCURRENCY }, () => verifyPassword(slowHash, 'filler passphrase'));
    const waiting = Array.from({ length: HASH_QUEUE_LIMIT - HASH_CONCURRENCY }, () => hashPassword('filler'));
    void Promise.all(running).then(() => (runningDone = true));
    return { isRunningDone: () => runningDone, drain: () => Promise.all([...running, ...waiting]) };
  }

  // Every endpoint that hashes, and what it must not have done when it refused.
  it.each<[string, (user: SignedUpUser) => Promise<LightMyRequestResponse>, (user: SignedUpUser) => Promise<void>]>([
    [
      'POST /api/auth/signin',
      (user) => postSignIn(ctx.app, user.email, user.password),
      async (user) => {
        // The attempt was refused before the throttle counted it.
        const key = `signin:${user.email}`;
        expect(await ctx.database.db.select().from(signinFailures).where(eq(signinFailures.key, key))).toEqual([]);
      },
    ],
    [
      'POST /api/auth/signup',
      () =>
        ctx.app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: { name: 'Late', email: 'late-comer@example.com', password: 'correct horse battery' },
        }),
      async () => {
        const late = await ctx.database.db.select().from(users).where(eq(users.email, 'late-comer@example.com'));
        expect(late).toEqual([]);
      },
    ],
    [
      'PUT /api/auth/password',
      (user) => changePassword(ctx, { headers: user.auth }, user.password, OTHER_PASSWORD),
      async (user) => {
        expect((await postSignIn(ctx.app, user.email, OTHER_PASSWORD)).statusCode).toBe(400);
      },
    ],
    [
      'DELETE /api/auth/account',
      (user) => deleteAccount(ctx, { headers: user.auth }, user.password),
      async (user) => {
        expect(await ctx.database.db.select().from(users).where(eq(users.id, user.id))).toHaveLength(1);
      },
    ],
  ])(
    'answers %s 503 unavailable with Retry-After at once while the queue is full, then signs in once it drains',
    async (_case, request, leftUndone) => {
      const user = await signUpUser(ctx.app);
      const queue = fillHashQueue();

      const response = await request(user);

      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual(UNAVAILABLE);
      expect(response.headers['retry-after']).toBe('1');
      expect(queue.isRunningDone()).toBe(false); // answered without waiting behind the queued work
      const events = await ctx.database.db
        .select()
        .from(authEvents)
        .where(eq(authEvents.requestId, response.headers['x-request-id'] as string));
      expect(events).toEqual([]);

      await queue.drain();
      await leftUndone(user);
      const signIn = await postSignIn(ctx.app, user.email, user.password);
      expect(signIn.statusCode).toBe(200);
    },
  );
});
