import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { adminDatabaseUrl } from './settings.mjs';

/** A fresh PostgreSQL database for this run (todo_bench_<random>); drop() removes it whatever is connected. */
export async function createPostgresDatabase(prefix) {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`create database ${name}`));
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    drop: () => withAdmin((client) => client.query(`drop database if exists ${name} with (force)`)),
  };
}

/** A temporary DATA_DIR for PGlite, removed by drop(). */
export function createPgliteDataDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'todo-bench-pglite-'));
  return { dir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function withAdmin(work) {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
