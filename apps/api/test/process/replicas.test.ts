import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../support/test-database.js';
import {
  PASSWORD,
  call,
  killAllServers,
  me,
  signIn,
  signUp,
  startServer,
  uniqueEmail,
  type RunningServer,
} from '../support/server-process.js';

// Two API processes on one PostgreSQL, as a deployment behind a load balancer runs them: whatever
// one replica decides about a session or an account must hold on the other.

const SECRET = 'replica-test-secret-that-is-at-least-32-characters';
const REVOCATION_LAG_LIMIT_MS = 5_000;

let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
let first: RunningServer;
let second: RunningServer;

beforeAll(async () => {
  database = await createPostgresDatabase();
  const env = { DATABASE_URL: database.url, BETTER_AUTH_SECRET: SECRET, PORT: '0', LOG_LEVEL: 'info' };
  // Started one after the other would hide a migration race; started together they must agree.
  [first, second] = await Promise.all([startServer(env), startServer(env)]);
}, 60_000);

afterAll(async () => {
  await killAllServers();
  await database?.drop();
});

describe('two API replicas on one PostgreSQL', () => {
  it('accept on one replica a token issued by the other', async () => {
    const user = await signUp(first, uniqueEmail('replica')); // expects 201
    const answer = await me(second, user.token);
    expect(answer.status).toBe(200);
    expect(answer.body.user.id).toBe(user.id);
  });

  it('reject on the other replica, within 5 seconds, a token signed out on one', async () => {
    const { token } = await signUp(first, uniqueEmail('replica'));
    // The second replica has now cached this session as live.
    expect((await me(second, token)).status).toBe(200);

    expect((await call(first, 'POST', '/api/auth/signout', { body: {}, token })).status).toBe(200);
    const signedOutAt = Date.now();
    expect((await me(first, token)).status).toBe(401); // at once on the replica that revoked it

    let status = 200;
    while (status === 200 && Date.now() - signedOutAt < REVOCATION_LAG_LIMIT_MS + 1_000) {
      status = (await me(second, token)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const lag = Date.now() - signedOutAt;
    expect(status).toBe(401);
    expect(lag).toBeLessThanOrEqual(REVOCATION_LAG_LIMIT_MS + 500);
    expect((await me(second, token)).body).toEqual({ error: 'Invalid or malformed token', code: 'invalid_token' });
  });

  it('count failed signins on both replicas toward one throttle', async () => {
    const { email } = await signUp(first, uniqueEmail('replica')); // expects 201
    for (let attempt = 0; attempt < 10; attempt++) {
      const replica = attempt % 2 === 0 ? first : second;
      const answer = await signIn(replica, email, 'not the password');
      expect(answer.status).toBe(400);
    }
    for (const replica of [first, second]) {
      const answer = await signIn(replica, email, PASSWORD);
      expect(answer.status).toBe(429);
      expect(answer.body).toEqual({ error: 'Too many attempts, please try again later', code: 'rate_limited' });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('see one set of sessions: signing out everywhere on one replica ends them on the other', async () => {
    const user = await signUp(first, uniqueEmail('replica'));
    const other = await signIn(second, user.email);
    expect((await me(first, other.body.token)).status).toBe(200);
    const all = await call(second, 'POST', '/api/auth/signout-all', { body: {}, token: user.token });
    expect(all.status).toBe(200);
    expect(all.body.revoked).toBe(2);
    await expect
      .poll(async () => (await me(first, other.body.token)).status, { timeout: REVOCATION_LAG_LIMIT_MS + 1_000 })
      .toBe(401);
  });
});
