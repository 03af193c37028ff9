import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Pool } from 'pg';

// The generated SQL lives in apps/api/drizzle, two folders up from both src/db and dist/db.
const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

// Any constant shared by every replica: it serialises their migrations on one server.
const MIGRATION_LOCK_ID = 7_340_211;

export async function applyPgliteMigrations(db: PgliteDatabase<Record<string, unknown>>): Promise<void> {
  await migratePglite(db, { migrationsFolder });
}

/** Several replicas may start at once; one applies the migrations while the others wait and then find them done. */
export async function applyPostgresMigrations(pool: Pool): Promise<void> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await migratePostgres(drizzle({ client }), { migrationsFolder });
  } catch (error) {
    failure = error as Error;
    throw error;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
    // A connection that failed mid-migration is discarded rather than handed to the next query.
    client.release(failure);
  }
}
