import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema.js';
import { captureStdoutLog, type LogCapture } from '../support/log-capture.js';
import { signUpUser, useTestApp } from '../support/test-app.js';

// A real constraint violation from the database in use: its `detail` quotes the failing row, password
// hash and all, and the failed query carries the hash as a parameter. Neither may reach the log.

let log: LogCapture;
// Registered before the app is built, so the app's logger writes into the capture.
beforeAll(() => {
  log = captureStdoutLog();
});
afterAll(() => log?.restore());

const ctx = useTestApp({ LOG_LEVEL: 'info' });

describe('the server log when a query fails on a constraint', () => {
  it('names the request, the error code and the constraint, but never the row values or the query parameters', async () => {
    const user = await signUpUser(ctx.app, { name: 'Frozen Account' });
    // From now on no row of users may change (the rows already there are not checked: NOT VALID).
    await ctx.database.db.execute(
      sql.raw('alter table users add constraint users_frozen check (updated_at = created_at) not valid'),
    );
    const linesBefore = log.lines().length;

    const response = await ctx.app.inject({
      method: 'PUT',
      url: '/api/auth/password',
      headers: user.auth,
      payload: { current_password: user.password, new_password: 'a brand new passphrase' },
    });

    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: 'Service temporarily unavailable, please try again',
      code: 'unavailable',
    });
    const lines = log.lines().slice(linesBefore);
    const failure = lines.find((line) => line.level === 50);
    expect(failure).toMatchObject({ reqId: response.headers['x-request-id'] });
    expect(failure!.err).toMatchObject({ code: '23514', constraint: 'users_frozen' });
    const written = JSON.stringify(lines);
    expect(written).not.toContain('$argon2id$'); // neither the stored hash nor the new one
    expect(written).not.toContain(user.email);
    expect(written).not.toContain('Frozen Account');
    expect(written).not.toContain('Failing row');
    expect(written).not.toContain('a brand new passphrase');
    // The password really did not change.
    const [row] = await ctx.database.db
      .select({ updatedAt: users.updatedAt, createdAt: users.createdAt })
      .from(users)
      .where(eq(users.id, user.id));
    expect(row!.updatedAt).toEqual(row!.createdAt);
  });
});
