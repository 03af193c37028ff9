import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../../src/db/schema.js';
import { taskApi } from '../support/task-api.js';
import { signUpUser, useTestApp, type SignedUpUser } from '../support/test-app.js';

const ctx = useTestApp();
let owner: SignedUpUser;
let api: ReturnType<typeof taskApi>;

beforeAll(async () => {
  owner = await signUpUser(ctx.app);
  api = taskApi(ctx.app, owner);
});

const DUE = '2026-03-14T09:26:53.589Z';

describe('the new fields on POST', () => {
  it('gives a task without them the defaults: medium, no tags, no due date, no repeat, not completed', async () => {
    const task = await api.create({ title: 'Plain' });
    expect(task).toMatchObject({ priority: 'medium', tags: [], due_at: null, recurrence: null, completed_at: null });
  });

  it('stores every field it is sent and answers it back as GET does', async () => {
    const task = await api.create({
      title: 'Full',
      priority: 'high',
      tags: ['Work', ' home ', 'work', 'Ünïcode 日本'],
      due_at: '2026-03-14T10:26:53.589+01:00',
      recurrence: 'weekly',
    });
    expect(task).toMatchObject({
      priority: 'high',
      tags: ['work', 'home', 'ünïcode 日本'],
      due_at: DUE,
      recurrence: 'weekly',
    });
    const read = await ctx.app.inject({ method: 'GET', url: `/api/${owner.id}/tasks/${task.id}`, headers: owner.auth });
    expect(read.json()).toEqual(task);
  });

  it('keeps due_at to the millisecond, in UTC, whatever the offset and precision sent', async () => {
    for (const [sent, stored] of [
      ['2026-12-24T17:00:00+01:00', '2026-12-24T16:00:00.000Z'],
      ['2026-12-24T17:00:00.1234567-05:30', '2026-12-24T22:30:00.123Z'],
      ['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
    ]) {
      const task = await api.create({ title: 'Due', due_at: sent });
      expect(task.due_at).toBe(stored);
      const [row] = await ctx.database.db.select().from(tasks).where(eq(tasks.id, task.id));
      expect(row!.dueAt!.toISOString()).toBe(stored);
    }
  });

  it.each([
    ['priority "urgent"', { priority: 'urgent' }, 'priority', 'Priority must be low, medium or high'],
    ['priority 3', { priority: 3 }, 'priority', 'Priority must be low, medium or high'],
    ['priority null', { priority: null }, 'priority', 'Priority must be low, medium or high'],
    ['11 tags', { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags', 'At most 10 tags'],
    ['an empty tag', { tags: ['ok', '   '] }, 'tags', 'Each tag must be 1 to 30 characters'],
    ['a tag of 31 characters', { tags: ['x'.repeat(31)] }, 'tags', 'Each tag must be 1 to 30 characters'],
    ['a tag of 31 astral characters', { tags: ['😀'.repeat(31)] }, 'tags', 'Each tag must be 1 to 30 characters'],
    ['a tag with a comma', { tags: ['a,b'] }, 'tags', 'Tags cannot contain commas'],
    ['a tag that is a number', { tags: [5] }, 'tags', 'Each tag must be 1 to 30 characters'],
    ['tags that are a string', { tags: 'work' }, 'tags', 'Each tag must be 1 to 30 characters'],
    ['a tag with a control character', { tags: ['a\u0007b'] }, 'tags', 'Tags cannot contain control characters'],
    ['a due date without an offset', { due_at: '2026-12-24T17:00:00' }, 'due_at', 'Due date must be a date and time'],
    ['a date without a time', { due_at: '2026-12-24' }, 'due_at', 'Due date must be a date and time'],
    ['30 February', { due_at: '2026-02-30T10:00:00Z' }, 'due_at', 'Due date must be a date and time'],
    ['29 February of a common year', { due_at: '2025-02-29T10:00:00Z' }, 'due_at', 'Due date must be a date and time'],
    ['a due date as a number', { due_at: 1767225600000 }, 'due_at', 'Due date must be a date and time'],
    ['words as a due date', { due_at: 'tomorrow' }, 'due_at', 'Due date must be a date and time'],
    ['repeat "yearly"', { due_at: DUE, recurrence: 'yearly' }, 'recurrence', 'Repeat must be daily, weekly or monthly'],
    ['repeat true', { due_at: DUE, recurrence: true }, 'recurrence', 'Repeat must be daily, weekly or monthly'],
    ['a repeat without a due date', { recurrence: 'daily' }, 'recurrence', 'A repeating task needs a due date'],
    [
      'a repeat with a null due date',
      { recurrence: 'daily', due_at: null },
      'recurrence',
      'A repeating task needs a due date',
    ],
  ])(
    'answers 400 validation_failed for %s, naming the field with its sentence',
    async (_case, fields, field, sentence) => {
      const response = await api.post({ title: 'Invalid', ...fields });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: sentence, code: 'validation_failed', fields: { [field]: sentence } });
    },
  );

  it('counts tags after normalising and dropping duplicates: 12 spellings of 10 tags are fine', async () => {
    const tags = [...Array.from({ length: 10 }, (_, i) => `Tag${i}`), 'tag0', ' TAG1 '];
    const task = await api.create({ title: 'Many tags', tags });
    expect(task.tags).toEqual(Array.from({ length: 10 }, (_, i) => `tag${i}`));
  });

  it('accepts a tag of exactly 30 characters and exactly 10 tags', async () => {
    const tags = ['é'.repeat(30), ...Array.from({ length: 9 }, (_, i) => `t${i}`)];
    expect((await api.create({ title: 'Edge', tags })).tags).toEqual(tags);
  });

  it('names every wrong field at once', async () => {
    const response = await api.post({ title: '', priority: 'x', tags: ['a,b'], due_at: 'x', recurrence: 'x' });
    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.json().fields).sort()).toEqual(['due_at', 'priority', 'recurrence', 'tags', 'title']);
  });

  it('ignores completed_at sent by the client', async () => {
    const task = await api.create({ title: 'Sneaky', completed_at: DUE });
    expect(task.completed_at).toBeNull();
  });
});

