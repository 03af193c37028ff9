import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { taskCounts, tasks, taskTagCounts } from '../../src/db/schema.js';
import { taskApi } from '../support/task-api.js';
import { taskRow } from '../support/task-rows.js';
import { signUpUser, useTestApp, type SignedUpUser } from '../support/test-app.js';

// The counters the triggers keep (0005_task_counters.sql) must always say what counting the tasks says.

const ctx = useTestApp();

async function expectCountersTrue(user: SignedUpUser) {
  const db = ctx.database.db;
  const [live] = await db
    .select({ total: sql<number>`count(*)::int`, completed: sql<number>`(count(*) filter (where completed))::int` })
    .from(tasks)
    .where(eq(tasks.userId, user.id));
  const [kept] = await db.select().from(taskCounts).where(eq(taskCounts.userId, user.id));
  expect({ total: kept?.total ?? 0, completed: kept?.completed ?? 0 }).toEqual(live);
  const liveTags = await db
    .select({ tag: sql<string>`tag`, count: sql<number>`count(*)::int` })
    .from(sql`${tasks}, unnest(${tasks.tags}) as tag`)
    .where(eq(tasks.userId, user.id))
    .groupBy(sql`tag`)
    .orderBy(sql`count(*) desc`, sql`tag`);
  expect((await taskApi(ctx.app, user).tags()).json()).toEqual(liveTags);
  const keptTags = await db.select().from(taskTagCounts).where(eq(taskTagCounts.userId, user.id));
  expect(keptTags.every((row) => row.count > 0)).toBe(true);
}

describe('the task counters', () => {
  it('follow creates, edits, completions, repeats, deletes and bulk deletes', async () => {
    const user = await signUpUser(ctx.app);
    const api = taskApi(ctx.app, user);
    await expectCountersTrue(user);
    const a = await api.create({ title: 'a', tags: ['work', 'home'] });
    const b = await api.create({ title: 'b', tags: ['work'], due_at: '2026-01-31T09:00:00Z', recurrence: 'monthly' });
    await api.create({ title: 'c' });
    await expectCountersTrue(user);
    await api.put(a.id, { tags: ['home', 'errand'] });
    await expectCountersTrue(user);
    await api.patchComplete(b.id);
    await api.patchComplete(a.id);
    await expectCountersTrue(user);
    expect((await api.counts()).json()).toMatchObject({ all: 4, completed: 2, pending: 2 });
    await api.put(a.id, { completed: false, title: 'a again' });
    await api.remove(a.id);
    await expectCountersTrue(user);
    await api.clear();
    await expectCountersTrue(user);
    expect((await api.counts()).json()).toMatchObject({ all: 2, completed: 0, pending: 2 });
  });

  it('follow statements that change many rows at once, as the counts endpoint shows', async () => {
    const user = await signUpUser(ctx.app);
    const db = ctx.database.db;
    await db.insert(tasks).values(
      Array.from({ length: 300 }, (_, i) =>
        taskRow({
          userId: user.id,
          title: `bulk ${i}`,
          tags: i % 3 ? ['x'] : ['x', 'y'],
          completed: i % 2 === 0,
          completedAt: i % 2 === 0 ? new Date() : null,
        }),
      ),
    );
    await expectCountersTrue(user);
    await db
      .update(tasks)
      .set({ tags: ['z'] })
      .where(sql`${tasks.userId} = ${user.id} and ${tasks.id} % 5 = 0`);
    await db.delete(tasks).where(sql`${tasks.userId} = ${user.id} and ${tasks.id} % 7 = 0`);
    await expectCountersTrue(user);
    const live = (await taskApi(ctx.app, user).counts('q=bulk')).json();
    expect((await taskApi(ctx.app, user).counts()).json()).toEqual(live);
  });

  it('stay true under concurrent changes by one owner', async () => {
    const user = await signUpUser(ctx.app);
    const api = taskApi(ctx.app, user);
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, i) => api.create({ title: `t${i}`, tags: [`tag${i % 4}`, 'all'] })),
    );
    await Promise.all([
      ...created.slice(0, 12).map((task) => api.patchComplete(task.id)),
      ...created.slice(12, 18).map((task) => api.remove(task.id)),
      ...created.slice(18).map((task) => api.put(task.id, { tags: ['moved'] })),
      api.create({ title: 'late', tags: ['all'] }),
    ]);
    await api.clear();
    await expectCountersTrue(user);
  });

  it('go with the account when it is deleted', async () => {
    const user = await signUpUser(ctx.app);
    await taskApi(ctx.app, user).create({ title: 'mine', tags: ['private'] });
    const response = await ctx.app.inject({
      method: 'DELETE',
      url: '/api/auth/account',
      headers: user.auth,
      payload: { password: user.password },
    });
    expect(response.statusCode).toBe(200);
    expect(await ctx.database.db.select().from(taskCounts).where(eq(taskCounts.userId, user.id))).toEqual([]);
    expect(await ctx.database.db.select().from(taskTagCounts).where(eq(taskTagCounts.userId, user.id))).toEqual([]);
  });
});
