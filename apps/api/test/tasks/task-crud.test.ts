import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../../src/db/schema.js';
import { TASK_KEYS } from '../support/task-api.js';
import { signUpUser, useTestApp, type SignedUpUser } from '../support/test-app.js';

const ctx = useTestApp();

let owner: SignedUpUser;
let stranger: SignedUpUser;

beforeAll(async () => {
  owner = await signUpUser(ctx.app, { name: 'Task Owner' });
  stranger = await signUpUser(ctx.app, { name: 'Someone Else' });
});

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
// Rows are moved back to this instant before an edit, so "updated_at changed" needs no clock race.
const LONG_AGO = new Date('2020-01-01T00:00:00.000Z');
const TASK_NOT_FOUND = { error: 'Task not found', code: 'task_not_found' };
// Wording a validation library produces on its own; the contract wants our sentences instead.
const LIBRARY_WORDING = /invalid input|expected \w+, received|required property|must be object/i;

const listUrl = () => `/api/${owner.id}/tasks`;
const taskUrl = (id: number | string) => `/api/${owner.id}/tasks/${id}`;

const post = (payload: unknown) =>
  ctx.app.inject({ method: 'POST', url: listUrl(), headers: owner.auth, payload: payload as object });
const put = (id: number | string, payload: unknown) =>
  ctx.app.inject({ method: 'PUT', url: taskUrl(id), headers: owner.auth, payload: payload as object });
const patchComplete = (id: number | string) =>
  ctx.app.inject({ method: 'PATCH', url: `${taskUrl(id)}/complete`, headers: owner.auth });
const remove = (id: number | string) => ctx.app.inject({ method: 'DELETE', url: taskUrl(id), headers: owner.auth });
const get = (id: number | string) => ctx.app.inject({ method: 'GET', url: taskUrl(id), headers: owner.auth });

async function createTask(payload: Record<string, unknown> = { title: 'Water the plants' }) {
  const response = await post(payload);
  expect(response.statusCode).toBe(201);
  return response.json();
}

async function readTask(id: number) {
  const response = await get(id);
  expect(response.statusCode).toBe(200);
  return response.json();
}

async function listAll(): Promise<{ id: number }[]> {
  const response = await ctx.app.inject({ method: 'GET', url: `${listUrl()}?limit=500`, headers: owner.auth });
  expect(response.statusCode).toBe(200);
  return response.json();
}

/** Moves a task's timestamps into the past so that any later edit visibly changes updated_at. */
async function backdate(id: number) {
  await ctx.database.db.update(tasks).set({ createdAt: LONG_AGO, updatedAt: LONG_AGO }).where(eq(tasks.id, id));
  return readTask(id);
}

function expectValidationError(response: { statusCode: number; json: () => any }, field: string, message: string) {
  expect(response.statusCode).toBe(400);
  expect(response.json()).toEqual({ error: message, code: 'validation_failed', fields: { [field]: message } });
}

