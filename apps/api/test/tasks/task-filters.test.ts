import { describe, expect, it } from 'vitest';
import { taskApi } from '../support/task-api.js';
import { signUpUser, useTestApp } from '../support/test-app.js';

const ctx = useTestApp();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function newUser() {
  const user = await signUpUser(ctx.app);
  return { user, api: taskApi(ctx.app, user) };
}

const titles = (tasks: { title: string }[]) => tasks.map((task) => task.title).sort();

describe('filters on GET /api/{user_id}/tasks', () => {
  it('filters by priority, by tag (normalised like a tag) and by status, combined with AND', async () => {
    const { api } = await newUser();
    const a = await api.create({ title: 'a', priority: 'high', tags: ['work', 'urgent'] });
    await api.create({ title: 'b', priority: 'high', tags: ['home'] });
    await api.create({ title: 'c', priority: 'low', tags: ['work'] });
    await api.patchComplete(a.id);
    expect(titles((await api.page('priority=high')).tasks)).toEqual(['a', 'b']);
    expect(titles((await api.page('tag=work')).tasks)).toEqual(['a', 'c']);
    expect(titles((await api.page('tag=%20WORK%20')).tasks)).toEqual(['a', 'c']);
    expect(titles((await api.page('tag=work&priority=high')).tasks)).toEqual(['a']);
    expect(titles((await api.page('tag=work&status=pending')).tasks)).toEqual(['c']);
    expect(titles((await api.page('tag=work&status=completed')).tasks)).toEqual(['a']);
    expect(titles((await api.page('tag=wor')).tasks)).toEqual([]);
    expect(titles((await api.page('tag=')).tasks)).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['priority=urgent', 'priority', 'Priority must be low, medium or high'],
    ['tag=a,b', 'tag', 'Tags cannot contain commas'],
    [`tag=${'x'.repeat(31)}`, 'tag', 'Each tag must be 1 to 30 characters'],
    ['due=tomorrow', 'due', 'Due must be overdue, today, week or none'],
    ['tz=Mars/Olympus', 'tz', 'Time zone must be an IANA name such as Europe/Paris'],
    ['tz=', 'tz', 'Time zone must be an IANA name such as Europe/Paris'],
    ['status=done', 'status', 'Status must be all, pending or completed'],
    ['limit=501', 'limit', 'Limit must be a whole number from 1 to 500'],
  ])('answers 400 validation_failed for %s', async (query, field, sentence) => {
    const { api } = await newUser();
    const response = await api.list(query);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: sentence, code: 'validation_failed', fields: { [field]: sentence } });
  });

  it('validates tz even when no due filter uses it', async () => {
    const { api } = await newUser();
    expect((await api.list('tz=Nowhere/Special')).statusCode).toBe(400);
    expect((await api.list('tz=Europe/Paris')).statusCode).toBe(200);
    expect((await api.counts('tz=Nowhere/Special')).statusCode).toBe(400);
  });
});

describe('due filters', () => {
  it('due=overdue: not completed and due before now; due=none: no due date', async () => {
    const { api } = await newUser();
    const now = Date.now();
    await api.create({ title: 'late', due_at: new Date(now - HOUR).toISOString() });
    const done = await api.create({ title: 'late but done', due_at: new Date(now - HOUR).toISOString() });
    await api.patchComplete(done.id);
    await api.create({ title: 'soon', due_at: new Date(now + HOUR).toISOString() });
    await api.create({ title: 'undated' });
    expect(titles((await api.page('due=overdue')).tasks)).toEqual(['late']);
    expect(titles((await api.page('due=none')).tasks)).toEqual(['undated']);
  });

  // Zones without daylight saving, so the test can work out their midnight on its own.
  it.each([
    ['UTC', 0],
    ['Asia/Kolkata', 5.5 * HOUR],
    ['Pacific/Kiritimati', 14 * HOUR],
    ['Etc/GMT+11', -11 * HOUR],
  ])('due=today and due=week follow the calendar day in tz=%s, regardless of completion', async (tz, offset) => {
    const { api } = await newUser();
    const now = Date.now();
    const startOfToday = Math.floor((now + offset) / DAY) * DAY - offset;
    const at = (ms: number) => new Date(ms).toISOString();
    await api.create({ title: 'yesterday evening', due_at: at(startOfToday - 1) });
    await api.create({ title: 'first moment of today', due_at: at(startOfToday) });
    const done = await api.create({ title: 'today, done', due_at: at(startOfToday + 12 * HOUR) });
    await api.patchComplete(done.id);
    await api.create({ title: 'last moment of today', due_at: at(startOfToday + DAY - 1) });
    await api.create({ title: 'tomorrow', due_at: at(startOfToday + DAY) });
    await api.create({ title: 'end of the 7th day', due_at: at(startOfToday + 7 * DAY - 1) });
    await api.create({ title: 'the 8th day', due_at: at(startOfToday + 7 * DAY) });
    await api.create({ title: 'undated' });
    const today = ['first moment of today', 'last moment of today', 'today, done'];
    expect(titles((await api.page(`due=today&tz=${encodeURIComponent(tz)}`)).tasks)).toEqual(today);
    expect(titles((await api.page(`due=week&tz=${encodeURIComponent(tz)}`)).tasks)).toEqual(
      [...today, 'tomorrow', 'end of the 7th day'].sort(),
    );
  });

  it('due=today defaults to UTC', async () => {
    const { api } = await newUser();
    const startOfToday = Math.floor(Date.now() / DAY) * DAY;
    await api.create({ title: 'today in UTC', due_at: new Date(startOfToday + 1).toISOString() });
    await api.create({ title: 'yesterday in UTC', due_at: new Date(startOfToday - 1).toISOString() });
    expect(titles((await api.page('due=today')).tasks)).toEqual(['today in UTC']);
  });
});

