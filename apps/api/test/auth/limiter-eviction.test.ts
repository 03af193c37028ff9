import { count, eq, sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rateLimitBuckets, signinFailures } from '../../src/db/schema.js';
import { signUpUser, uniqueEmail, useTestApp, type SignedUpUser } from '../support/test-app.js';

// The limits once lived in a bounded in-memory LRU store, so 100,000 junk emails pushed a victim's
// failure record out and reset its throttle. They now live in one SQL store on both databases, which
// evicts nothing: each limit still holds with 100,000 junk records beside it.

const JUNK = 100_000;
const FREE_FAILURES = 10;
const BURST = 3;

let nextAddress = 1;
const freshAddress = () => {
  const n = nextAddress++;
  return `10.88.${Math.floor(n / 256) % 256}.${n % 256}`;
};

interface Attack {
  /** Reaches the limit; returns the address the victim's next attempt comes from. */
  reach(victim: SignedUpUser): Promise<string>;
  /** One statement writing the junk records that would once have evicted the limit's own. */
  junk: SQL;
  /** The store's record of the limit, as it must still read. */
  expectRecordKept(victim: SignedUpUser, address: string): Promise<void>;
}

describe(`the rate-limit store with ${JUNK.toLocaleString('en')} junk records beside a limit`, () => {
  const ctx = useTestApp({ RATE_LIMIT_IP_BURST: BURST, RATE_LIMIT_IP_PER_MINUTE: 1 });

  const signIn = (email: string, password: string, remoteAddress: string) =>
    ctx.app.inject({ method: 'POST', url: '/api/auth/signin', remoteAddress, payload: { email, password } });

  it.each<[string, Attack]>([
    [
      "a locked account's failures, beside the failures of 100,000 other emails",
      {
        // 10 wrong passwords, each from an address of its own, so only the account's throttle counts.
        reach: async (victim) => {
          for (let attempt = 0; attempt < FREE_FAILURES; attempt++) {
            expect((await signIn(victim.email, 'not the password', freshAddress())).statusCode).toBe(400);
          }
          return freshAddress();
        },
        junk: sql`insert into signin_failures (key, consecutive, last_failure_at, window_start, window_count)
          select 'signin:junk-' || n || '@example.com', 1, now(), now(), 1 from generate_series(1, ${JUNK}) as n`,
        expectRecordKept: async (victim) => {
          const key = `signin:${victim.email}`;
          const [record] = await ctx.database.db.select().from(signinFailures).where(eq(signinFailures.key, key));
          expect(record).toMatchObject({ consecutive: FREE_FAILURES, windowCount: FREE_FAILURES });
        },
      },
    ],
    [
      "an address's empty sign-in bucket, beside the buckets of 100,000 other addresses",
      {
        reach: async () => {
          const address = freshAddress();
          for (let attempt = 0; attempt < BURST; attempt++) {
            expect((await signIn(uniqueEmail('stuffed'), 'not the password', address)).statusCode).toBe(400);
          }
          return address;
        },
        junk: sql`insert into rate_limit_buckets (key, tokens, refilled_at, allowed)
          select 'signin:ip:172.16.' || (n / 256) || '.' || (n % 256), ${BURST}, now(), true
          from generate_series(1, ${JUNK}) as n`,
        expectRecordKept: async (_victim, address) => {
          const key = `signin:ip:${address}`;
          const [record] = await ctx.database.db.select().from(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
          expect(record?.tokens).toBeLessThan(1);
        },
      },
    ],
  ])('still answers 429 for %s', async (_case, attack) => {
    const victim = await signUpUser(ctx.app);
    const from = await attack.reach(victim);
    expect((await signIn(victim.email, victim.password, from)).statusCode).toBe(429);

    await ctx.database.db.execute(attack.junk);
    // ... and a little junk through the API too, so the store is written to with the junk in place.
    for (let attempt = 0; attempt < 3; attempt++) await signIn(uniqueEmail('junk'), 'not it', freshAddress());

    const after = await signIn(victim.email, victim.password, from);
    expect(after.statusCode).toBe(429);
    expect(after.json()).toEqual({ error: 'Too many attempts, please try again later', code: 'rate_limited' });
    expect(Number(after.headers['retry-after'])).toBeGreaterThan(0);
    await attack.expectRecordKept(victim, from);
    const [failures] = await ctx.database.db.select({ n: count() }).from(signinFailures);
    const [buckets] = await ctx.database.db.select({ n: count() }).from(rateLimitBuckets);
    expect(failures!.n + buckets!.n).toBeGreaterThan(JUNK);
  });
});
