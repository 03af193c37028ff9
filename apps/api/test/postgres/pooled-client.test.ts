import { sql, type SQL } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { openPostgres } from '../../src/db/postgres.js';
import { listTasksQuerySchema } from '@todo/shared/task-schemas';
import { deriveCursorKey } from '../../src/tasks/task-cursor.js';
import { listTasks } from '../../src/tasks/task-list.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { createPostgresDatabase, defaultDatabaseSettings } from '../support/test-database.js';

const cursorKey = deriveCursorKey('a secret for cursors in this test file only');

// The rules every pooled connection follows (db/postgres-client.ts), seen from the server's side.

let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
const opened: Database[] = [];

beforeAll(async () => {
  created = await createPostgresDatabase();
  const database = open(created.url, {});
  await database.migrate();
});

afterAll(async () => {
  await Promise.all(opened.map((database) => database.close()));
  await created?.drop();
});

function open(url: string, settings: Partial<typeof defaultDatabaseSettings>): Database {
  const database = openPostgres(url, { ...defaultDatabaseSettings, DATABASE_POOL_MAX: 1, ...settings });
  opened.push(database);
  return database;
}

/** The statements prepared by name in the session of a pool with one connection. */
async function preparedStatementNames(database: Database): Promise<string[]> {
  const { rows } = await rowsOf<{ name: string }>(database, sql`select name from pg_prepared_statements`);
  return rows.map((row) => row.name);
}

// On node-postgres, execute() answers with the driver's result; Db's type is the one both drivers share.
const rowsOf = async <Row>(database: Database, query: SQL): Promise<{ rows: Row[] }> =>
  (await database.db.execute<Record<string, unknown>>(query)) as { rows: Row[] };

const someone = '00000000-0000-4000-8000-000000000000';

describe('named prepared statements', () => {
  it('are never sent by default, so a pooler in transaction mode cannot mix them up', async () => {
    const database = open(created.url, {});
    await listTasks(database.db, cursorKey, someone, listTasksQuerySchema.parse({ status: 'all', limit: '10' }));
    await listTasks(database.db, cursorKey, someone, listTasksQuerySchema.parse({ status: 'pending', limit: '10' }));
    expect(await preparedStatementNames(database)).toEqual([]);
  });

  it('are used when DATABASE_PREPARED_STATEMENTS says the connection keeps them', async () => {
    const database = open(created.url, { DATABASE_PREPARED_STATEMENTS: true });
    await listTasks(database.db, cursorKey, someone, listTasksQuerySchema.parse({ status: 'completed', limit: '10' }));
    expect(await preparedStatementNames(database)).toEqual(['list_tasks_completed']);
  });
});

describe('a query past DATABASE_QUERY_TIMEOUT', () => {
  let proxy: TcpProxy;

  beforeAll(async () => {
    const target = new URL(created.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  });

  afterAll(async () => {
    proxy?.thaw();
    await proxy?.stop();
  });

  it('ends its connection, so the ROLLBACK after it fails at once and the pool drops it', async () => {
    const viaProxy = new URL(created.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const database = open(viaProxy.toString(), { DATABASE_QUERY_TIMEOUT: 1 });
    const pool = (database.db as unknown as { $client: pg.Pool }).$client;

    const failed = database.db
      .transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        proxy.freeze();
        await tx.execute(sql`select 2`);
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    const error = await failed;
    proxy.thaw();

    expect(error).toBeInstanceOf(Error);
    // Kept, it would go to the next request still waiting for the answer to "select 2".
    expect(pool.totalCount).toBe(0);
    const { rows } = await rowsOf<{ answer: number }>(database, sql`select 3 as answer`);
    expect(rows).toEqual([{ answer: 3 }]);
  });
});
