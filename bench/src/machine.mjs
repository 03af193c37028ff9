import os from 'node:os';
import pg from 'pg';
import { adminDatabaseUrl } from './settings.mjs';

/** What the numbers were measured on. */
export async function describeMachine() {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  const { rows } = await client.query('show server_version');
  await client.end();
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    totalMemoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
    postgres: rows[0].server_version,
  };
}
