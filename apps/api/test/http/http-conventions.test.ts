import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUpUser, uniqueEmail, useTestApp, type SignedUpUser } from '../support/test-app.js';

const ALLOWED_ORIGIN = 'http://localhost:5173';
const ctx = useTestApp({ ALLOWED_ORIGINS: [ALLOWED_ORIGIN] });
const FOREIGN_ORIGIN = 'https://evil.example';
const BODY_LIMIT = 64 * 1024;

let user: SignedUpUser;
let taskId: number;

beforeAll(async () => {
  user = await signUpUser(ctx.app);
  const created = await ctx.app.inject({
    method: 'POST',
    url: `/api/${user.id}/tasks`,
    headers: user.auth,
    payload: { title: 'Conventions' },
  });
  expect(created.statusCode).toBe(201);
  taskId = created.json().id;
});

const tasksUrl = () => `/api/${user.id}/tasks`;
const taskUrl = () => `/api/${user.id}/tasks/${taskId}`;
const json = { 'content-type': 'application/json' };

async function readTask() {
  const response = await ctx.app.inject({ method: 'GET', url: taskUrl(), headers: user.auth });
  expect(response.statusCode).toBe(200);
  return response.json();
}

/** A signup body padded with an ignored field to exactly `bytes` bytes of JSON. */
function signupBodyOfSize(bytes: number, email: string): string {
  const base = { name: 'Padded', email, password: 'correct horse battery', padding: '' };
  const overhead = Buffer.byteLength(JSON.stringify(base));
  const body = JSON.stringify({ ...base, padding: 'p'.repeat(bytes - overhead) });
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}

async function canSignIn(email: string): Promise<boolean> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/signin',
    payload: { email, password: 'correct horse battery' },
  });
  return response.statusCode === 200;
}

function expectErrorShape(body: Record<string, unknown>, code: string) {
  expect(body.code).toBe(code);
  expect(typeof body.error).toBe('string');
  expect((body.error as string).length).toBeGreaterThan(0);
  expect(
    Object.keys(body)
      .filter((key) => key !== 'fields')
      .sort(),
  ).toEqual(['code', 'error']);
}

describe('request bodies', () => {
  it.each([
    ['a truncated object', '{"name": "Ann", '],
    ['unquoted keys', '{name: "Ann"}'],
    ['single quotes', "{'name': 'Ann'}"],
    ['a trailing comma', '{"name": "Ann",}'],
    ['plain words', 'not json at all'],
  ])('answers 400 invalid_json with a sentence for %s, and creates no account', async (_case, payload) => {
    const email = uniqueEmail('badjson');
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      headers: json,
      payload: payload.replace('Ann', email),
    });
    expect(response.statusCode).toBe(400);
    expectErrorShape(response.json(), 'invalid_json');
    expect(await canSignIn(email)).toBe(false);
  });

  it('answers 400 invalid_json to malformed JSON on an authenticated route and leaves the task unchanged', async () => {
    const before = await readTask();
    const response = await ctx.app.inject({
      method: 'PUT',
      url: taskUrl(),
      headers: { ...user.auth, ...json },
      payload: '{"title": "Half',
    });
    expect(response.statusCode).toBe(400);
    expectErrorShape(response.json(), 'invalid_json');
    expect(await readTask()).toEqual(before);
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const email = uniqueEmail('fits');
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      headers: json,
      payload: signupBodyOfSize(BODY_LIMIT, email),
    });
    expect(response.statusCode).toBe(201);
    expect(await canSignIn(email)).toBe(true);
  });

  it.each([
    ['one byte over 64 KiB', BODY_LIMIT + 1],
    ['1 MiB', 1024 * 1024],
  ])('answers 413 payload_too_large to a body of %s, and creates no account', async (_case, bytes) => {
    const email = uniqueEmail('huge');
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      headers: json,
      payload: signupBodyOfSize(bytes, email),
    });
    expect(response.statusCode).toBe(413);
    expectErrorShape(response.json(), 'payload_too_large');
    expect(await canSignIn(email)).toBe(false);
  });

  it('answers 413 payload_too_large, not a validation error, to an oversized task and creates nothing', async () => {
    const before = await ctx.app.inject({ method: 'GET', url: `${tasksUrl()}?limit=500`, headers: user.auth });
    const response = await ctx.app.inject({
      method: 'POST',
      url: tasksUrl(),
      headers: user.auth,
      payload: { title: 'Huge', description: 'd'.repeat(100_000) },
    });
    expect(response.statusCode).toBe(413);
    expectErrorShape(response.json(), 'payload_too_large');
    const after = await ctx.app.inject({ method: 'GET', url: `${tasksUrl()}?limit=500`, headers: user.auth });
    expect(after.json()).toEqual(before.json());
  });

  it('toggles a task when PATCH .../complete carries Content-Type application/json and an empty body', async () => {
    const before = await readTask();
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: `${taskUrl()}/complete`,
      headers: { ...user.auth, ...json },
      payload: '',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().completed).toBe(!before.completed);
    expect((await readTask()).completed).toBe(!before.completed);
  });

  it('deletes a task when DELETE carries Content-Type application/json and an empty body', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: tasksUrl(),
      headers: user.auth,
      payload: { title: 'Short-lived' },
    });
    const url = `${tasksUrl()}/${created.json().id}`;
    const response = await ctx.app.inject({ method: 'DELETE', url, headers: { ...user.auth, ...json }, payload: '' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: 'Task deleted successfully' });
    expect((await ctx.app.inject({ method: 'GET', url, headers: user.auth })).statusCode).toBe(404);
  });
});