describe('GET /api/{user_id}/tasks/counts', () => {
  it('counts all, pending, completed and overdue, whatever was loaded', async () => {
    const { api } = await newUser();
    expect((await api.counts()).json()).toEqual({ all: 0, pending: 0, completed: 0, overdue: 0 });
    const past = new Date(Date.now() - DAY).toISOString();
    for (let i = 0; i < 7; i++) {
      const task = await api.create({ title: `t${i}`, due_at: i < 3 ? past : null, tags: i % 2 ? ['odd'] : [] });
      if (i === 0 || i === 5) await api.patchComplete(task.id);
    }
    const response = await api.counts();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ all: 7, pending: 5, completed: 2, overdue: 2 });
    expect((await api.counts('tag=ODD')).json()).toEqual({ all: 3, pending: 2, completed: 1, overdue: 1 });
    expect((await api.counts('q=t1')).json()).toEqual({ all: 1, pending: 1, completed: 0, overdue: 1 });
  });

  it('honours priority and ignores status and due', async () => {
    const { api } = await newUser();
    await api.create({ title: 'h', priority: 'high' });
    const done = await api.create({ title: 'h2', priority: 'high' });
    await api.patchComplete(done.id);
    await api.create({ title: 'l', priority: 'low' });
    expect((await api.counts('priority=high&status=pending&due=overdue')).json()).toEqual({
      all: 2,
      pending: 1,
      completed: 1,
      overdue: 0,
    });
  });

  it('answers 400 naming the field for a bad filter', async () => {
    const { api } = await newUser();
    const response = await api.counts('priority=none');
    expect(response.statusCode).toBe(400);
    expect(response.json().fields).toEqual({ priority: 'Priority must be low, medium or high' });
  });
});

describe('GET /api/{user_id}/tags', () => {
  it('lists the tags with their counts, most used first, ties A-Z', async () => {
    const { api } = await newUser();
    expect((await api.tags()).json()).toEqual([]);
    await api.create({ title: '1', tags: ['work', 'b'] });
    await api.create({ title: '2', tags: ['work', 'a'] });
    await api.create({ title: '3', tags: ['work', 'c', 'a'] });
    await api.create({ title: '4' });
    const response = await api.tags();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      { tag: 'work', count: 3 },
      { tag: 'a', count: 2 },
      { tag: 'b', count: 1 },
      { tag: 'c', count: 1 },
    ]);
  });
});

describe('DELETE /api/{user_id}/tasks?status=completed', () => {
  it('deletes every completed task and says how many, leaving the rest', async () => {
    const { api } = await newUser();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await api.create({ title: `t${i}` })).id);
    await api.patchComplete(ids[1]!);
    await api.patchComplete(ids[3]!);
    const response = await api.clear();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ deleted: 2 });
    expect(titles((await api.page()).tasks)).toEqual(['t0', 't2', 't4']);
    expect((await api.clear()).json()).toEqual({ deleted: 0 });
  });

  it.each([
    ['no status', ''],
    ['status=all', 'status=all'],
    ['status=pending', 'status=pending'],
    ['status=', 'status='],
  ])('refuses %s with 400 validation_failed naming status, deleting nothing', async (_case, query) => {
    const { api } = await newUser();
    const task = await api.create({ title: 'keep me' });
    await api.patchComplete(task.id);
    const response = await api.clear(query);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed', fields: { status: expect.any(String) } });
    expect((await api.page()).ids).toEqual([task.id]);
  });
});
