import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/db/client.js';
import { openPostgres } from '../../src/db/postgres.js';
import { captureStdoutLog, type LogCapture } from '../support/log-capture.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { createPostgresDatabase, defaultDatabaseSettings } from '../support/test-database.js';
import { signUpUser, testConfig, uniqueEmail, type SignedUpUser } from '../support/test-app.js';

// The app reaches PostgreSQL through a proxy the tests can cut, so "the database goes down" is a real
// network failure seen by the pool, and "it comes back" is the same address answering again.
const UNAVAILABLE = { error: 'Service temporarily unavailable, please try again', code: 'unavailable' };

let proxy: TcpProxy;
let database: Database;
let app: FastifyInstance;
let log: LogCapture;
let dropDatabase: () => Promise<void> = async () => {};
let user: SignedUpUser;

beforeAll(async () => {
  const created = await createPostgresDatabase();
  dropDatabase = created.drop;
  const target = new URL(created.url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const viaProxy = new URL(created.url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  database = openPostgres(viaProxy.toString(), { ...defaultDatabaseSettings, DATABASE_POOL_MAX: 5 });
  await database.migrate();
  log = captureStdoutLog();
  app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), database);
  await app.ready();
  user = await signUpUser(app);
});

afterAll(async () => {
  log?.restore();
  await proxy?.start();
  await app?.close();
  await database?.close();
  await proxy?.stop();
  await dropDatabase();
});

/** Runs work with the database unreachable, and always brings it back so the next test starts healthy. */
async function whileDatabaseIsDown<T>(work: () => Promise<T>): Promise<T> {
  await proxy.stop();
  try {
    return await work();
  } finally {
    await proxy.start();
  }
}

const signIn = (headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/auth/signin',
    headers,
    payload: { email: user.email, password: user.password },
  });
const listTasks = () => app.inject({ method: 'GET', url: `/api/${user.id}/tasks`, headers: user.auth });

function expectUnavailable(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(500);
  expect(response.json()).toEqual(UNAVAILABLE);
  expect(response.body).not.toMatch(/ {4}at |ECONNREFUSED|select |insert |pg_|Error:/);
}

/** Retries a request until it answers `status` or `withinMs` passes; returns the last response. */
async function eventually(request: () => Promise<LightMyRequestResponse>, status: number, withinMs = 10_000) {
  const deadline = Date.now() + withinMs;
  let response = await request();
  while (response.statusCode !== status && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    response = await request();
  }
  return response;
}

describe('while the database is unreachable', () => {
  it('answers 500 unavailable, without a stack trace or driver message, to requests that need it', async () => {
    const [signin, tasks, me, signup, create] = await whileDatabaseIsDown(() =>
      Promise.all([
        signIn(),
        listTasks(),
        app.inject({ method: 'GET', url: '/api/auth/me', headers: user.auth }),
        app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: { name: 'Late', email: uniqueEmail(), password: 'correct horse battery' },
        }),
        app.inject({ method: 'POST', url: `/api/${user.id}/tasks`, headers: user.auth, payload: { title: 'lost' } }),
      ]),
    );
    for (const response of [signin, tasks, me, signup, create]) expectUnavailable(response);
    expect(signin.headers['x-request-id']).toBeTruthy();
  });

  it('reports not ready on /health/ready and still live on /health', async () => {
    const [ready, live] = await whileDatabaseIsDown(() =>
      Promise.all([app.inject({ method: 'GET', url: '/health/ready' }), app.inject({ method: 'GET', url: '/health' })]),
    );
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ code: 'unavailable', error: UNAVAILABLE.error });
    expect(ready.body).not.toMatch(/ {4}at |ECONNREFUSED/);
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
  });

  it('logs the real cause of the 500 with the request id', async () => {
    const requestId = `db-down-${Date.now()}`;
    const response = await whileDatabaseIsDown(() => signIn({ 'x-request-id': requestId }));
    expectUnavailable(response);
    expect(response.headers['x-request-id']).toBe(requestId);

    const errors = log.lines().filter((line) => line.reqId === requestId && Number(line.level) >= 50);
    expect(errors).toHaveLength(1);
    // The cause names the refused connection to the database, which the client was never shown.
    expect((errors[0]!.err as { message: string }).message).toContain(`ECONNREFUSED 127.0.0.1:${proxy.port}`);
  });
});

describe('when the database comes back', () => {
  it('serves requests again without restarting the app', async () => {
    const down = await whileDatabaseIsDown(() => signIn());
    expectUnavailable(down);

    const signin = await eventually(() => signIn(), 200);
    expect(signin.statusCode).toBe(200);
    expect(signin.json().user.id).toBe(user.id);

    const auth = { authorization: `Bearer ${signin.json().token}` };
    const created = await app.inject({
      method: 'POST',
      url: `/api/${user.id}/tasks`,
      headers: auth,
      payload: { title: 'after the outage' },
    });
    expect(created.statusCode).toBe(201);
    const tasks = await app.inject({ method: 'GET', url: `/api/${user.id}/tasks`, headers: auth });
    expect(tasks.statusCode).toBe(200);
    expect(tasks.json().map((task: { id: number }) => task.id)).toContain(created.json().id);

    const ready = await eventually(() => app.inject({ method: 'GET', url: '/health/ready' }), 200);
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('has kept nothing from the requests that failed during the outage', async () => {
    const email = uniqueEmail('outage');
    const failed = await whileDatabaseIsDown(() =>
      app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { name: 'Outage', email, password: 'correct horse battery' },
      }),
    );
    expectUnavailable(failed);

    // The same signup now succeeds, so the failed one left no half-made account behind.
    const retried = await eventually(
      () =>
        app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: { name: 'Outage', email, password: 'correct horse battery' },
        }),
      201,
    );
    expect(retried.statusCode).toBe(201);
    expect(retried.json().user.email).toBe(email);
  });
});
