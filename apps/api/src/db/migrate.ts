import { fileURLToPath } from 'node:url';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';

// The generated SQL lives in apps/api/drizzle, two folders up from both src/db and dist/db.
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** One process holds the embedded database's folder (see data-dir-lock.ts), so nothing else can race it. */
export async function applyPgliteMigrations(db: PgliteDatabase<Record<string, unknown>>): Promise<void> {
  await migratePglite(db, { migrationsFolder });
}
