import pg from 'pg';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/db/migrate.js';
import { startPgBouncer, type PgBouncer } from '../support/pgbouncer.js';
import { createPostgresDatabase } from '../support/test-database.js';
import {
  call,
  killAllServers,
  me,
  signIn,
  signUp,
  startServer,
  uniqueEmail,
  type RunningServer,
} from '../support/server-process.js';

// Neon's pooled connection string is PgBouncer in transaction mode: every transaction may run on another
// server connection. Two replicas whose only URL is the pooler's must start together on an empty
// database and serve the whole contract of a short journey.

const SECRET = 'pooled-replica-test-secret-at-least-32-characters';
const LIST_REQUESTS = 60;

let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
let pooler: PgBouncer;
let replicas: RunningServer[];

beforeAll(async () => {
  database = await createPostgresDatabase();
  pooler = await startPgBouncer({ poolSize: 3 });
  const env = { DATABASE_URL: pooler.through(database.url), BETTER_AUTH_SECRET: SECRET, LOG_LEVEL: 'info' };
  replicas = await Promise.all([startServer(env), startServer(env)]);
}, 60_000);

afterAll(async () => {
  await killAllServers();
  await pooler?.stop();
  await database?.drop();
});

describe('two replicas behind PgBouncer in transaction mode', () => {
  it('applied each migration exactly once, though both started at the same moment on an empty database', async () => {
    const committed = readdirSync(migrationsFolder).filter((name) => name.endsWith('.sql')).length;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'select hash, count(*)::int as times from drizzle.__drizzle_migrations group by hash',
      );
      expect(rows).toHaveLength(committed);
      expect(rows.every((row) => row.times === 1)).toBe(true);
    } finally {
      await client.end();
    }
    const applied = replicas.map(
      (replica) => replica.logLines().filter((line) => line.msg === 'applied migrations').length,
    );
    expect(applied.sort()).toEqual([0, 1]);
  });

  it('serve sign-up, sign-in, every task call, many concurrent lists and sign-out', async () => {
    const [first, second] = replicas as [RunningServer, RunningServer];
    const user = await signUp(first, uniqueEmail('pooled')); // expects 201
    const signedIn = await signIn(second, user.email);
    expect(signedIn.status).toBe(200);
    const token = signedIn.body.token as string;
    expect((await me(first, token)).body.user.id).toBe(user.id);

    const tasks = `/api/${user.id}/tasks`;
    const created = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        call(replicas[index % 2]!, 'POST', tasks, { body: { title: `Task ${index}` }, token }),
      ),
    );
    expect(created.map((answer) => answer.status)).toEqual(Array(6).fill(201));
    const [kept, edited, removed] = created.map((answer) => answer.body.id as number) as [number, number, number];

    const put = await call(second, 'PUT', `${tasks}/${edited}`, { body: { title: 'Edited', completed: true }, token });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: edited, title: 'Edited', completed: true });
    const toggled = await call(first, 'PATCH', `${tasks}/${kept}/complete`, { token });
    expect(toggled.status).toBe(200);
    expect(toggled.body.completed).toBe(true);
    const deleted = await call(second, 'DELETE', `${tasks}/${removed}`, { token });
    expect(deleted.body).toEqual({ message: 'Task deleted successfully' });
    expect((await call(first, 'GET', `${tasks}/${removed}`, { token })).status).toBe(404);
    expect((await call(first, 'GET', `${tasks}/${edited}`, { token })).body.title).toBe('Edited');

    // The list is the query that used named prepared statements: many at once, on both replicas, through a
    // pool of three server connections, so statements from one client land on another's connection.
    const lists = await Promise.all(
      Array.from({ length: LIST_REQUESTS }, (_, index) =>
        call(replicas[index % 2]!, 'GET', `${tasks}?status=${index % 3 === 0 ? 'completed' : 'all'}`, { token }),
      ),
    );
    expect(lists.filter((answer) => answer.status !== 200).map((answer) => answer.body)).toEqual([]);
    for (const [index, answer] of lists.entries()) {
      expect(answer.body).toHaveLength(index % 3 === 0 ? 2 : 5);
    }

    expect((await call(first, 'POST', '/api/auth/signout', { body: {}, token })).status).toBe(200);
    expect((await me(first, token)).status).toBe(401);
    await expect.poll(async () => (await me(second, token)).status, { timeout: 6_000 }).toBe(401);
  });
});
