import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database, DatabaseOptions } from './client.js';
import * as schema from './schema.js';
import { applyPostgresMigrations } from './migrate.js';

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