describe('the new fields on PUT', () => {
  it('changes priority, tags, due date and repeat, and clears them with null and []', async () => {
    const task = await api.create({ title: 'Change me' });
    const changed = await api.put(task.id, { priority: 'low', tags: ['A'], due_at: DUE, recurrence: 'daily' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ priority: 'low', tags: ['a'], due_at: DUE, recurrence: 'daily' });
    const cleared = await api.put(task.id, { tags: [], due_at: null, recurrence: null });
    expect(cleared.json()).toMatchObject({ priority: 'low', tags: [], due_at: null, recurrence: null });
  });

  it('refuses to clear the due date of a repeating task, and leaves the task as it was', async () => {
    const task = await api.create({ title: 'Repeats', due_at: DUE, recurrence: 'monthly' });
    const response = await api.put(task.id, { due_at: null });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'A repeating task needs a due date',
      code: 'validation_failed',
      fields: { recurrence: 'A repeating task needs a due date' },
    });
    const [row] = await ctx.database.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row!.dueAt!.toISOString()).toBe(DUE);
  });

  it('refuses a repeat on a task without a due date', async () => {
    const task = await api.create({ title: 'No date' });
    const response = await api.put(task.id, { recurrence: 'weekly' });
    expect(response.statusCode).toBe(400);
    expect(response.json().fields).toEqual({ recurrence: 'A repeating task needs a due date' });
  });

  it('accepts clearing the due date and the repeat together', async () => {
    const task = await api.create({ title: 'Stop repeating', due_at: DUE, recurrence: 'daily' });
    const response = await api.put(task.id, { due_at: null, recurrence: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ due_at: null, recurrence: null });
  });

  it.each([
    [{ priority: 'urgent' }, 'priority'],
    [{ tags: ['x'.repeat(31)] }, 'tags'],
    [{ due_at: '2026-13-01T00:00:00Z' }, 'due_at'],
    [{ recurrence: 'hourly' }, 'recurrence'],
  ])('answers 400 naming the field for %j', async (payload, field) => {
    const task = await api.create({ title: 'Typed' });
    const response = await api.put(task.id, payload);
    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.json().fields)).toEqual([field]);
  });

  it('sets completed_at when completed and clears it when reopened', async () => {
    const task = await api.create({ title: 'Finish me' });
    const done = (await api.put(task.id, { completed: true })).json();
    expect(done.completed_at).toBe(done.updated_at);
    const again = (await api.put(task.id, { completed: true, title: 'Renamed' })).json();
    expect(again.completed_at).toBe(done.completed_at);
    const reopened = (await api.put(task.id, { completed: false })).json();
    expect(reopened.completed_at).toBeNull();
  });
});

