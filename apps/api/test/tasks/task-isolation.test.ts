import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUpUser, useTestApp, type SignedUpUser } from '../support/test-app.js';

const ctx = useTestApp();

const FORBIDDEN = { error: 'Access denied to this resource', code: 'forbidden' };
const TASK_NOT_FOUND = { error: 'Task not found', code: 'task_not_found' };
const AUTH_REQUIRED = { error: 'Authentication required', code: 'auth_required' };
const INVALID_TOKEN = { error: 'Invalid or malformed token', code: 'invalid_token' };

let alice: SignedUpUser;
let bob: SignedUpUser;
let alicesTask: { id: number };
let alicesDoneTask: { id: number };
let bobsTask: { id: number };

async function createTask(user: SignedUpUser, title: string) {
  const response = await ctx.app.inject({
    method: 'POST',
    url: `/api/${user.id}/tasks`,
    headers: user.auth,
    payload: { title, description: `${title}, in detail`, tags: ['plan', 'shared-tag'], priority: 'high' },
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

beforeAll(async () => {
  alice = await signUpUser(ctx.app, { name: 'Alice' });
  bob = await signUpUser(ctx.app, { name: 'Bob' });
  alicesTask = await createTask(alice, 'Alice private plan');
  alicesDoneTask = await createTask(alice, 'Alice finished plan');
  const done = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/${alice.id}/tasks/${alicesDoneTask.id}/complete`,
    headers: alice.auth,
  });
  expect(done.statusCode).toBe(200);
  bobsTask = await createTask(bob, 'Bob own plan');
});

/** Everything Alice can see, read as Alice: her two tasks and her whole list. */
async function alicesView() {
  const read = (url: string) => ctx.app.inject({ method: 'GET', url, headers: alice.auth });
  const [task, doneTask, list, counts, tags] = await Promise.all([
    read(`/api/${alice.id}/tasks/${alicesTask.id}`),
    read(`/api/${alice.id}/tasks/${alicesDoneTask.id}`),
    read(`/api/${alice.id}/tasks?limit=500`),
    read(`/api/${alice.id}/tasks/counts`),
    read(`/api/${alice.id}/tags`),
  ]);
  expect([task, doneTask, list, counts, tags].map((response) => response.statusCode)).toEqual([
    200, 200, 200, 200, 200,
  ]);
  return {
    task: task.json(),
    doneTask: doneTask.json(),
    list: list.json(),
    counts: counts.json(),
    tags: tags.json(),
  };
}

interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: (userId: string, taskId: number | string) => string;
  payload?: object;
}

const listRoutes: Route[] = [
  { name: 'GET the task list', method: 'GET', path: (u) => `/api/${u}/tasks` },
  { name: 'POST a new task', method: 'POST', path: (u) => `/api/${u}/tasks`, payload: { title: 'Planted by Bob' } },
  { name: 'GET a searched, filtered list', method: 'GET', path: (u) => `/api/${u}/tasks?q=plan&tag=x&sort=title` },
  { name: 'GET the task counts', method: 'GET', path: (u) => `/api/${u}/tasks/counts` },
  { name: 'GET the tags', method: 'GET', path: (u) => `/api/${u}/tags` },
  { name: 'DELETE the completed tasks', method: 'DELETE', path: (u) => `/api/${u}/tasks?status=completed` },
];
const taskRoutes: Route[] = [
  { name: 'GET a task', method: 'GET', path: (u, t) => `/api/${u}/tasks/${t}` },
  {
    name: 'PUT a task',
    method: 'PUT',
    path: (u, t) => `/api/${u}/tasks/${t}`,
    payload: { title: 'Hijacked', description: 'Owned', completed: true },
  },
  { name: 'PATCH a task complete', method: 'PATCH', path: (u, t) => `/api/${u}/tasks/${t}/complete` },
  { name: 'DELETE a task', method: 'DELETE', path: (u, t) => `/api/${u}/tasks/${t}` },
];
const allRoutes = [...listRoutes, ...taskRoutes];

function send(route: Route, userId: string, taskId: number | string, headers: Record<string, string> = {}) {
  const options: InjectOptions = { method: route.method, url: route.path(userId, taskId), headers };
  if (route.payload) options.payload = route.payload;
  return ctx.app.inject(options);
}

describe('a path naming another user', () => {
  it.each(allRoutes)(
    'answers 403 forbidden when Bob tries to $name under Alice’s user id, and changes nothing',
    async (route) => {
      const before = await alicesView();
      const response = await send(route, alice.id, alicesTask.id, bob.auth);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual(FORBIDDEN);
      expect(await alicesView()).toEqual(before);
    },
  );

  const otherIds: [string, () => string][] = [
    ['Alice’s id', () => alice.id],
    ['Alice’s id in capitals', () => alice.id.toUpperCase()],
    ['a user id that does not exist', () => randomUUID()],
    ['a user id that is not a uuid', () => 'not-a-uuid'],
  ];
  it.each(otherIds)('answers 403 forbidden for the task list under %s', async (_case, userId) => {
    const response = await ctx.app.inject({ method: 'GET', url: `/api/${userId()}/tasks`, headers: bob.auth });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual(FORBIDDEN);
  });

  it.each([
    ['POST', { title: '' }],
    ['POST', { title: 42 }],
  ] as const)('answers 403 before looking at an invalid body (%s %j)', async (method, payload) => {
    const before = await alicesView();
    const response = await ctx.app.inject({ method, url: `/api/${alice.id}/tasks`, headers: bob.auth, payload });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual(FORBIDDEN);
    expect(await alicesView()).toEqual(before);
  });

  it.each(taskRoutes)(
    'answers 403, not 404, when Bob tries to $name with a bogus task id under Alice’s user id',
    async (route) => {
      const response = await send(route, alice.id, 'abc', bob.auth);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual(FORBIDDEN);
    },
  );

  it('answers 403 before looking at an invalid PUT body', async () => {
    const before = await alicesView();
    const response = await ctx.app.inject({
      method: 'PUT',
      url: `/api/${alice.id}/tasks/${alicesTask.id}`,
      headers: bob.auth,
      payload: { completed: 'yes' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual(FORBIDDEN);
    expect(await alicesView()).toEqual(before);
  });
});

describe('another user’s task under one’s own path', () => {
  it.each(taskRoutes)(
    'answers 404 task_not_found when Bob tries to $name with Alice’s task id, and changes nothing',
    async (route) => {
      const before = await alicesView();
      const response = await send(route, bob.id, alicesTask.id, bob.auth);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual(TASK_NOT_FOUND);
      expect(await alicesView()).toEqual(before);
    },
  );

  it.each(taskRoutes)('answers Bob exactly as for a task that never existed when he tries to $name', async (route) => {
    const foreign = await send(route, bob.id, alicesDoneTask.id, bob.auth);
    const missing = await send(route, bob.id, 2_000_000_000, bob.auth);
    expect(foreign.statusCode).toBe(missing.statusCode);
    expect(foreign.body).toBe(missing.body);
  });

  it('leaves Bob’s own task working while refusing him Alice’s', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/${bob.id}/tasks/${bobsTask.id}`,
      headers: bob.auth,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().user_id).toBe(bob.id);
  });
});

