import { readFileSync } from 'node:fs';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import pg from 'pg';
import type { MigrationLog } from './client.js';
import { describeCause, describePostgres } from './describe-database.js';
import { migrationsFolder } from './migrate.js';

// Any constant shared by every replica: it serialises their migrations on one server.
const MIGRATION_LOCK_ID = 7_340_211;
const CONNECT_TIMEOUT_MS = 10_000;
const LOCK_NOT_AVAILABLE = '55P03';

export interface MigrationOptions {
  lockTimeoutSeconds: number;
  log?: MigrationLog | undefined;
}

/**
 * Applies the committed migrations that have not run yet, on a connection of its own (no query deadline:
 * a migration may take long). Everything happens in one transaction that first takes a transaction-level
 * advisory lock: it is held by that transaction's server connection and released by its end, so it works
 * through a pooler in transaction mode, and a crashed replica cannot leave it behind. Replicas that start
 * together queue on the lock, and each one that gets it finds what is already applied: every migration
 * runs once. Bookkeeping is drizzle's own table, rows as its migrator writes them.
 */
export async function applyPostgresMigrations(url: string, options: MigrationOptions): Promise<void> {
  const server = describePostgres(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
  // A connection lost mid-migration fails the query in progress; the event itself must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`could not connect to PostgreSQL at ${server}: ${describeCause(error)}`);
  }
  try {
    await client.query('begin');
    await lockMigrations(client, server, options);
    const applied = await applyPending(client);
    await client.query('commit');
    if (applied.length > 0) options.log?.info({ database: server, migrations: applied }, 'applied migrations');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw new Error(`could not migrate the database at ${server}: ${describeMigrationFailure(error, options)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

async function lockMigrations(client: pg.Client, server: string, options: MigrationOptions): Promise<void> {
  // lock_timeout bounds the wait for the advisory lock too; set_config(…, true) lasts this transaction only.
  await client.query(`select set_config('lock_timeout', $1, true)`, [`${options.lockTimeoutSeconds}s`]);
  const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_xact_lock($1) as locked', [
    MIGRATION_LOCK_ID,
  ]);
  if (rows[0]!.locked) return;
  const holder = await client.query<{ pid: number }>(
    `select pid from pg_locks where locktype = 'advisory' and granted and classid = 0 and objid = $1`,
    [MIGRATION_LOCK_ID],
  );
  options.log?.warn(
    { database: server, lockHolderPid: holder.rows[0]?.pid ?? null, lockTimeoutSeconds: options.lockTimeoutSeconds },
    'another process is migrating the database: waiting for it to finish',
  );
  await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
}

/** Runs, in order, each migration newer than the newest one recorded; returns the names of those it ran. */
async function applyPending(client: pg.Client): Promise<string[]> {
  await client.query('create schema if not exists drizzle');
  await client.query(
    'create table if not exists drizzle.__drizzle_migrations ' +
      '(id serial primary key, hash text not null, created_at bigint)',
  );
  const { rows } = await client.query<{ created_at: string }>(
    'select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1',
  );
  const newest = rows[0] ? Number(rows[0].created_at) : -Infinity;
  const names = migrationNames();
  const applied: string[] = [];
  for (const [index, migration] of readMigrationFiles({ migrationsFolder }).entries()) {
    if (migration.folderMillis <= newest) continue;
    const name = names[index]!;
    for (const statement of migration.sql) {
      await client.query(statement).catch((error: unknown) => {
        throw new Error(`migration ${name} failed: ${describeCause(error)}`);
      });
    }
    await client.query('insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)', [
      migration.hash,
      migration.folderMillis,
    ]);
    applied.push(name);
  }
  return applied;
}

// The journal's tags (0003_email_spellings…), in the order readMigrationFiles returns the migrations.
function migrationNames(): string[] {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.map((entry) => entry.tag);
}

function describeMigrationFailure(error: unknown, options: MigrationOptions): string {
  if ((error as { code?: unknown }).code === LOCK_NOT_AVAILABLE) {
    return (
      `another process held the migration lock for over ${options.lockTimeoutSeconds} s ` +
      '(DATABASE_MIGRATION_LOCK_TIMEOUT); if no migration is running, end the session holding it'
    );
  }
  return describeCause(error);
}
