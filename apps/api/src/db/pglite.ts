import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { Database } from './client.js';
import * as schema from './schema.js';
import { makeTreePrivate } from './data-dir.js';
import { lockDataDir } from './data-dir-lock.js';
import { describeCause } from './describe-database.js';
import { applyPgliteMigrations } from './migrate.js';

/** Opens PGlite in a folder (created owner-only if needed), or in memory when dataDir is undefined. */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    unlock = lockDataDir(dataDir);
  }
  try {
    // The extensions the migrations create (search and the tasks' GIN indexes) must be loaded first.
    const client = new PGlite({ dataDir, extensions: { pg_trgm, btree_gin } });
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
    if (!dataDir) throw error;
    throw new Error(`could not open the embedded database in ${dataDir}: ${describeCause(error)}`, { cause: error });
  }
}