describe('a request without valid credentials', () => {
  const credentials: [string, Record<string, string>, object][] = [
    ['no token', {}, AUTH_REQUIRED],
    ['an empty Authorization header', { authorization: '' }, AUTH_REQUIRED],
    ['a token that is not a JWT', { authorization: 'Bearer not-a-jwt' }, INVALID_TOKEN],
    ['Basic credentials', { authorization: 'Basic YWxpY2U6c2VjcmV0' }, INVALID_TOKEN],
  ];

  describe.each(credentials)('with %s', (_case, headers, expected) => {
    it.each(allRoutes)('answers 401 to $name under Alice’s own path and changes nothing', async (route) => {
      const before = await alicesView();
      const response = await send(route, alice.id, alicesTask.id, headers);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(expected);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(await alicesView()).toEqual(before);
    });
  });

  it.each(taskRoutes)(
    'answers 401 auth_required, not 404, to $name with a bogus task id and no token',
    async (route) => {
      const response = await send(route, alice.id, 'abc');
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(AUTH_REQUIRED);
    },
  );

  it('answers 401 auth_required, not 400, to a POST with an invalid body and no token', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: `/api/${alice.id}/tasks`, payload: { title: 7 } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(AUTH_REQUIRED);
  });
});

describe('listing', () => {
  it.each(['', '?status=all', '?status=pending', '?status=completed', '?limit=500'])(
    'never shows Bob Alice’s tasks (query %j)',
    async (query) => {
      const response = await ctx.app.inject({ method: 'GET', url: `/api/${bob.id}/tasks${query}`, headers: bob.auth });
      expect(response.statusCode).toBe(200);
      const ids = response.json().map((task: { id: number }) => task.id);
      expect(ids).not.toContain(alicesTask.id);
      expect(ids).not.toContain(alicesDoneTask.id);
      expect(response.json().every((task: { user_id: string }) => task.user_id === bob.id)).toBe(true);
      expect(response.body).not.toContain('Alice');
    },
  );

  it('shows each user exactly their own tasks', async () => {
    const bobs = await ctx.app.inject({ method: 'GET', url: `/api/${bob.id}/tasks`, headers: bob.auth });
    const alices = await ctx.app.inject({ method: 'GET', url: `/api/${alice.id}/tasks`, headers: alice.auth });
    const bobsIds = bobs.json().map((task: { id: number }) => task.id);
    const alicesIds = alices.json().map((task: { id: number }) => task.id);
    expect(bobsIds).toContain(bobsTask.id);
    expect(alicesIds).toEqual(expect.arrayContaining([alicesTask.id, alicesDoneTask.id]));
    expect(bobsIds.filter((id: number) => alicesIds.includes(id))).toEqual([]);
    expect(alices.json().every((task: { user_id: string }) => task.user_id === alice.id)).toBe(true);
  });

  it('puts a task Bob creates in his own list only', async () => {
    const before = await alicesView();
    const task = await createTask(bob, 'Bob second plan');
    expect(task.user_id).toBe(bob.id);
    const bobs = await ctx.app.inject({ method: 'GET', url: `/api/${bob.id}/tasks`, headers: bob.auth });
    expect(bobs.json().map((t: { id: number }) => t.id)).toContain(task.id);
    expect(await alicesView()).toEqual(before);
  });
});

