import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { migrationsFolder } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import { createPostgresDatabase, defaultDatabaseSettings, testDbKind } from '../support/test-database.js';

// The migration that brought the second edition's fields, run over rows written before it.

const FIELDS_MIGRATION = '0004_task_fields';
let database: Database;
let drop = async () => {};
const earlier = mkdtempSync(join(tmpdir(), 'migrations-before-task-fields-'));

/** Applies the committed migrations in `folder` with the driver of this suite. */
function migrateWith(folder: string) {
  return database.kind === 'pglite'
    ? migratePglite(database.db as PgliteDatabase<Record<string, unknown>>, { migrationsFolder: folder })
    : migratePostgres(database.db as NodePgDatabase<Record<string, unknown>>, { migrationsFolder: folder });
}

beforeAll(async () => {
  // A copy of the migrations that stops just before the task fields.
  cpSync(migrationsFolder, earlier, { recursive: true });
  const journalPath = join(earlier, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const stop = journal.entries.findIndex((entry) => entry.tag === FIELDS_MIGRATION);
  expect(stop).toBeGreaterThan(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, stop) }));
  if (testDbKind === 'pglite') database = await openPglite(undefined);
  else {
    const created = await createPostgresDatabase();
    database = openPostgres(created.url, { ...defaultDatabaseSettings, DATABASE_POOL_MAX: 2 });
    drop = created.drop;
  }
  await migrateWith(earlier);
});

afterAll(async () => {
  await database?.close();
  await drop();
  rmSync(earlier, { recursive: true, force: true });
});

describe(`migration ${FIELDS_MIGRATION}`, () => {
  it('gives the tasks that were there the defaults, and completed ones the time of their last change', async () => {
    await database.db.execute(
      sql`insert into users (id, email, name, password_hash) values ('u1', 'u1@example.com', 'U', 'x')`,
    );
    await database.db.execute(sql`
      insert into tasks (user_id, title, description, completed, updated_at) values
        ('u1', 'Buy MILK', 'Two Litres', false, '2025-01-01T00:00:00Z'),
        ('u1', 'Done long ago', null, true, '2025-02-03T04:05:06.789Z');
    `);
    await migrateWith(migrationsFolder);
    const result: unknown = await database.db.execute(sql`
      select title, priority, tags, due_at, recurrence, next_occurrence_created, search_title, search_description,
        to_char(completed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') as completed_at
      from tasks order by id`);
    const { rows } = result as { rows: Record<string, unknown>[] };
    expect(rows).toEqual([
      {
        title: 'Buy MILK',
        priority: 'medium',
        tags: [],
        due_at: null,
        recurrence: null,
        next_occurrence_created: false,
        search_title: 'buy milk',
        search_description: 'two litres',
        completed_at: null,
      },
      {
        title: 'Done long ago',
        priority: 'medium',
        tags: [],
        due_at: null,
        recurrence: null,
        next_occurrence_created: false,
        search_title: 'done long ago',
        search_description: null,
        completed_at: '2025-02-03T04:05:06.789',
      },
    ]);
    // ...and the counters of 0005_task_counters.sql start from the tasks that were there.
    const counters: unknown = await database.db.execute(sql`select user_id, total, completed from task_counts`);
    expect((counters as { rows: unknown[] }).rows).toEqual([{ user_id: 'u1', total: 2, completed: 1 }]);
  });

  it.each([
    ['a priority outside the three', sql`update tasks set priority = 'urgent'`],
    ['eleven tags', sql`update tasks set tags = array['a','b','c','d','e','f','g','h','i','j','k']`],
    ['an empty tag', sql`update tasks set tags = array['ok','']`],
    ['a tag with a comma', sql`update tasks set tags = array['a,b']`],
    ['a tag of 31 characters', sql`update tasks set tags = array[repeat('x', 31)]`],
    ['a null tag', sql`update tasks set tags = array[null]::text[]`],
    ['an unknown repeat', sql`update tasks set recurrence = 'yearly', due_at = now()`],
    ['a repeat without a due date', sql`update tasks set recurrence = 'daily', due_at = null`],
    ['completed without completed_at', sql`update tasks set completed = true, completed_at = null`],
    ['completed_at on a pending task', sql`update tasks set completed = false, completed_at = now()`],
  ])('leaves CHECK constraints that refuse %s', async (_case, statement) => {
    await expect(database.db.execute(statement)).rejects.toMatchObject({ cause: { code: '23514' } });
  });

  it('lets a row of exactly the limits through: 10 tags of 30 characters', async () => {
    await database.db.execute(
      sql`update tasks set tags = array(select repeat(chr(96 + n), 30) from generate_series(1, 10) as n)`,
    );
  });
});