describe('POST /api/{user_id}/tasks', () => {
  it('answers 201 with the new task, its title and description trimmed', async () => {
    const response = await post({ title: '  Buy milk  ', description: '  Two litres, semi-skimmed \n' });
    expect(response.statusCode).toBe(201);
    const task = response.json();
    expect(Object.keys(task).sort()).toEqual(TASK_KEYS);
    expect(Number.isInteger(task.id)).toBe(true);
    expect(task.id).toBeGreaterThan(0);
    expect(task).toMatchObject({
      user_id: owner.id,
      title: 'Buy milk',
      description: 'Two litres, semi-skimmed',
      completed: false,
    });
    expect(task.created_at).toMatch(ISO_UTC);
    expect(task.updated_at).toMatch(ISO_UTC);
    expect(await readTask(task.id)).toEqual(task);
    expect((await listAll()).map((t) => t.id)).toContain(task.id);
  });

  it.each([
    ['an empty description', ''],
    ['a blank description', ' \t\n '],
    ['no description at all', undefined],
  ])('stores %s as null', async (_case, description) => {
    const task = await createTask({ title: 'No details', description });
    expect(task.description).toBeNull();
    expect((await readTask(task.id)).description).toBeNull();
  });

  it('ignores an id, owner, completed flag and timestamps sent by the client', async () => {
    const response = await post({
      title: 'Sneaky',
      id: 424242,
      user_id: stranger.id,
      completed: true,
      created_at: '2000-01-01T00:00:00.000Z',
      updated_at: '2000-01-01T00:00:00.000Z',
      owner: 'admin',
    });
    expect(response.statusCode).toBe(201);
    const task = response.json();
    expect(Object.keys(task).sort()).toEqual(TASK_KEYS);
    expect(task.id).not.toBe(424242);
    expect(task.user_id).toBe(owner.id);
    expect(task.completed).toBe(false);
    expect(task.created_at).not.toMatch(/^2000-/);
    expect(task.updated_at).not.toMatch(/^2000-/);
    expect(await readTask(task.id)).toEqual(task);
    const strangersList = await ctx.app.inject({
      method: 'GET',
      url: `/api/${stranger.id}/tasks`,
      headers: stranger.auth,
    });
    expect(strangersList.json()).toEqual([]);
  });

  it.each([
    ['a missing title', { description: 'details' }, 'Title is required'],
    ['an empty title', { title: '' }, 'Title is required'],
    ['a blank title', { title: '   \t ' }, 'Title is required'],
    ['a 201-character title', { title: 't'.repeat(201) }, 'Title must be 200 characters or less'],
    ['a title of 201 emoji', { title: '😀'.repeat(201) }, 'Title must be 200 characters or less'],
  ])('answers 400 for %s and creates nothing', async (_case, payload, message) => {
    const before = await listAll();
    expectValidationError(await post(payload), 'title', message);
    expect(await listAll()).toEqual(before);
  });

  it.each([
    ['a 1001-character description', 'd'.repeat(1001)],
    ['a description of 1001 emoji', '🎉'.repeat(1001)],
  ])('answers 400 for %s and creates nothing', async (_case, description) => {
    const before = await listAll();
    expectValidationError(
      await post({ title: 'Fine', description }),
      'description',
      'Description must be 1000 characters or less',
    );
    expect(await listAll()).toEqual(before);
  });

  it.each([
    ['200 plain characters', 'a'.repeat(200)],
    ['200 emoji (400 UTF-16 units)', '😀'.repeat(200)],
    ['200 characters once the surrounding spaces are trimmed', `   ${'b'.repeat(200)}   `],
  ])('accepts a title of %s', async (_case, title) => {
    const task = await createTask({ title });
    expect(task.title).toBe(title.trim());
    expect((await readTask(task.id)).title).toBe(title.trim());
  });

  it.each([
    ['1000 plain characters', 'd'.repeat(1000)],
    ['1000 emoji (2000 UTF-16 units)', '🎉'.repeat(1000)],
  ])('accepts a description of %s', async (_case, description) => {
    const task = await createTask({ title: 'Long one', description });
    expect(task.description).toBe(description);
    expect((await readTask(task.id)).description).toBe(description);
  });

  it('lists every failing field and repeats the first one in error', async () => {
    const response = await post({ title: '', description: 'x'.repeat(1001) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'Title is required',
      code: 'validation_failed',
      fields: { title: 'Title is required', description: 'Description must be 1000 characters or less' },
    });
  });

  it.each([
    ['title', { title: 5 }],
    ['title', { title: true }],
    ['title', { title: ['Buy milk'] }],
    ['title', { title: { text: 'Buy milk' } }],
    ['title', { title: null }],
    ['description', { title: 'Fine', description: 5 }],
    ['description', { title: 'Fine', description: false }],
    ['description', { title: 'Fine', description: ['a'] }],
  ])('answers 400 validation_failed, never 500, for a wrongly typed %s (%j)', async (field, payload) => {
    const before = await listAll();
    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('validation_failed');
    expect(Object.keys(body.fields)).toEqual([field]);
    expect(body.error).toBe(body.fields[field]);
    expect(await listAll()).toEqual(before);
  });

  it.each([
    ['no body at all', undefined],
    ['a JSON array', '[]'],
    ['a JSON string', '"Buy milk"'],
    ['JSON null', 'null'],
    ['a JSON number', '42'],
  ])('answers 400 validation_failed in its own words, not a library message, for %s', async (_case, raw) => {
    const before = await listAll();
    const response = await ctx.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: raw === undefined ? owner.auth : { ...owner.auth, 'content-type': 'application/json' },
      ...(raw === undefined ? {} : { payload: raw }),
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('validation_failed');
    expect(typeof body.error).toBe('string');
    expect(body.error).not.toMatch(LIBRARY_WORDING);
    for (const message of Object.values(body.fields ?? {})) expect(message).not.toMatch(LIBRARY_WORDING);
    expect(await listAll()).toEqual(before);
  });
});

