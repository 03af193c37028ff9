import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database, DatabaseOptions } from './client.js';
import * as schema from './schema.js';
import { applyPostgresMigrations } from './postgres-migrate.js';
import { pooledClientClass } from './postgres-client.js';

export type PostgresOptions = Pick<
  DatabaseOptions,
  | 'DATABASE_POOL_MAX'
  | 'DATABASE_QUERY_TIMEOUT'
  | 'DATABASE_PREPARED_STATEMENTS'
  | 'DATABASE_MIGRATION_URL'
  | 'DATABASE_MIGRATION_LOCK_TIMEOUT'
  | 'onPoolError'
>;

// Long enough for a keep-alive probe to find a dead idle connection before a request does.
const KEEPALIVE_DELAY_MS = 10_000;

/**
 * A pool that works the same on a direct connection and through a pooler in transaction mode: no
 * startup parameters a pooler refuses (PgBouncer rejects statement_timeout), no named statements
 * unless allowed, and a deadline on every query and on getting a connection, so a partitioned or
 * stuck server fails requests in DATABASE_QUERY_TIMEOUT instead of holding them.
 */
export function openPostgres(url: string, options: PostgresOptions): Database {
  const timeoutMs = options.DATABASE_QUERY_TIMEOUT * 1000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.DATABASE_POOL_MAX,
    Client: pooledClientClass({ namedStatements: options.DATABASE_PREPARED_STATEMENTS }),
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    idleTimeoutMillis: 30_000,
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
    migrate: (log) =>
      applyPostgresMigrations(options.DATABASE_MIGRATION_URL ?? url, {
        lockTimeoutSeconds: options.DATABASE_MIGRATION_LOCK_TIMEOUT,
        log,
      }),
    close: () => pool.end(),
  };
}