describe('content types', () => {
  const UNSUPPORTED = { error: 'Send the request body as application/json', code: 'unsupported_media_type' };

  it.each([
    ['text/plain', 'text/plain'],
    ['text/plain with a charset', 'text/plain; charset=utf-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['a multipart form', 'multipart/form-data; boundary=xyz'],
    ['XML', 'application/xml'],
    ['an octet stream', 'application/octet-stream'],
  ])(
    'answers 415 unsupported_media_type to a signup sent as %s, even when the text is JSON, and creates no account',
    async (_case, type) => {
      const email = uniqueEmail('mediatype');
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        headers: { 'content-type': type },
        payload: JSON.stringify({ name: 'Ann', email, password: 'correct horse battery' }),
      });
      expect(response.statusCode).toBe(415);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual(UNSUPPORTED);
      expect(await canSignIn(email)).toBe(false);
    },
  );

  it('answers 415 to a text/plain task update (a form any site can post without a preflight) and leaves the task unchanged', async () => {
    const before = await readTask();
    const response = await ctx.app.inject({
      method: 'PUT',
      url: taskUrl(),
      headers: { ...user.auth, 'content-type': 'text/plain' },
      payload: '{"title": "Changed by a plain-text post"}',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual(UNSUPPORTED);
    expect(await readTask()).toEqual(before);
  });

  it('still reads application/json with a charset parameter', async () => {
    const email = uniqueEmail('charset');
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify({ name: 'Ann', email, password: 'correct horse battery' }),
    });
    expect(response.statusCode).toBe(201);
    expect(await canSignIn(email)).toBe(true);
  });
});

