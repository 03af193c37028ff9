import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema.js';
import { makeTreePrivate, pgliteDir } from './data-dir.js';
import { lockDataDir } from './data-dir-lock.js';
import { applyPgliteMigrations, applyPostgresMigrations } from './migrate.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Throws when the database cannot answer. */
  ping: () => Promise<void>;
  /** Applies the committed migrations that have not run yet. */
  migrate: () => Promise<void>;
  close: () => Promise<void>;
}

export interface DatabaseOptions {
  DATABASE_URL?: string | undefined;
  DATABASE_POOL_MAX: number;
  DATA_DIR: string;
  /** Called with pool errors that happen between queries (a server restart, a dropped connection). */
  onPoolError?: (error: Error) => void;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.DATABASE_URL) return openPostgres(options.DATABASE_URL, options);
  return openPglite(pgliteDir(options.DATA_DIR));
}

export function openPostgres(
  url: string,
  options: Pick<DatabaseOptions, 'DATABASE_POOL_MAX' | 'onPoolError'>,
): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.DATABASE_POOL_MAX,
    // Fail a request quickly when the server is unreachable rather than queueing it forever.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A stuck query gives its connection back instead of holding a pool slot for good.
    statement_timeout: 30_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (error) => options.onPoolError?.(error));
  const db = drizzlePostgres({ client: pool, schema });
  return {
    kind: 'postgres',
    db,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    migrate: () => applyPostgresMigrations(pool),
    close: () => pool.end(),
  };
}

/** Opens PGlite in a folder (created owner-only if needed), or in memory when dataDir is undefined. */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    unlock = lockDataDir(dataDir);
  }
  try {
    const client = new PGlite(dataDir);
    await client.waitReady;
    if (dataDir) makeTreePrivate(dataDir);
    const db = drizzlePglite({ client, schema });
    return {
      kind: 'pglite',
      db,
      ping: async () => {
        await client.query('select 1');
      },
      migrate: () => applyPgliteMigrations(db),
      close: async () => {
        await client.close();
        // What PGlite wrote while running (statistics at shutdown, rewritten caches) gets the same treatment.
        if (dataDir) makeTreePrivate(dataDir);
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