describe('GET /api/{user_id}/tasks/{task_id}', () => {
  it('answers 200 with exactly the task that was created', async () => {
    const created = await createTask({ title: 'Read a book', description: 'Any book' });
    const response = await get(created.id);
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json()).sort()).toEqual(TASK_KEYS);
    expect(response.json()).toEqual(created);
  });
});

describe('PUT /api/{user_id}/tasks/{task_id}', () => {
  it.each([
    [{ title: 'New title' }],
    [{ description: 'New description' }],
    [{ completed: true }],
    [{ title: 'New title', description: 'New description' }],
    [{ title: 'New title', completed: true }],
    [{ description: 'New description', completed: true }],
    [{ title: 'New title', description: 'New description', completed: true }],
  ])('changes only the fields it is sent (%j), moves updated_at and keeps created_at', async (changes) => {
    const created = await createTask({ title: 'Old title', description: 'Old description' });
    const before = await backdate(created.id);
    const response = await put(created.id, changes);
    expect(response.statusCode).toBe(200);
    const task = response.json();
    expect(Object.keys(task).sort()).toEqual(TASK_KEYS);
    expect(task).toEqual({
      ...before,
      ...changes,
      updated_at: task.updated_at,
      completed_at: 'completed' in changes && changes.completed ? task.completed_at : null,
    });
    if ('completed' in changes && changes.completed) expect(task.completed_at).toBe(task.updated_at);
    expect(task.created_at).toBe(LONG_AGO.toISOString());
    expect(task.updated_at).toMatch(ISO_UTC);
    expect(Date.parse(task.updated_at)).toBeGreaterThan(LONG_AGO.getTime());
    expect(await readTask(created.id)).toEqual(task);
  });

  it('sets completed back to false when sent false', async () => {
    const created = await createTask({ title: 'Done then undone' });
    expect((await put(created.id, { completed: true })).json().completed).toBe(true);
    const response = await put(created.id, { completed: false });
    expect(response.statusCode).toBe(200);
    expect(response.json().completed).toBe(false);
    expect((await readTask(created.id)).completed).toBe(false);
  });

  it('trims the title and description it is sent', async () => {
    const created = await createTask({ title: 'Untrimmed' });
    const response = await put(created.id, { title: '  Trimmed title ', description: '\n Trimmed description  ' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ title: 'Trimmed title', description: 'Trimmed description' });
    expect(await readTask(created.id)).toMatchObject({ title: 'Trimmed title', description: 'Trimmed description' });
  });

  it.each([
    ['an empty', ''],
    ['a blank', '    '],
  ])('clears the description when sent %s one', async (_case, description) => {
    const created = await createTask({ title: 'Has details', description: 'Some details' });
    const response = await put(created.id, { description });
    expect(response.statusCode).toBe(200);
    expect(response.json().description).toBeNull();
    expect(response.json().title).toBe('Has details');
    expect((await readTask(created.id)).description).toBeNull();
  });

  it('ignores an id, owner and timestamps sent by the client', async () => {
    const created = await createTask({ title: 'Mine' });
    const before = await backdate(created.id);
    const response = await put(created.id, {
      title: 'Still mine',
      id: created.id + 1000,
      user_id: stranger.id,
      created_at: '2000-01-01T00:00:00.000Z',
      updated_at: '2000-01-01T00:00:00.000Z',
    });
    expect(response.statusCode).toBe(200);
    const task = response.json();
    expect(task.id).toBe(created.id);
    expect(task.user_id).toBe(owner.id);
    expect(task.created_at).toBe(before.created_at);
    expect(task.updated_at).not.toMatch(/^2000-/);
    expect(Date.parse(task.updated_at)).toBeGreaterThan(LONG_AGO.getTime());
    expect(await readTask(created.id)).toEqual(task);
  });

  it.each([
    ['an empty title', { title: '' }, 'title', 'Title is required'],
    ['a blank title', { title: '   ' }, 'title', 'Title is required'],
    ['a 201-character title', { title: 'x'.repeat(201) }, 'title', 'Title must be 200 characters or less'],
    [
      'a title of 201 emoji',
      { title: '😀'.repeat(201), completed: true },
      'title',
      'Title must be 200 characters or less',
    ],
    [
      'a 1001-character description',
      { description: 'y'.repeat(1001) },
      'description',
      'Description must be 1000 characters or less',
    ],
  ])('answers 400 for %s and leaves the task unchanged', async (_case, payload, field, message) => {
    const created = await createTask({ title: 'Unchanged', description: 'As it was' });
    expectValidationError(await put(created.id, payload), field, message);
    expect(await readTask(created.id)).toEqual(created);
  });

  it.each([
    ['completed', { completed: 'yes' }],
    ['completed', { completed: 'true' }],
    ['completed', { completed: 1 }],
    ['completed', { completed: null }],
    ['title', { title: 5 }],
    ['title', { title: false }],
    ['description', { description: 5 }],
    ['description', { description: { text: 'x' } }],
  ])(
    'answers 400 validation_failed, never 500, for a wrongly typed %s (%j) and leaves the task unchanged',
    async (field, payload) => {
      const created = await createTask({ title: 'Typed', description: 'Typed' });
      const response = await put(created.id, payload);
      expect(response.statusCode).toBe(400);
      const body = response.json();
      expect(body.code).toBe('validation_failed');
      expect(Object.keys(body.fields)).toEqual([field]);
      expect(body.error).toBe(body.fields[field]);
      expect(await readTask(created.id)).toEqual(created);
    },
  );
});