describe('URLs the router cannot take apart', () => {
  const NOT_FOUND = { error: 'Not found', code: 'not_found' };

  it.each([
    ['bad percent-encoding in the user id', '/api/%zz/tasks'],
    ['bad percent-encoding in the task id', `/api/00000000-0000-4000-8000-000000000000/tasks/%E0%A4%A`],
    ['a user id segment of 101 characters', `/api/${'u'.repeat(101)}/tasks`],
    ['a task id segment of 101 characters', `/api/00000000-0000-4000-8000-000000000000/tasks/${'1'.repeat(101)}`],
  ])('answers 404 not_found with X-Request-Id and Cache-Control no-store to %s', async (_case, url) => {
    const response = await ctx.app.inject({ method: 'GET', url, headers: user.auth });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual(NOT_FOUND);
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
    expect(String(response.headers['x-request-id']).length).toBeGreaterThan(0);
    expect(String(response.headers['cache-control'])).toMatch(/\bno-store\b/);
  });

  it('echoes a valid incoming request id on such an answer', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/api/%zz/tasks',
      headers: { 'x-request-id': 'bad-url-42' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers['x-request-id']).toBe('bad-url-42');
  });

  it('changes nothing when the unroutable URL is a DELETE', async () => {
    const before = await readTask();
    const response = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/${user.id}/tasks/%zz${taskId}`,
      headers: user.auth,
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual(NOT_FOUND);
    expect(await readTask()).toEqual(before);
  });
});

describe('unknown routes and methods', () => {
  it.each([
    ['GET', '/api/nope'],
    ['GET', '/api/auth/nope'],
    ['POST', '/nope'],
    ['GET', '/api/00000000-0000-4000-8000-000000000000/things'],
    ['GET', '/api/00000000-0000-4000-8000-000000000000/tasks/1/nope'],
  ] as const)('answers 404 not_found to %s %s', async (method, url) => {
    const response = await ctx.app.inject({ method, url, headers: user.auth });
    expect(response.statusCode).toBe(404);
    expectErrorShape(response.json(), 'not_found');
  });

  it.each([
    ['GET', '/api/auth/signup', ['POST'], []],
    ['PUT', '/api/{id}/tasks', ['GET', 'POST', 'DELETE'], ['PUT']],
    ['POST', '/api/{id}/tasks/counts', ['GET'], ['POST']],
    ['DELETE', '/api/{id}/tags', ['GET'], ['DELETE']],
    ['POST', '/api/{id}/tasks/1', ['GET', 'PUT', 'DELETE'], ['POST']],
    ['GET', '/api/{id}/tasks/1/complete', ['PATCH'], ['GET']],
  ] as const)(
    'answers 405 method_not_allowed with an Allow header to %s %s',
    async (method, path, allowed, refused) => {
      const before = await ctx.app.inject({ method: 'GET', url: `${tasksUrl()}?limit=500`, headers: user.auth });
      const response = await ctx.app.inject({ method, url: path.replace('{id}', user.id), headers: user.auth });
      expect(response.statusCode).toBe(405);
      expectErrorShape(response.json(), 'method_not_allowed');
      const allow = String(response.headers.allow ?? '')
        .split(',')
        .map((m) => m.trim());
      expect(allow).toEqual(expect.arrayContaining([...allowed]));
      for (const method of refused) expect(allow).not.toContain(method);
      const after = await ctx.app.inject({ method: 'GET', url: `${tasksUrl()}?limit=500`, headers: user.auth });
      expect(after.json()).toEqual(before.json());
    },
  );
});

// One request per kind of answer; the headers and bodies below must hold for all of them.
const answers: [string, number, () => InjectOptions][] = [
  ['a success', 200, () => ({ method: 'GET', url: tasksUrl(), headers: user.auth })],
  ['a creation', 201, () => ({ method: 'POST', url: tasksUrl(), headers: user.auth, payload: { title: 'Counted' } })],
  [
    'a validation failure',
    400,
    () => ({ method: 'POST', url: tasksUrl(), headers: user.auth, payload: { title: 5, description: [] } }),
  ],
  [
    'a query validation failure',
    400,
    () => ({ method: 'GET', url: `${tasksUrl()}?limit=abc&status=x`, headers: user.auth }),
  ],
  ['malformed JSON', 400, () => ({ method: 'POST', url: '/api/auth/signup', headers: json, payload: '{"a":' })],
  ['a missing token', 401, () => ({ method: 'GET', url: tasksUrl() })],
  ['a garbage token', 401, () => ({ method: 'GET', url: tasksUrl(), headers: { authorization: 'Bearer x.y.z' } })],
  [
    'another user’s path',
    403,
    () => ({ method: 'GET', url: '/api/00000000-0000-4000-8000-000000000000/tasks', headers: user.auth }),
  ],
  ['an unknown task', 404, () => ({ method: 'GET', url: `${tasksUrl()}/99999999999`, headers: user.auth })],
  [
    'an out-of-range task id on PUT',
    404,
    () => ({ method: 'PUT', url: `${tasksUrl()}/2147483648`, headers: user.auth, payload: { title: 'x' } }),
  ],
  ['an unknown route', 404, () => ({ method: 'GET', url: '/api/nope' })],
  ['a wrong method', 405, () => ({ method: 'GET', url: '/api/auth/signup' })],
  [
    'an oversized body',
    413,
    () => ({
      method: 'POST',
      url: '/api/auth/signup',
      headers: json,
      payload: JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT) }),
    }),
  ],
  [
    'a text/plain body',
    415,
    () => ({
      method: 'POST',
      url: tasksUrl(),
      headers: { ...user.auth, 'content-type': 'text/plain' },
      payload: '{"title":"x"}',
    }),
  ],
  ['a badly percent-encoded URL', 404, () => ({ method: 'GET', url: '/api/%zz/tasks', headers: user.auth })],
  [
    'a path segment over 100 characters',
    404,
    () => ({ method: 'GET', url: `/api/${'u'.repeat(101)}/tasks`, headers: user.auth }),
  ],
];
const errorAnswers = answers.filter(([, status]) => status >= 400);

describe('X-Request-Id', () => {
  it.each(answers)('is on %s (%i)', async (_case, status, request) => {
    const response = await ctx.app.inject(request());
    expect(response.statusCode).toBe(status);
    expect(typeof response.headers['x-request-id']).toBe('string');
    expect(String(response.headers['x-request-id']).length).toBeGreaterThan(0);
  });

  it('is on GET /health and differs between requests when none is sent', async () => {
    const first = await ctx.app.inject({ method: 'GET', url: '/health' });
    const second = await ctx.app.inject({ method: 'GET', url: '/health' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-request-id']).toEqual(expect.any(String));
    expect(second.headers['x-request-id']).toEqual(expect.any(String));
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });

  it.each(['req-123', '3f0c9a7e-2b4d-4e8f-9a1b-5c6d7e8f9a0b', 'trace.id:42_x'])(
    'echoes the valid incoming id %j',
    async (id) => {
      const ok = await ctx.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': id } });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-request-id']).toBe(id);
      const failed = await ctx.app.inject({ method: 'GET', url: tasksUrl(), headers: { 'x-request-id': id } });
      expect(failed.statusCode).toBe(401);
      expect(failed.headers['x-request-id']).toBe(id);
    },
  );

  it.each([
    ['one with spaces', 'has some spaces'],
    ['a 300-character one', 'r'.repeat(300)],
    ['one with markup', '<script>alert(1)</script>'],
    ['one with a line-break escape', 'abc\\n{"level":60}'],
  ])('replaces %s with a generated id', async (_case, id) => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': id } });
    expect(response.statusCode).toBe(200);
    const answered = response.headers['x-request-id'];
    expect(typeof answered).toBe('string');
    expect(answered).not.toBe(id);
    expect(String(answered)).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });
});

describe('error bodies', () => {
  const leaks: [string, RegExp][] = [
    ['a stack trace', /stack/i],
    ['a stack frame', /\bat [\w$.<>]+ \(|\n\s+at |\.(?:[cm]?js|ts):\d+/],
    ['a Fastify error code', /FST_/],
    [
      'SQL',
      /\bselect\b[\s\S]*\bfrom\b|\binsert\s+into\b|\bdelete\s+from\b|\bupdate\s+\S+\s+set\b|violates|syntax error at|SQLSTATE|\brelation\b/i,
    ],
    ['a validation library message', /invalid input|expected \w+, received/i],
  ];

  it.each(errorAnswers)('for %s (%i) have the contract shape and leak nothing', async (_case, status, request) => {
    const response = await ctx.app.inject(request());
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json();
    expect(typeof body.code).toBe('string');
    expectErrorShape(body, body.code);
    if (body.fields !== undefined) {
      expect(body.code).toBe('validation_failed');
      expect(Object.values(body.fields)).toContain(body.error);
    }
    for (const [, pattern] of leaks) expect(response.body).not.toMatch(pattern);
  });

  it.each([
    ['signup', '/api/auth/signup'],
    ['signin', '/api/auth/signin'],
  ])('for a JSON array posted to %s are 400 validation_failed in the API’s own words', async (_case, url) => {
    const response = await ctx.app.inject({ method: 'POST', url, headers: json, payload: '[]' });
    expect(response.statusCode).toBe(400);
    expectErrorShape(response.json(), 'validation_failed');
    for (const [, pattern] of leaks) expect(response.body).not.toMatch(pattern);
  });
});

describe('Cache-Control', () => {
  // Every request in the table above is under /api.
  it.each(answers)('is no-store on %s (%i) under /api', async (_case, status, request) => {
    const options = request();
    expect(String(options.url as string)).toMatch(/^\/api\//);
    const response = await ctx.app.inject(options);
    expect(response.statusCode).toBe(status);
    expect(String(response.headers['cache-control'])).toMatch(/\bno-store\b/);
  });
});

describe('health and documentation', () => {
  it('answers GET /health with 200 {"status":"ok"}', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers GET /health/ready with 200 and the database ok', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('serves an OpenAPI 3 document at /docs/json listing the auth and task paths', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/signup',
        '/api/auth/signin',
        '/api/{userId}/tasks',
        '/api/{userId}/tasks/{taskId}',
        '/api/{userId}/tasks/{taskId}/complete',
        '/api/{userId}/tasks/counts',
        '/api/{userId}/tags',
      ]),
    );
    expect(Object.keys(doc.paths['/api/{userId}/tasks'])).toEqual(expect.arrayContaining(['get', 'post', 'delete']));
    expect(Object.keys(doc.paths['/api/auth/me'])).toEqual(expect.arrayContaining(['get', 'patch']));
    const listParameters = doc.paths['/api/{userId}/tasks'].get.parameters.map((p: { name: string }) => p.name);
    expect(listParameters).toEqual(
      expect.arrayContaining(['status', 'q', 'priority', 'tag', 'due', 'tz', 'sort', 'limit', 'offset', 'cursor']),
    );
  });

  it('serves the documentation UI at /docs', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/docs' });
    if (response.statusCode >= 300 && response.statusCode < 400) {
      expect(String(response.headers.location)).toContain('/docs');
    } else {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
    }
  });
});

describe('CORS', () => {
  const preflight = (origin: string, url: string, method: string, headers = 'content-type') =>
    ctx.app.inject({
      method: 'OPTIONS',
      url,
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
    });

  it('answers a preflight from the allowed origin with that origin and credentials allowed', async () => {
    const response = await preflight(ALLOWED_ORIGIN, '/api/auth/signup', 'POST');
    expect(response.statusCode).toBeGreaterThanOrEqual(200);
    expect(response.statusCode).toBeLessThan(300);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
  });

  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])(
    'lets the allowed origin send %s with an Authorization header to the task routes',
    async (method) => {
      const url =
        method === 'PATCH' ? `${taskUrl()}/complete` : method === 'GET' || method === 'POST' ? tasksUrl() : taskUrl();
      const response = await preflight(ALLOWED_ORIGIN, url, method, 'authorization, content-type');
      expect(response.statusCode).toBeGreaterThanOrEqual(200);
      expect(response.statusCode).toBeLessThan(300);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      const methods = String(response.headers['access-control-allow-methods'] ?? '')
        .split(',')
        .map((m) => m.trim().toUpperCase());
      expect(methods).toContain(method);
      expect(String(response.headers['access-control-allow-headers'] ?? '').toLowerCase()).toContain('authorization');
    },
  );

  it('answers an actual request from the allowed origin with that origin', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: tasksUrl(),
      headers: { ...user.auth, origin: ALLOWED_ORIGIN },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(String(response.headers.vary)).toMatch(/origin/i);
  });

  it.each([
    ['a preflight', () => preflight(FOREIGN_ORIGIN, '/api/auth/signup', 'POST')],
    ['an actual request', () => ctx.app.inject({ method: 'GET', url: '/health', headers: { origin: FOREIGN_ORIGIN } })],
    [
      'a preflight from a look-alike origin',
      () => preflight('http://localhost:5173.evil.example', '/api/auth/signup', 'POST'),
    ],
  ])('gives a disallowed origin no Access-Control-Allow-Origin on %s', async (_case, send) => {
    const response = await send();
    expect(response.statusCode).toBeLessThan(500);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
