import { describe, expect, it } from 'vitest';
import { tasks } from '../../src/db/schema.js';
import { taskRow } from '../support/task-rows.js';
import { TASK_KEYS } from '../support/task-api.js';
import { signUpUser, useTestApp, type SignedUpUser } from '../support/test-app.js';

const ctx = useTestApp();

interface Seed {
  title: string;
  createdAt: Date;
  completed?: boolean;
}

/** Inserts rows straight into the table, with chosen creation times, in the order given (so ids ascend). */
async function seedTasks(user: SignedUpUser, seeds: Seed[]): Promise<number[]> {
  const rows = await ctx.database.db
    .insert(tasks)
    .values(
      seeds.map((seed) =>
        taskRow({
          userId: user.id,
          title: seed.title,
          completed: seed.completed ?? false,
          completedAt: seed.completed ? seed.createdAt : null,
          createdAt: seed.createdAt,
          updatedAt: seed.createdAt,
        }),
      ),
    )
    .returning({ id: tasks.id });
  return rows.map((row) => row.id);
}

/** `count` tasks, one minute apart, the last one newest; returns their ids newest first. */
async function seedNumbered(user: SignedUpUser, count: number): Promise<number[]> {
  const start = Date.UTC(2024, 0, 1);
  const ids = await seedTasks(
    user,
    Array.from({ length: count }, (_, i) => ({
      title: `Task ${i}`,
      createdAt: new Date(start + i * 60_000),
      completed: i % 3 === 0,
    })),
  );
  return ids.reverse();
}

const list = (user: SignedUpUser, query = '') =>
  ctx.app.inject({ method: 'GET', url: `/api/${user.id}/tasks${query}`, headers: user.auth });

async function listIds(user: SignedUpUser, query = ''): Promise<number[]> {
  const response = await list(user, query);
  expect(response.statusCode).toBe(200);
  return response.json().map((task: { id: number }) => task.id);
}

