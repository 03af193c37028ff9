import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { Database } from '../../src/db/client.js';
import { openPostgres } from '../../src/db/postgres.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { createPostgresDatabase, defaultDatabaseSettings } from '../support/test-database.js';
import { signUpUser, testConfig, type SignedUpUser } from '../support/test-app.js';

// A partition is worse than a refused connection: nothing answers and nothing fails, so without a
// deadline every request waits as long as the network is down. The proxy holds every byte back.
const UNAVAILABLE = { error: 'Service temporarily unavailable, please try again', code: 'unavailable' };
const QUERY_TIMEOUT_SECONDS = 1;
// The deadline, plus room for a slow machine; a request without a deadline would wait for the thaw.
const ANSWER_WITHIN_MS = QUERY_TIMEOUT_SECONDS * 1000 + 1_500;
const POOL_MAX = 4;

let proxy: TcpProxy;
let database: Database;
let app: FastifyInstance;
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
  database = openPostgres(viaProxy.toString(), {
    ...defaultDatabaseSettings,
    DATABASE_POOL_MAX: POOL_MAX,
    DATABASE_QUERY_TIMEOUT: QUERY_TIMEOUT_SECONDS,
    // Migrations go straight to the server: this file is about the pool.
    DATABASE_MIGRATION_URL: created.url,
  });
  await database.migrate();
  app = await buildApp(testConfig(), database);
  await app.ready();
  user = await signUpUser(app);
});

afterAll(async () => {
  proxy?.thaw();
  await app?.close();
  await database?.close();
  await proxy?.stop();
  await dropDatabase();
});

async function duringPartition<T>(work: () => Promise<T>): Promise<T> {
  proxy.freeze();
  try {
    return await work();
  } finally {
    proxy.thaw();
  }
}

async function timed(request: () => Promise<LightMyRequestResponse>) {
  const startedAt = Date.now();
  const response = await request();
  return { response, elapsedMs: Date.now() - startedAt };
}

const listTasks = () => app.inject({ method: 'GET', url: `/api/${user.id}/tasks`, headers: user.auth });
const createTask = (title: string) =>
  app.inject({ method: 'POST', url: `/api/${user.id}/tasks`, headers: user.auth, payload: { title } });
const signIn = () =>
  app.inject({ method: 'POST', url: '/api/auth/signin', payload: { email: user.email, password: user.password } });

describe('while the network to PostgreSQL drops every packet', () => {
  it('fails a read within DATABASE_QUERY_TIMEOUT with the contract 500', async () => {
    const { response, elapsedMs } = await duringPartition(() => timed(listTasks));
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual(UNAVAILABLE);
    expect(elapsedMs).toBeLessThan(ANSWER_WITHIN_MS);
  });

  it('fails a write and a transaction (sign-in) within the deadline too, not one deadline per statement', async () => {
    const [write, session] = await duringPartition(() => Promise.all([timed(() => createTask('lost')), timed(signIn)]));
    for (const { response, elapsedMs } of [write, session]) {
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual(UNAVAILABLE);
      expect(elapsedMs).toBeLessThan(ANSWER_WITHIN_MS);
    }
  });

  it('fails more requests than the pool has connections, each within the deadline', async () => {
    const answers = await duringPartition(() =>
      Promise.all(Array.from({ length: POOL_MAX * 3 }, () => timed(listTasks))),
    );
    for (const { response, elapsedMs } of answers) {
      expect(response.statusCode).toBe(500);
      expect(elapsedMs).toBeLessThan(ANSWER_WITHIN_MS);
    }
  });

  it('reports not ready on /health/ready and stays live on /health', async () => {
    const [ready, live] = await duringPartition(() =>
      Promise.all([app.inject({ url: '/health/ready' }), app.inject({ url: '/health' })]),
    );
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ code: 'unavailable' });
    expect(live.statusCode).toBe(200);
  });
});

describe('once the network heals', () => {
  it('serves every request again: connections stuck in the partition were replaced, not reused', async () => {
    await duringPartition(() => Promise.all(Array.from({ length: POOL_MAX * 2 }, listTasks)));
    const created = await createTask('after the partition');
    expect(created.statusCode).toBe(201);
    const answers = await Promise.all(Array.from({ length: POOL_MAX * 3 }, listTasks));
    for (const answer of answers) expect(answer.statusCode).toBe(200);
    expect((await signIn()).statusCode).toBe(200);
  });

  it('kept none of the writes that failed during the partition', async () => {
    const titles = (await listTasks()).json<{ title: string }[]>().map((task) => task.title);
    expect(titles).not.toContain('lost');
  });
});
