import { randomUUID } from 'node:crypto';
import { LIMITS } from '@todo/shared/limits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { tasks, users } from '../../src/db/schema.js';
import { taskRow } from '../support/task-rows.js';
import { openTestDatabase } from '../support/test-database.js';

// The database is the last line behind the schemas: its CHECK constraints must hold the same numbers
// as the shared limits the API and the web app validate with, so the three cannot drift apart. Each
// limit is tried at its value (stored) and one past it (refused), counted in code points as people do.

let database: Database;
let ownerId: string;
beforeAll(async () => {
  database = await openTestDatabase();
  const [owner] = await database.db
    .insert(users)
    .values({ email: email(), name: 'Owner', passwordHash: 'x' })
    .returning();
  ownerId = owner!.id;
});
afterAll(async () => {
  await database?.close();
});

function email(length = 24): string {
  const domain = `@${randomUUID().slice(0, 8)}.example`;
  return 'e'.repeat(length - domain.length) + domain;
}
// An astral character is two UTF-16 units but one code point.
const text = (codePoints: number) => '😀'.repeat(codePoints);

const insertUser = (values: { email?: string; name?: string }) =>
  database.db.insert(users).values({ email: email(), name: 'N', passwordHash: 'x', ...values });
const insertTask = (values: { title?: string; description?: string }) =>
  database.db.insert(tasks).values(taskRow({ userId: ownerId, title: 'T', ...values }));

describe('the database CHECK constraints hold the shared limits', () => {
  it.each([
    ['a name', LIMITS.nameMax, (n: number) => insertUser({ name: text(n) })],
    ['an email', LIMITS.emailMax, (n: number) => insertUser({ email: email(n) })],
    ['a title', LIMITS.titleMax, (n: number) => insertTask({ title: text(n) })],
    ['a description', LIMITS.descriptionMax, (n: number) => insertTask({ description: text(n) })],
  ])('store %s of exactly the limit (%i) and refuse one more', async (_what, limit, insert) => {
    await expect(insert(limit)).resolves.toBeDefined();
    await expect(insert(limit + 1)).rejects.toThrow();
  });
});