describe('repeating tasks', () => {
  async function tasksTitled(title: string) {
    const rows = await ctx.database.db.select().from(tasks).where(eq(tasks.title, title)).orderBy(tasks.id);
    return rows.filter((row) => row.userId === owner.id);
  }

  it.each([
    ['daily', '2025-12-31T23:30:00.000Z', '2026-01-01T23:30:00.000Z'],
    ['daily', '2024-02-28T08:00:00.000Z', '2024-02-29T08:00:00.000Z'],
    ['weekly', '2026-02-26T08:00:00.000Z', '2026-03-05T08:00:00.000Z'],
    ['monthly', '2026-01-31T10:00:00.000Z', '2026-02-28T10:00:00.000Z'],
    ['monthly', '2024-01-31T10:00:00.000Z', '2024-02-29T10:00:00.000Z'],
    ['monthly', '2024-02-29T10:00:00.000Z', '2024-03-29T10:00:00.000Z'],
    ['monthly', '2026-12-15T23:59:59.999Z', '2027-01-15T23:59:59.999Z'],
    ['monthly', '2026-08-31T00:00:00.000Z', '2026-09-30T00:00:00.000Z'],
  ])('completing a %s task due %s creates its next occurrence due %s', async (recurrence, due, next) => {
    const title = `Repeat ${recurrence} ${due}`;
    const task = await api.create({
      title,
      description: 'Notes',
      priority: 'high',
      tags: ['home'],
      due_at: due,
      recurrence,
    });
    const done = await api.patchComplete(task.id);
    expect(done.statusCode).toBe(200);
    const rows = await tasksTitled(title);
    expect(rows).toHaveLength(2);
    const [, occurrence] = rows;
    expect(occurrence).toMatchObject({
      title,
      description: 'Notes',
      priority: 'high',
      tags: ['home'],
      recurrence,
      completed: false,
      completedAt: null,
    });
    expect(occurrence!.dueAt!.toISOString()).toBe(next);
  });

  it('creates the next occurrence once: reopening and completing again creates none, and deletes none', async () => {
    const title = 'Water the plants weekly';
    const task = await api.create({ title, due_at: DUE, recurrence: 'weekly' });
    await api.patchComplete(task.id);
    await api.patchComplete(task.id);
    await api.patchComplete(task.id);
    expect((await api.put(task.id, { completed: false })).statusCode).toBe(200);
    await api.put(task.id, { completed: true });
    const rows = await tasksTitled(title);
    expect(rows.map((row) => row.dueAt!.toISOString())).toEqual([DUE, '2026-03-21T09:26:53.589Z']);
  });

  it('creates it on PUT completed true, from the due date that same PUT sets', async () => {
    const title = 'Pay rent';
    const task = await api.create({ title, due_at: DUE, recurrence: 'monthly' });
    const response = await api.put(task.id, { completed: true, due_at: '2026-05-31T09:00:00.000Z' });
    expect(response.statusCode).toBe(200);
    const rows = await tasksTitled(title);
    expect(rows.map((row) => row.dueAt!.toISOString())).toEqual([
      '2026-05-31T09:00:00.000Z',
      '2026-06-30T09:00:00.000Z',
    ]);
  });

  it('creates none when a PUT sends completed true to a task already completed', async () => {
    const title = 'Already done';
    const task = await api.create({ title, due_at: DUE, recurrence: 'daily' });
    await api.put(task.id, { completed: true });
    await api.put(task.id, { completed: true });
    expect(await tasksTitled(title)).toHaveLength(2);
  });

  it('creates one when two completions race', async () => {
    const title = 'Raced';
    const task = await api.create({ title, due_at: DUE, recurrence: 'daily' });
    const answers = await Promise.all([api.put(task.id, { completed: true }), api.put(task.id, { completed: true })]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(await tasksTitled(title)).toHaveLength(2);
  });

  it('creates nothing for a task that does not repeat', async () => {
    const title = 'Once';
    const task = await api.create({ title, due_at: DUE });
    await api.patchComplete(task.id);
    expect(await tasksTitled(title)).toHaveLength(1);
  });

  it('answers the completed task itself, and lists the new occurrence as pending', async () => {
    const title = 'Listed occurrence';
    const task = await api.create({ title, due_at: DUE, recurrence: 'daily' });
    const done = (await api.patchComplete(task.id)).json();
    expect(done).toMatchObject({ id: task.id, completed: true, due_at: DUE });
    const pending = (await api.page('status=pending&q=listed')).tasks;
    expect(pending.map((row) => [row.title, row.due_at])).toEqual([[title, '2026-03-15T09:26:53.589Z']]);
  });
});
