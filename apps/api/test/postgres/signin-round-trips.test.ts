import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signUpUser, useTestApp } from '../support/test-app.js';

// Runs on a real PostgreSQL server (the api-postgres project), where every statement is a round trip
// over the network. A sign-in's throttle check, user lookup, session insert and audit row take at most
// three of them; the per-address limit in front of the route is one more.
const ctx = useTestApp();

const PER_ADDRESS_LIMIT = 1;

/** The statements sent to PostgreSQL while `run` runs, by their first words. */
async function statementsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const spy = vi.spyOn(pg.Client.prototype, 'query');
  try {
    await run();
    // A spy that saw nothing would pass any bound: the sign-in must have been seen talking to the server.
    expect(spy.mock.calls.length).toBeGreaterThan(PER_ADDRESS_LIMIT);
    return spy.mock.calls.map(([query]) => {
      const text = typeof query === 'string' ? query : (query as { text: string }).text;
      return text.trim().split(/\s+/).slice(0, 3).join(' ');
    });
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('POST /api/auth/signin on PostgreSQL', () => {
  it('takes at most three round trips besides the per-address limit when it succeeds', async () => {
    const user = await signUpUser(ctx.app);
    const statements = await statementsDuring(async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/signin',
        payload: { email: user.email, password: user.password },
      });
      expect(response.statusCode).toBe(200);
    });
    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(3 + PER_ADDRESS_LIMIT);
  });

  it('takes at most three round trips besides the per-address limit when the password is wrong', async () => {
    const user = await signUpUser(ctx.app);
    const statements = await statementsDuring(async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/signin',
        payload: { email: user.email, password: 'wrong password' },
      });
      expect(response.statusCode).toBe(400);
    });
    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(3 + PER_ADDRESS_LIMIT);
  });
});
