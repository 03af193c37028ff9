import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users, type User } from '../db/schema.js';
import type { UserJson } from '@todo/shared/auth-schemas';
import { pickAccount, storedSpellings } from './email-spellings.js';

export async function findUserById(db: Db, userId: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  return user;
}

/**
 * By the normal form of an address the schemas produce, or else an account an older server stored
 * under another spelling of it (NFD, a Unicode domain, a trailing dot), so that account can still sign
 * in and nobody can sign up again under its address. On sign-in's hot path: one index lookup.
 */
export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const spellings = storedSpellings(email);
  const rows = await db.select().from(users).where(inArray(users.email, spellings)).limit(spellings.length);
  return pickAccount(rows, email);
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db
    .update(users)
    .set({ passwordHash, updatedAt: sql`now()` })
    .where(eq(users.id, userId));
}

export function toUserJson(user: User): UserJson {
  return { id: user.id, email: user.email, name: user.name, created_at: user.createdAt.toISOString() };
}
