import { describe, expect, it } from 'vitest';
import { tasks } from '../../src/db/schema.js';
import { nextLink, taskApi } from '../support/task-api.js';
import { taskRow } from '../support/task-rows.js';
import { signUpUser, useTestApp, type SignedUpUser } from '../support/test-app.js';

const ctx = useTestApp();

/** `count` rows, all created at the same instant so only ids tell them apart; returns ids as inserted. */
async function seedSameInstant(user: SignedUpUser, count: number, values: (i: number) => object = () => ({})) {
  const createdAt = new Date('2025-06-01T12:00:00.000Z');
  const rows = await ctx.database.db
    .insert(tasks)
    .values(
      Array.from({ length: count }, (_, i) =>
        taskRow({ userId: user.id, title: `Task ${i}`, createdAt, updatedAt: createdAt, ...values(i) }),
      ),
    )
    .returning({ id: tasks.id });
  return rows.map((row) => row.id);
}

/** Follows Link headers from `query` to the end: every id in the order the pages gave them. */
async function walk(user: SignedUpUser, query: string, between?: () => Promise<void>): Promise<number[]> {
  const api = taskApi(ctx.app, user);
  const seen: number[] = [];
  let page = await api.page(query);
  seen.push(...page.ids);
  while (page.next) {
    expect(page.next).not.toMatch(/[?&]offset=/);
    await between?.();
    page = await api.page(page.next);
    seen.push(...page.ids);
  }
  return seen;
}

describe('keyset paging with Link headers', () => {
  it('walks 250 tasks page by page, each exactly once, while tasks are added at the top', async () => {
    const user = await signUpUser(ctx.app);
    const api = taskApi(ctx.app, user);
    const ids: number[] = [];
    for (let i = 0; i < 250; i++) ids.push((await api.create({ title: `Task ${i}` })).id);
    let added = 0;
    const seen = await walk(user, 'limit=40', async () => {
      await api.create({ title: `Added while paging ${added++}` });
    });
    expect(added).toBe(6);
    expect(seen).toEqual([...ids].reverse());
  });

  it.each(['title', 'due', 'priority'])(
    'walks sort=%s page by page with each task once while tasks are added everywhere in the order',
    async (sort) => {
      const user = await signUpUser(ctx.app);
      const api = taskApi(ctx.app, user);
      const priorities = ['low', 'medium', 'high'];
      const day = (i: number) => new Date(Date.UTC(2026, 0, 1 + (i % 40))).toISOString();
      const ids = new Set<number>();
      for (let i = 0; i < 250; i++) {
        const task = await api.create({
          title: `T${(i * 7919) % 250}`,
          priority: priorities[i % 3],
          due_at: i % 5 ? day(i) : null,
        });
        ids.add(task.id);
      }
      let added = 0;
      const seen = await walk(user, `sort=${sort}&limit=30`, async () => {
        for (let j = 0; j < 3; j++, added++)
          await api.create({
            title: `T${(added * 31) % 250}x`,
            priority: priorities[added % 3],
            due_at: day(added * 13),
          });
      });
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((id) => ids.has(id))).toHaveLength(250);
    },
  );

  it('answers no Link on the last page, and a Link on a page that has more', async () => {
    const user = await signUpUser(ctx.app);
    await seedSameInstant(user, 3);
    const api = taskApi(ctx.app, user);
    expect((await api.list('limit=3')).headers.link).toBeUndefined();
    expect((await api.list('limit=4')).headers.link).toBeUndefined();
    const response = await api.list('limit=2');
    expect(response.headers.link).toMatch(new RegExp(`^</api/${user.id}/tasks\\?limit=2&cursor=[^>]+>; rel="next"$`));
  });

  it('keeps the query in the Link, drops the offset, and lets the limit change between pages', async () => {
    const user = await signUpUser(ctx.app);
    const ids = await seedSameInstant(user, 10, (i) => ({ priority: i % 2 ? 'high' : 'low' }));
    const api = taskApi(ctx.app, user);
    const first = await api.page('priority=high&sort=title&limit=2&offset=1');
    expect(first.next).toMatch(/^\/api\/[^?]+\/tasks\?priority=high&sort=title&limit=2&cursor=/);
    const high = ids.filter((_, i) => i % 2).map((id, i) => ({ id, title: `Task ${2 * i + 1}` }));
    const byTitle = [...high].sort((a, b) => (a.title < b.title ? -1 : 1)).map((task) => task.id);
    expect(first.ids).toEqual(byTitle.slice(1, 3));
    const rest = await api.page(first.next!.replace('limit=2', 'limit=10'));
    expect(rest.ids).toEqual(byTitle.slice(3));
    expect(rest.next).toBeUndefined();
  });

  it('still answers the old contract: an array body, limit and offset', async () => {
    const user = await signUpUser(ctx.app);
    const ids = (await seedSameInstant(user, 5)).reverse();
    const api = taskApi(ctx.app, user);
    const response = await api.list('limit=2&offset=2');
    expect(response.statusCode).toBe(200);
    expect(Array.isArray(response.json())).toBe(true);
    expect(response.json().map((task: { id: number }) => task.id)).toEqual(ids.slice(2, 4));
  });
});