describe('PATCH /api/{user_id}/tasks/{task_id}/complete', () => {
  it('flips completed to true and back to false, moving only completed, completed_at and updated_at', async () => {
    const created = await createTask({ title: 'Toggle me', description: 'Twice' });
    const before = await backdate(created.id);

    const first = await patchComplete(created.id);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      ...before,
      completed: true,
      completed_at: first.json().updated_at,
      updated_at: first.json().updated_at,
    });
    expect(Date.parse(first.json().updated_at)).toBeGreaterThan(LONG_AGO.getTime());
    expect(await readTask(created.id)).toEqual(first.json());

    const flippedOnce = await backdate(created.id);
    const second = await patchComplete(created.id);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({
      ...flippedOnce,
      completed: false,
      completed_at: null,
      updated_at: second.json().updated_at,
    });
    expect(second.json().created_at).toBe(LONG_AGO.toISOString());
    expect(Date.parse(second.json().updated_at)).toBeGreaterThan(LONG_AGO.getTime());
    expect(await readTask(created.id)).toEqual(second.json());
  });
});

describe('DELETE /api/{user_id}/tasks/{task_id}', () => {
  it('answers 200 with a message, after which the task is gone', async () => {
    const created = await createTask({ title: 'Delete me' });
    const response = await remove(created.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: 'Task deleted successfully' });

    const afterwards = await get(created.id);
    expect(afterwards.statusCode).toBe(404);
    expect(afterwards.json()).toEqual(TASK_NOT_FOUND);
    expect((await listAll()).map((t) => t.id)).not.toContain(created.id);
  });

  it('answers 404 task_not_found when the task was already deleted', async () => {
    const created = await createTask({ title: 'Delete me twice' });
    expect((await remove(created.id)).statusCode).toBe(200);
    for (const response of [
      await remove(created.id),
      await put(created.id, { title: 'Back?' }),
      await patchComplete(created.id),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual(TASK_NOT_FOUND);
    }
    expect((await listAll()).map((t) => t.id)).not.toContain(created.id);
  });

  it('deletes only the task it names', async () => {
    const doomed = await createTask({ title: 'Doomed' });
    const survivor = await createTask({ title: 'Survivor' });
    expect((await remove(doomed.id)).statusCode).toBe(200);
    expect(await readTask(survivor.id)).toEqual(survivor);
  });
});

describe('a task id that is not one of the user’s tasks', () => {
  const requests = [
    ['GET', (id: string) => get(id)],
    ['PUT', (id: string) => put(id, { title: 'Valid title', description: 'Valid', completed: true })],
    ['PATCH complete', (id: string) => patchComplete(id)],
    ['DELETE', (id: string) => remove(id)],
  ] as const;
  const ids = ['999999', 'abc', '1.5', '-1', '0', '99999999999', '2147483648', '1e3', '%20'];

  describe.each(requests)('%s', (_verb, send) => {
    it.each(ids)('answers 404 task_not_found for the id %j and touches no task', async (id) => {
      const bystander = await createTask({ title: 'Bystander' });
      const response = await send(id);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual(TASK_NOT_FOUND);
      expect(await readTask(bystander.id)).toEqual(bystander);
    });
  });
});
