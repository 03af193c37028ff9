import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Config } from '../config.js';
import type * as schema from './schema.js';
import { pgliteDir } from './data-dir.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Throws when the database cannot answer. */
  ping: () => Promise<void>;
  /** Applies the committed migrations that have not run yet; `log` hears of waits for another replica. */
  migrate: (log?: MigrationLog) => Promise<void>;
  close: () => Promise<void>;
}

/** Where migrations report; the server's logger fits. */
export interface MigrationLog {
  warn: (fields: Record<string, unknown>, message: string) => void;
  info: (fields: Record<string, unknown>, message: string) => void;
}

export type DatabaseOptions = Pick<
  Config,
  | 'DATA_DIR'
  | 'DATABASE_POOL_MAX'
  | 'DATABASE_QUERY_TIMEOUT'
  | 'DATABASE_PREPARED_STATEMENTS'
  | 'DATABASE_MIGRATION_LOCK_TIMEOUT'
> & {
  DATABASE_URL?: string | undefined;
  DATABASE_MIGRATION_URL?: string | undefined;
  /** Called with pool errors that happen between queries (a server restart, a dropped connection). */
  onPoolError?: (error: Error) => void;
};

/** PostgreSQL when DATABASE_URL is set, else the embedded database in DATA_DIR. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.DATABASE_URL) return openPostgres(options.DATABASE_URL, options);
  return openPglite(pgliteDir(options.DATA_DIR));
}