describe('searches, filters, counts and tags under one’s own path', () => {
  const read = (user: SignedUpUser, path: string) =>
    ctx.app.inject({ method: 'GET', url: `/api/${user.id}${path}`, headers: user.auth });

  it.each([
    '/tasks?q=plan',
    '/tasks?q=alice',
    '/tasks?tag=shared-tag',
    '/tasks?priority=high&sort=title',
    '/tasks?status=completed',
    '/tasks?sort=due&limit=500',
    '/tasks?sort=priority&limit=500',
  ])('show Bob only his own tasks for %s', async (path) => {
    const response = await read(bob, path);
    expect(response.statusCode).toBe(200);
    for (const task of response.json()) expect(task.user_id).toBe(bob.id);
    expect(JSON.stringify(response.json())).not.toContain('Alice');
  });

  it('count and list the tags of one’s own tasks alone', async () => {
    const dave = await signUpUser(ctx.app, { name: 'Dave' });
    const erin = await signUpUser(ctx.app, { name: 'Erin' });
    await createTask(dave, 'Dave plan');
    for (const title of ['Erin one', 'Erin two']) await createTask(erin, title);
    expect((await read(dave, '/tasks/counts?tag=shared-tag')).json()).toEqual({
      all: 1,
      pending: 1,
      completed: 0,
      overdue: 0,
    });
    expect((await read(dave, '/tags')).json()).toEqual([
      { tag: 'plan', count: 1 },
      { tag: 'shared-tag', count: 1 },
    ]);
    expect((await read(erin, '/tags')).json()).toEqual([
      { tag: 'plan', count: 2 },
      { tag: 'shared-tag', count: 2 },
    ]);
  });

  it('clear Bob’s completed tasks without touching Alice’s', async () => {
    const carol = await signUpUser(ctx.app, { name: 'Carol' });
    const before = await alicesView();
    const response = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/${carol.id}/tasks?status=completed`,
      headers: carol.auth,
    });
    expect(response.json()).toEqual({ deleted: 0 });
    expect(await alicesView()).toEqual(before);
  });
});
