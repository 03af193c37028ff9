import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';

/** The database settings a server started with no configuration has: what the suites run with. */
export const defaultDatabaseSettings = loadConfig({});

/** Which database the API suite runs on: set per vitest project (see vitest.config.ts). */
export const testDbKind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or a new database on the
 * PostgreSQL server that is dropped again on close. An unreachable server fails the suite loudly.
 */
export async function openTestDatabase(): Promise<Database> {
  if (testDbKind === 'pglite') {
    const database = await openPglite(undefined);
    await database.migrate();
    return database;
  }
  const { url, drop } = await createPostgresDatabase();
  const database = openPostgres(url, { ...defaultDatabaseSettings, DATABASE_POOL_MAX: 10 });
  await database.migrate();
  return {
    ...database,
    close: async () => {
      await database.close();
      await drop();
    },
  };
}

/** Creates an empty database on the test server; returns its URL and a function that drops it. */
export async function createPostgresDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `todo_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`create database ${name}`));
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withAdminClient((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The PostgreSQL half of the suite needs a server at ${testDatabaseUrl} (TEST_DATABASE_URL): ${(error as Error).message}`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
