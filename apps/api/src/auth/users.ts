import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users, type User } from '../db/schema.js';
import type { UserJson } from '@todo/shared/auth-schemas';

export async function findUserById(db: Db, userId: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  return user;
}

/** By the normalised (lower-cased) email the schemas produce. */
export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return user;
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
