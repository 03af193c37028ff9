import { readFileSync } from 'node:fs';
import type net from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { MigrationLog } from '../../src/db/client.js';
import { describePostgres } from '../../src/db/describe-database.js';
import { openPostgres } from '../../src/db/postgres.js';
import { applyPostgresMigrations } from '../../src/db/postgres-migrate.js';
import { createPostgresDatabase, defaultDatabaseSettings, testDatabaseUrl } from '../support/test-database.js';
import { freeLoopbackPort } from '../support/ports.js';

// Replicas migrate on start; these are the ways that can go wrong on one server or through a pooler.

const MIGRATION_LOCK_ID = 7_340_211;
const journal = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../drizzle/meta/_journal.json', import.meta.url)), 'utf8'),
) as { entries: { tag: string; when: number }[] };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function emptyDatabase(): Promise<string> {
  const created = await createPostgresDatabase();
  cleanups.push(created.drop);
  return created.url;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

async function recordedMigrations(url: string): Promise<number[]> {
  const client = await connect(url);
  const { rows } = await client.query<{ created_at: string }>(
    'select created_at from drizzle.__drizzle_migrations order by id',
  );
  return rows.map((row) => Number(row.created_at));
}

function recordingLog() {
  const lines: { level: 'warn' | 'info'; fields: Record<string, unknown>; message: string }[] = [];
  const log: MigrationLog = {
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
    info: (fields, message) => lines.push({ level: 'info', fields, message }),
  };
  return { log, lines };
}

describe('migrations on PostgreSQL', () => {
  it('run once when eight replicas start together on an empty database', async () => {
    const url = await emptyDatabase();
    await Promise.all(Array.from({ length: 8 }, () => applyPostgresMigrations(url, { lockTimeoutSeconds: 60 })));
    expect(await recordedMigrations(url)).toEqual(journal.entries.map((entry) => entry.when));
  });

  it('apply nothing the second time, and say which ones they applied the first', async () => {
    const url = await emptyDatabase();
    const first = recordingLog();
    await applyPostgresMigrations(url, { lockTimeoutSeconds: 60, log: first.log });
    expect(first.lines).toEqual([
      expect.objectContaining({
        level: 'info',
        fields: expect.objectContaining({ migrations: journal.entries.map((entry) => entry.tag) }),
      }),
    ]);
    const second = recordingLog();
    await applyPostgresMigrations(url, { lockTimeoutSeconds: 60, log: second.log });
    expect(second.lines).toEqual([]);
    expect(await recordedMigrations(url)).toHaveLength(journal.entries.length);
  });

  it('log that they wait while another process holds the lock, then go on once it is let go', async () => {
    const url = await emptyDatabase();
    const holder = await connect(url);
    await holder.query('begin');
    await holder.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    const { rows } = await holder.query<{ pid: number }>('select pg_backend_pid() as pid');

    const { log, lines } = recordingLog();
    const migrating = applyPostgresMigrations(url, { lockTimeoutSeconds: 60, log });
    await expect.poll(() => lines.filter((line) => line.level === 'warn')).toHaveLength(1);
    expect(lines[0]).toEqual({
      level: 'warn',
      fields: expect.objectContaining({ lockHolderPid: rows[0]!.pid, lockTimeoutSeconds: 60 }),
      message: 'another process is migrating the database: waiting for it to finish',
    });
    await holder.query('commit');
    await migrating;
    expect(await recordedMigrations(url)).toHaveLength(journal.entries.length);
  });

  it('give up after the lock timeout with a message that says what to do, and change nothing', async () => {
    const url = await emptyDatabase();
    const holder = await connect(url);
    await holder.query('begin');
    await holder.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);

    await expect(applyPostgresMigrations(url, { lockTimeoutSeconds: 1 })).rejects.toThrow(
      `could not migrate the database at ${describePostgres(url)}: another process held the migration lock ` +
        'for over 1 s (DATABASE_MIGRATION_LOCK_TIMEOUT)',
    );
    await holder.query('commit');
    const { rows } = await holder.query(`select 1 from pg_namespace where nspname = 'drizzle'`);
    expect(rows).toEqual([]);
  });

  it('leave no lock behind when the process migrating dies: the next one is not blocked', async () => {
    const url = await emptyDatabase();
    const dying = await connect(url);
    dying.on('error', () => {}); // the drop below is on purpose
    await dying.query('begin');
    await dying.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    // Its connection drops, as when a replica is killed mid-migration: the server ends the transaction.
    (dying as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
    await applyPostgresMigrations(url, { lockTimeoutSeconds: 5 });
    expect(await recordedMigrations(url)).toHaveLength(journal.entries.length);
  });

  it('go to DATABASE_MIGRATION_URL when it is given, not to the pooled DATABASE_URL', async () => {
    const url = await emptyDatabase();
    // Nothing listens where DATABASE_URL points: only the migration URL can work.
    const database = openPostgres('postgres://postgres@127.0.0.1:1/nowhere', {
      ...defaultDatabaseSettings,
      DATABASE_MIGRATION_URL: url,
    });
    cleanups.push(() => database.close());
    await database.migrate();
    expect(await recordedMigrations(url)).toHaveLength(journal.entries.length);
  });
});

describe('a migration start-up failure', () => {
  it('names the server and the cause, never the password', async () => {
    const closed = await freeLoopbackPort();
    const attempt = applyPostgresMigrations(`postgres://todo:s3cret-pw@127.0.0.1:${closed}/todo`, {
      lockTimeoutSeconds: 1,
    });
    await expect(attempt).rejects.toThrow(
      `could not connect to PostgreSQL at 127.0.0.1:${closed}/todo: connect ECONNREFUSED 127.0.0.1:${closed}`,
    );
    await expect(attempt).rejects.not.toThrow(/s3cret-pw/);
  });

  it('names a database that does not exist', async () => {
    const missing = new URL(testDatabaseUrl);
    missing.pathname = '/todo_no_such_database';
    await expect(applyPostgresMigrations(missing.toString(), { lockTimeoutSeconds: 1 })).rejects.toThrow(
      `could not connect to PostgreSQL at ${describePostgres(missing.toString())}: ` +
        'database "todo_no_such_database" does not exist',
    );
  });
});
