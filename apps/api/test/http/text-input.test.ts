import { eq, like } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { tasks, users } from '../../src/db/schema.js';
import { signUpUser, uniqueEmail, useTestApp, type SignedUpUser } from '../support/test-app.js';

// Text a person cannot see, and control characters (NUL above all, which PostgreSQL cannot store),
// in every text field and path parameter: 400 validation_failed naming the field, never a 500.

const ctx = useTestApp();

let user: SignedUpUser;
let taskId: number;
beforeAll(async () => {
  user = await signUpUser(ctx.app);
  const created = await ctx.app.inject({
    method: 'POST',
    url: `/api/${user.id}/tasks`,
    headers: user.auth,
    payload: { title: 'Untouched', description: 'as it was' },
  });
  taskId = created.json().id;
});

const invalid = (field: string, message: string) => ({
  error: message,
  code: 'validation_failed',
  fields: { [field]: message },
});

// Each only invisible: spaces of every kind, format characters and fillers.
const invisible: Array<[string, string]> = [
  ['zero-width spaces', '\u200B\u200B'],
  ['a soft hyphen', '\u00AD'],
  ['zero-width joiners and a word joiner', '\u200D\u200C\u2060'],
  ['a byte order mark', '\uFEFF'],
  ['bidi marks', '\u200E\u200F'],
  ['a Hangul filler', '\u3164'],
  ['a blank Braille pattern', '\u2800'],
  ['a variation selector between spaces', ' \uFE0F '],
];

const controls: Array<[string, string]> = [
  ['NUL', 'Buy\u0000milk'],
  ['NUL alone', '\u0000'],
  ['BEL', 'Buy\u0007milk'],
  ['an escape sequence', '\u001B[2JBuy milk'],
  ['DEL', 'Buy milk\u007F'],
  ['a C1 control (NEL)', 'Buy\u0085milk'],
];

describe('POST /api/auth/signup with a name', () => {
  it.each(invisible)('of only %s answers 400 "Name is required" and creates no account', async (_case, name) => {
    const email = uniqueEmail('blank');
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { name, email, password: 'correct horse battery' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(invalid('name', 'Name is required'));
    expect(await ctx.database.db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it.each(controls)('with %s answers 400 and creates no account', async (_case, name) => {
    const email = uniqueEmail('control');
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { name, email, password: 'correct horse battery' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(invalid('name', 'Name must not contain control characters'));
    expect(await ctx.database.db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it('keeps a name with a zero-width joiner inside an emoji and a visible letter', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { name: 'Ann 👩\u200D💻', email: uniqueEmail(), password: 'correct horse battery' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().user.name).toBe('Ann 👩\u200D💻');
  });
});

describe('a task title', () => {
  const tagged = (marker: string) =>
    ctx.database.db
      .select()
      .from(tasks)
      .where(like(tasks.title, `%${marker}%`));

  it.each(invisible)('of only %s answers 400 "Title is required" on create and on update', async (_case, title) => {
    const create = await ctx.app.inject({
      method: 'POST',
      url: `/api/${user.id}/tasks`,
      headers: user.auth,
      payload: { title },
    });
    expect(create.statusCode).toBe(400);
    expect(create.json()).toEqual(invalid('title', 'Title is required'));
    const update = await ctx.app.inject({
      method: 'PUT',
      url: `/api/${user.id}/tasks/${taskId}`,
      headers: user.auth,
      payload: { title },
    });
    expect(update.statusCode).toBe(400);
    expect(update.json()).toEqual(invalid('title', 'Title is required'));
    expect((await tagged('Untouched')).map((task) => task.title)).toEqual(['Untouched']);
  });

  it.each(controls)('with %s answers 400 on create and on update, never 500', async (_case, title) => {
    const message = 'Title must not contain control characters';
    const create = await ctx.app.inject({
      method: 'POST',
      url: `/api/${user.id}/tasks`,
      headers: user.auth,
      payload: { title },
    });
    expect(create.statusCode).toBe(400);
    expect(create.json()).toEqual(invalid('title', message));
    const update = await ctx.app.inject({
      method: 'PUT',
      url: `/api/${user.id}/tasks/${taskId}`,
      headers: user.auth,
      payload: { title },
    });
    expect(update.statusCode).toBe(400);
    expect(update.json()).toEqual(invalid('title', message));
    expect(await tagged('milk')).toEqual([]);
  });
});

describe('a task description', () => {
  it.each(controls)('with %s answers 400 on create and on update, never 500', async (_case, description) => {
    const message = 'Description must not contain control characters';
    const create = await ctx.app.inject({
      method: 'POST',
      url: `/api/${user.id}/tasks`,
      headers: user.auth,
      payload: { title: 'Refused description', description },
    });
    expect(create.statusCode).toBe(400);
    expect(create.json()).toEqual(invalid('description', message));
    const update = await ctx.app.inject({
      method: 'PUT',
      url: `/api/${user.id}/tasks/${taskId}`,
      headers: user.auth,
      payload: { description },
    });
    expect(update.statusCode).toBe(400);
    expect(update.json()).toEqual(invalid('description', message));
    const [task] = await ctx.database.db.select().from(tasks).where(eq(tasks.id, taskId));
    expect(task!.description).toBe('as it was');
  });

  it('keeps tabs and line breaks', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/${user.id}/tasks`,
      headers: user.auth,
      payload: { title: 'Shopping', description: 'milk\r\n\teggs\nbread' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().description).toBe('milk\r\n\teggs\nbread');
  });
});

describe('control characters in path parameters', () => {
  const cases: Array<[string, () => InjectOptions, number, object]> = [
    [
      'DELETE /api/auth/sessions/{id} with NUL',
      () => ({ method: 'DELETE', url: '/api/auth/sessions/a%00b', headers: user.auth }),
      400,
      invalid('sessionId', 'Session id must not contain control characters'),
    ],
    [
      'DELETE /api/auth/sessions/{id} with ESC',
      () => ({ method: 'DELETE', url: '/api/auth/sessions/a%1Bb', headers: user.auth }),
      400,
      invalid('sessionId', 'Session id must not contain control characters'),
    ],
    [
      'GET /api/{user_id}/tasks with NUL in the user id',
      () => ({ method: 'GET', url: '/api/a%00b/tasks', headers: user.auth }),
      403,
      { error: 'Access denied to this resource', code: 'forbidden' },
    ],
    [
      'GET /api/{user_id}/tasks/{task_id} with NUL in the task id',
      () => ({ method: 'GET', url: `/api/${user.id}/tasks/1%00`, headers: user.auth }),
      404,
      { error: 'Task not found', code: 'task_not_found' },
    ],
  ];

  it.each(cases)('%s is answered in the contract shape, never 500', async (_case, request, status, body) => {
    const response = await ctx.app.inject(request());
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual(body);
  });
});