describe('GET /api/{user_id}/tasks', () => {
  it('answers 200 with an empty array for a user without tasks', async () => {
    const user = await signUpUser(ctx.app);
    const response = await list(user);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([]);
  });

  it('answers full task objects, each exactly as GET of that task answers it', async () => {
    const user = await signUpUser(ctx.app);
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/${user.id}/tasks`,
      headers: user.auth,
      payload: { title: 'Listed', description: 'With details' },
    });
    expect(created.statusCode).toBe(201);
    const response = await list(user);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toHaveLength(1);
    expect(Object.keys(body[0]).sort()).toEqual(TASK_KEYS);
    expect(body[0]).toEqual(created.json());
  });

  it('lists newest first: by created_at descending, then by id descending', async () => {
    const user = await signUpUser(ctx.app);
    const day = (n: number) => new Date(Date.UTC(2024, 4, n, 12));
    // Ids ascend in this order; creation times deliberately do not.
    const [second, newestLow, oldest, newestMid, newestHigh] = await seedTasks(user, [
      { title: 'second oldest', createdAt: day(2) },
      { title: 'newest, lowest id', createdAt: day(3) },
      { title: 'oldest', createdAt: day(1) },
      { title: 'newest, middle id', createdAt: day(3) },
      { title: 'newest, highest id', createdAt: day(3) },
    ]);
    expect(await listIds(user)).toEqual([newestHigh, newestMid, newestLow, second, oldest]);

    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/${user.id}/tasks`,
      headers: user.auth,
      payload: { title: 'Just now' },
    });
    expect(created.statusCode).toBe(201);
    expect(await listIds(user)).toEqual([created.json().id, newestHigh, newestMid, newestLow, second, oldest]);
  });

  it('filters by status=pending and status=completed, and status=all or none lists everything', async () => {
    const user = await signUpUser(ctx.app);
    const day = (n: number) => new Date(Date.UTC(2024, 5, n));
    const [doneOld, openOld, doneNew, openNew] = await seedTasks(user, [
      { title: 'done, old', createdAt: day(1), completed: true },
      { title: 'open, old', createdAt: day(2) },
      { title: 'done, new', createdAt: day(3), completed: true },
      { title: 'open, new', createdAt: day(4) },
    ]);

    const pending = await list(user, '?status=pending');
    expect(pending.statusCode).toBe(200);
    expect(pending.json().map((t: { id: number }) => t.id)).toEqual([openNew, openOld]);
    expect(pending.json().every((t: { completed: boolean }) => t.completed === false)).toBe(true);

    const completed = await list(user, '?status=completed');
    expect(completed.statusCode).toBe(200);
    expect(completed.json().map((t: { id: number }) => t.id)).toEqual([doneNew, doneOld]);
    expect(completed.json().every((t: { completed: boolean }) => t.completed === true)).toBe(true);

    expect(await listIds(user, '?status=all')).toEqual([openNew, doneNew, openOld, doneOld]);
    expect(await listIds(user)).toEqual([openNew, doneNew, openOld, doneOld]);
  });

  it('follows a toggle: a task completed through the API moves from pending to completed', async () => {
    const user = await signUpUser(ctx.app);
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/${user.id}/tasks`,
      headers: user.auth,
      payload: { title: 'Flip' },
    });
    const id = created.json().id;
    expect(await listIds(user, '?status=pending')).toEqual([id]);
    expect(await listIds(user, '?status=completed')).toEqual([]);
    const toggled = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/${user.id}/tasks/${id}/complete`,
      headers: user.auth,
    });
    expect(toggled.statusCode).toBe(200);
    expect(await listIds(user, '?status=pending')).toEqual([]);
    expect(await listIds(user, '?status=completed')).toEqual([id]);
  });

  it('returns the newest 100 tasks when no limit is given', async () => {
    const user = await signUpUser(ctx.app);
    const newestFirst = await seedNumbered(user, 105);
    expect(await listIds(user)).toEqual(newestFirst.slice(0, 100));
    expect(await listIds(user, '?limit=500')).toEqual(newestFirst);
  });

  it.each([
    ['1', 1],
    ['7', 7],
    ['500', 120],
  ])('accepts limit=%s and returns at most that many tasks, newest first', async (limit, expected) => {
    const user = await signUpUser(ctx.app);
    const newestFirst = await seedNumbered(user, 120);
    expect(await listIds(user, `?limit=${limit}`)).toEqual(newestFirst.slice(0, expected));
  });

  it('pages with offset: consecutive pages cover the list once, in order, then run out', async () => {
    const user = await signUpUser(ctx.app);
    const newestFirst = await seedNumbered(user, 8);
    const pages = [
      await listIds(user, '?limit=3&offset=0'),
      await listIds(user, '?limit=3&offset=3'),
      await listIds(user, '?limit=3&offset=6'),
    ];
    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(pages.flat()).toEqual(newestFirst);
    expect(await listIds(user, '?limit=3&offset=8')).toEqual([]);
    expect(await listIds(user, '?offset=1000')).toEqual([]);
    expect(await listIds(user, '?offset=5')).toEqual(newestFirst.slice(5));
  });

  it('applies status, limit and offset together', async () => {
    const user = await signUpUser(ctx.app);
    await seedNumbered(user, 12);
    const completed = await listIds(user, '?status=completed');
    expect(completed).toHaveLength(4); // tasks 0, 3, 6 and 9
    expect(await listIds(user, '?status=completed&limit=2&offset=1')).toEqual(completed.slice(1, 3));
  });

  it.each(['0', '501', 'x', '-1', '1.5', '1000000'])(
    'answers 400 validation_failed naming limit for limit=%s',
    async (limit) => {
      const user = await signUpUser(ctx.app);
      await seedNumbered(user, 2);
      const response = await list(user, `?limit=${limit}`);
      expect(response.statusCode).toBe(400);
      const body = response.json();
      expect(body.code).toBe('validation_failed');
      expect(Object.keys(body.fields)).toEqual(['limit']);
      expect(typeof body.fields.limit).toBe('string');
      expect(body.error).toBe(body.fields.limit);
    },
  );

  it.each(['-1', 'x', '2.5'])('answers 400 validation_failed naming offset for offset=%s', async (offset) => {
    const user = await signUpUser(ctx.app);
    const response = await list(user, `?offset=${offset}`);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('validation_failed');
    expect(Object.keys(body.fields)).toEqual(['offset']);
    expect(body.error).toBe(body.fields.offset);
  });

  it.each(['bogus', 'done'])('answers 400 validation_failed naming status for status=%j', async (status) => {
    const user = await signUpUser(ctx.app);
    const response = await list(user, `?status=${status}`);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('validation_failed');
    expect(Object.keys(body.fields)).toEqual(['status']);
    expect(typeof body.fields.status).toBe('string');
    expect(body.error).toBe(body.fields.status);
  });

  it('names every bad query parameter at once', async () => {
    const user = await signUpUser(ctx.app);
    const response = await list(user, '?status=bogus&limit=0&offset=-1');
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('validation_failed');
    expect(Object.keys(body.fields).sort()).toEqual(['limit', 'offset', 'status']);
    expect(Object.values(body.fields)).toContain(body.error);
  });
});