describe('every sort, with ties broken by id', () => {
  const DAY = 86_400_000;
  const base = Date.UTC(2026, 0, 10, 9);
  // Pairs share each sort value, so only the id decides their order.
  const values = (i: number) => ({
    title: ['b', 'a', 'c', 'a', 'b', 'c'][i]!,
    priority: (['low', 'high', 'medium', 'high', 'low', 'medium'] as const)[i],
    dueAt: [new Date(base + DAY), null, new Date(base), new Date(base + DAY), null, new Date(base)][i]!,
  });

  it.each([
    ['created', [5, 4, 3, 2, 1, 0]],
    ['due', [2, 5, 0, 3, 1, 4]],
    ['priority', [1, 3, 2, 5, 0, 4]],
    ['title', [1, 3, 0, 4, 2, 5]],
  ])('sort=%s orders the rows as the contract says, one row per page as on one page', async (sort, order) => {
    const user = await signUpUser(ctx.app);
    const ids = await seedSameInstant(user, 6, values);
    const expected = order.map((i) => ids[i]);
    const api = taskApi(ctx.app, user);
    expect((await api.page(`sort=${sort}`)).ids).toEqual(expected);
    expect(await walk(user, `sort=${sort}&limit=1`)).toEqual(expected);
    expect(await walk(user, `sort=${sort}&limit=4`)).toEqual(expected);
  });

  it('answers 400 validation_failed naming sort for an unknown sort', async () => {
    const user = await signUpUser(ctx.app);
    const response = await taskApi(ctx.app, user).list('sort=random');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'validation_failed',
      fields: { sort: 'Sort must be created, due, priority or title' },
    });
  });
});

describe('cursors', () => {
  const INVALID_CURSOR = { error: 'Invalid cursor', code: 'invalid_cursor' };

  async function cursorOf(user: SignedUpUser, query: string): Promise<string> {
    const next = (await taskApi(ctx.app, user).page(query)).next!;
    return new URL(next, 'http://x').searchParams.get('cursor')!;
  }

  it('answers 400 validation_failed naming offset when a cursor comes with an offset', async () => {
    const user = await signUpUser(ctx.app);
    await seedSameInstant(user, 3);
    const cursor = await cursorOf(user, 'limit=1');
    for (const offset of ['0', '5']) {
      const response = await taskApi(ctx.app, user).list(`limit=1&cursor=${cursor}&offset=${offset}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: 'Offset cannot be used with a cursor',
        code: 'validation_failed',
        fields: { offset: 'Offset cannot be used with a cursor' },
      });
    }
  });

  it('refuses a cursor made for another user, even with the same query', async () => {
    const alice = await signUpUser(ctx.app);
    const bob = await signUpUser(ctx.app);
    await seedSameInstant(alice, 3);
    await seedSameInstant(bob, 3);
    const cursor = await cursorOf(alice, 'limit=1');
    const response = await taskApi(ctx.app, bob).list(`limit=1&cursor=${cursor}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(INVALID_CURSOR);
  });

  it.each([
    ['another sort', 'sort=title'],
    ['another status', 'status=pending'],
    ['another search', 'q=task'],
    ['another tag', 'tag=work'],
    ['another priority', 'priority=high'],
    ['another due filter', 'due=none'],
    ['another time zone', 'tz=Europe/Paris'],
  ])('refuses a cursor reused with %s', async (_case, query) => {
    const user = await signUpUser(ctx.app);
    await seedSameInstant(user, 3, () => ({ tags: ['work'], priority: 'high' }));
    const cursor = await cursorOf(user, 'limit=1');
    const response = await taskApi(ctx.app, user).list(`limit=1&${query}&cursor=${cursor}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(INVALID_CURSOR);
  });

  it('accepts its own query spelled another way (case of the search, of the zone, the limit)', async () => {
    const user = await signUpUser(ctx.app);
    await seedSameInstant(user, 3);
    const cursor = await cursorOf(user, 'q=Task&tz=utc&limit=1');
    const response = await taskApi(ctx.app, user).list(`q=TASK&tz=UTC&limit=2&cursor=${cursor}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toHaveLength(2);
  });

  it.each([
    ['garbage', () => 'not-a-cursor'],
    ['an empty signature', (cursor: string) => `${cursor.split('.')[0]}.`],
    [
      'a changed position',
      (cursor: string) =>
        `${Buffer.from('["2030-01-01T00:00:00.000000Z",1]').toString('base64url')}.${cursor.split('.')[1]}`,
    ],
    ['a changed signature', (cursor: string) => `${cursor.slice(0, -2)}${cursor.endsWith('AA') ? 'BB' : 'AA'}`],
    ['an extra part', (cursor: string) => `${cursor}.x`],
    [
      'a signature made with another key',
      () => 'WyIyMDI1LTA2LTAxVDEyOjAwOjAwLjAwMDAwMFoiLDFd.c2lnbmVkIHdpdGggc29tZXRoaW5nIGVsc2UgZW50aXJlbHk',
    ],
  ])('refuses %s with 400 invalid_cursor', async (_case, tamper) => {
    const user = await signUpUser(ctx.app);
    await seedSameInstant(user, 3);
    const cursor = await cursorOf(user, 'limit=1');
    const response = await taskApi(ctx.app, user).list(`limit=1&cursor=${encodeURIComponent(tamper(cursor))}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(INVALID_CURSOR);
  });

  it('gives cursors that read as nothing: no user id, no title in them', async () => {
    const user = await signUpUser(ctx.app);
    await seedSameInstant(user, 3);
    const cursor = await cursorOf(user, 'sort=title&limit=1');
    expect(cursor).not.toContain(user.id);
    expect(nextLink(`<x?cursor=${cursor}>; rel="next"`)).toBeDefined();
  });
});
