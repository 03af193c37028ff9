import { and, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { authEvents, signinFailures } from '../../src/db/schema.js';
import { postSignIn, uniqueEmail, useTestApp, type TestContext } from '../support/test-app.js';

// Sign-in's email used to be any text: a 60 KB "email" was stored whole in the audit table and as a
// throttle key (~115 KiB of memory and disk per request), and on PostgreSQL one over ~2.7 KB was a 500
// (index row too large). It now meets the sign-up rules, so such an address is a 400 before any state.

const INVALID_EMAIL = {
  error: 'Please enter a valid email',
  code: 'validation_failed',
  fields: { email: 'Please enter a valid email' },
};
const UNAVAILABLE = { error: 'Service temporarily unavailable, please try again', code: 'unavailable' };

/** Every row sign-in can leave behind: its audit events and its throttle records. */
async function stateRows(ctx: TestContext) {
  const [events] = await ctx.database.db.select({ n: count() }).from(authEvents);
  const [failures] = await ctx.database.db.select({ n: count() }).from(signinFailures);
  return { events: events!.n, failures: failures!.n };
}

describe('POST /api/auth/signin with an email no account can have', () => {
  const ctx = useTestApp();

  it.each([
    ['255 characters, one past the limit', `${'a'.repeat(243)}@example.com`],
    ['2.8 KB, past what a PostgreSQL index row holds', `${'a'.repeat(2_800)}@example.com`],
    ['60 KB', `${'a'.repeat(60_000)}@example.com`],
    ['60 KB of spaces around a short address', `${' '.repeat(30_000)}a${' '.repeat(30_000)}`],
    ['no @', 'ada.example.com'],
    ['no dot in the domain', 'ada@example'],
    ['a space inside', 'ada lovelace@example.com'],
    ['two @', 'ada@@example.com'],
  ])('answers 400 "Please enter a valid email" for %s and writes no audit or throttle row', async (_case, email) => {
    const before = await stateRows(ctx);

    const response = await postSignIn(ctx.app, email, 'correct horse battery');

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(INVALID_EMAIL);
    expect(await stateRows(ctx)).toEqual(before);
  });

  it('still answers a well-formed address of exactly 254 characters as wrong credentials, counted once', async () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(185)}.com`;
    expect(email).toHaveLength(254);
    const before = await stateRows(ctx);

    const response = await postSignIn(ctx.app, email, 'correct horse battery');

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Invalid email or password', code: 'invalid_credentials' });
    expect(await stateRows(ctx)).toEqual({ events: before.events + 1, failures: before.failures + 1 });
  });
});

describe('POST /api/auth/signin when the throttle cannot be consulted', () => {
  const ctx = useTestApp();

  it('answers 500 unavailable and records no signin_throttled event: only a real throttle is one', async () => {
    const email = uniqueEmail('store-down');
    // From here on the throttle's write for this one account fails, as a database error would.
    await ctx.database.db.execute(
      sql.raw(`create function refuse_throttle_write() returns trigger language plpgsql as $$
        begin
          if new.key = 'signin:${email}' then raise exception 'throttle store unavailable'; end if;
          return new;
        end $$`),
    );
    await ctx.database.db.execute(
      sql.raw(`create trigger refuse_throttle_write before insert or update on signin_failures
        for each row execute function refuse_throttle_write()`),
    );

    const response = await postSignIn(ctx.app, email, 'correct horse battery');

    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual(UNAVAILABLE);
    const throttled = await ctx.database.db
      .select()
      .from(authEvents)
      .where(and(eq(authEvents.email, email), eq(authEvents.event, 'signin_throttled')));
    expect(throttled).toEqual([]);
  });
});
