import http from 'node:http';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUpUser, uniqueEmail, useTestApp, type SignedUpUser, type TestContext } from '../support/test-app.js';

const ONE_YEAR_SECONDS = 31_536_000;

/** The max-age of a Strict-Transport-Security header, checked to cover subdomains too. */
function expectHsts(response: LightMyRequestResponse) {
  const header = response.headers['strict-transport-security'];
  expect(header).toEqual(expect.any(String));
  const maxAge = /(?:^|;)\s*max-age=(\d+)/i.exec(header as string);
  expect(maxAge).not.toBeNull();
  expect(Number(maxAge![1])).toBeGreaterThanOrEqual(ONE_YEAR_SECONDS);
  expect(header).toMatch(/includeSubDomains/i);
}

function expectNoHsts(response: LightMyRequestResponse) {
  expect(response.headers).not.toHaveProperty('strict-transport-security');
}

/** A few different kinds of answer: success, validation error, 401 and unknown route. */
function sampleRequests(
  app: () => FastifyInstance,
): Array<[string, (extra: InjectOptions) => Promise<LightMyRequestResponse>, number]> {
  const inject = (options: InjectOptions, extra: InjectOptions) =>
    app().inject({
      ...options,
      ...extra,
      headers: { ...(options.headers ?? {}), ...(extra.headers ?? {}) },
    } as InjectOptions);
  return [
    ['GET /health', (extra) => inject({ method: 'GET', url: '/health' }, extra), 200],
    [
      'POST /api/auth/signup',
      (extra) =>
        inject(
          {
            method: 'POST',
            url: '/api/auth/signup',
            payload: { name: 'T', email: uniqueEmail(), password: 'correct horse battery' },
          },
          extra,
        ),
      201,
    ],
    [
      'POST /api/auth/signin with a wrong password',
      (extra) =>
        inject(
          { method: 'POST', url: '/api/auth/signin', payload: { email: uniqueEmail(), password: 'wrong password' } },
          extra,
        ),
      400,
    ],
    ['GET /api/auth/me without a token', (extra) => inject({ method: 'GET', url: '/api/auth/me' }, extra), 401],
    ['GET of an unknown route', (extra) => inject({ method: 'GET', url: '/api/nothing-here' }, extra), 404],
  ];
}

describe('the Content-Security-Policy behind a trusted proxy (TRUST_PROXY=true)', () => {
  const ctx = useTestApp({ TRUST_PROXY: true });
  const csp = async (headers: Record<string, string>) =>
    String((await ctx.app.inject({ method: 'GET', url: '/', headers })).headers['content-security-policy']);

  it('asks the browser to upgrade insecure requests only over https', async () => {
    expect(await csp({ 'x-forwarded-proto': 'https' })).toContain('upgrade-insecure-requests');
    expect(await csp({ 'x-forwarded-proto': 'http' })).not.toContain('upgrade-insecure-requests');
    expect(await csp({})).not.toContain('upgrade-insecure-requests');
  });

  it('keeps the rest of the policy the same over both', async () => {
    const strip = (policy: string) => policy.replace(/;?upgrade-insecure-requests/, '');
    expect(strip(await csp({ 'x-forwarded-proto': 'https' }))).toBe(await csp({}));
    expect(await csp({})).toContain("script-src 'self'");
  });
});

describe('the Content-Security-Policy without a trusted proxy', () => {
  const ctx = useTestApp();

  it('is the plain-http one even when a client claims https', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});

describe('Strict-Transport-Security behind a trusted proxy (TRUST_PROXY=true)', () => {
  const ctx = useTestApp({ TRUST_PROXY: true });
  const requests = sampleRequests(() => ctx.app);

  it.each(requests)('is sent on %s forwarded as https', async (_name, send, status) => {
    const response = await send({ headers: { 'x-forwarded-proto': 'https' } });
    expect(response.statusCode).toBe(status);
    expectHsts(response);
  });

  it.each(requests)('is not sent on %s forwarded as http', async (_name, send, status) => {
    const response = await send({ headers: { 'x-forwarded-proto': 'http' } });
    expect(response.statusCode).toBe(status);
    expectNoHsts(response);
  });

  it.each(requests)('is not sent on %s over plain http with no forwarding header', async (_name, send, status) => {
    const response = await send({});
    expect(response.statusCode).toBe(status);
    expectNoHsts(response);
  });
});

describe('Strict-Transport-Security when only some proxies are trusted (TRUST_PROXY=10.0.0.1)', () => {
  const ctx = useTestApp({ TRUST_PROXY: ['10.0.0.1'] });

  it('is sent when the trusted proxy forwards an https request', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/health',
      remoteAddress: '10.0.0.1',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(response.statusCode).toBe(200);
    expectHsts(response);
  });

  it('is not sent when an untrusted client claims https', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/health',
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(response.statusCode).toBe(200);
    expectNoHsts(response);
  });
});

describe('Strict-Transport-Security without TRUST_PROXY', () => {
  const ctx = useTestApp();
  const requests = sampleRequests(() => ctx.app);

  it.each(requests)('is not sent on %s even when X-Forwarded-Proto claims https', async (_name, send, status) => {
    const response = await send({ headers: { 'x-forwarded-proto': 'https' } });
    expect(response.statusCode).toBe(status);
    expectNoHsts(response);
  });

  it.each(requests)('is not sent on %s over plain http', async (_name, send, status) => {
    const response = await send({});
    expect(response.statusCode).toBe(status);
    expectNoHsts(response);
  });
});

describe('auth and task responses', () => {
  const ctx = useTestApp();
  let user: SignedUpUser;
  let other: SignedUpUser;
  let taskId: number;

  beforeAll(async () => {
    user = await signUpUser(ctx.app);
    other = await signUpUser(ctx.app);
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/${user.id}/tasks`,
      headers: user.auth,
      payload: { title: 'Headers' },
    });
    expect(created.statusCode).toBe(201);
    taskId = created.json().id;
  });

  const tasksUrl = () => `/api/${user.id}/tasks`;
  const taskUrl = () => `/api/${user.id}/tasks/${taskId}`;

  // [name, request, expected status]; built lazily because the users exist only once beforeAll has run.
  const cases: Array<[string, (c: TestContext) => InjectOptions, number]> = [
    [
      'POST /api/auth/signup',
      () => ({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { name: 'N', email: uniqueEmail(), password: 'correct horse battery' },
      }),
      201,
    ],
    [
      'POST /api/auth/signup with a validation error',
      () => ({ method: 'POST', url: '/api/auth/signup', payload: { name: '', email: 'x', password: 'x' } }),
      400,
    ],
    [
      'POST /api/auth/signup with a common password',
      () => ({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { name: 'N', email: uniqueEmail(), password: 'password1' },
      }),
      400,
    ],
    [
      'POST /api/auth/signup with malformed JSON',
      () => ({
        method: 'POST',
        url: '/api/auth/signup',
        headers: { 'content-type': 'application/json' },
        payload: '{"name":',
      }),
      400,
    ],
    [
      'POST /api/auth/signup with a body over 64 KiB',
      () => ({
        method: 'POST',
        url: '/api/auth/signup',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ padding: 'p'.repeat(70_000) }),
      }),
      413,
    ],
    [
      'POST /api/auth/signin',
      () => ({ method: 'POST', url: '/api/auth/signin', payload: { email: user.email, password: user.password } }),
      200,
    ],
    [
      'POST /api/auth/signin with a wrong password',
      () => ({ method: 'POST', url: '/api/auth/signin', payload: { email: user.email, password: 'not the password' } }),
      400,
    ],
    ['GET /api/auth/me', () => ({ method: 'GET', url: '/api/auth/me', headers: user.auth }), 200],
    ['GET /api/auth/me without a token', () => ({ method: 'GET', url: '/api/auth/me' }), 401],
    [
      'GET /api/auth/me with a garbage token',
      () => ({ method: 'GET', url: '/api/auth/me', headers: { authorization: 'Bearer garbage' } }),
      401,
    ],
    ['GET /api/auth/sessions', () => ({ method: 'GET', url: '/api/auth/sessions', headers: user.auth }), 200],
    [
      'DELETE /api/auth/sessions/{id} of an unknown session',
      () => ({ method: 'DELETE', url: '/api/auth/sessions/unknown', headers: user.auth }),
      404,
    ],
    ['GET /api/auth/events', () => ({ method: 'GET', url: '/api/auth/events', headers: user.auth }), 200],
    [
      'PUT /api/auth/password with a wrong current password',
      () => ({
        method: 'PUT',
        url: '/api/auth/password',
        headers: user.auth,
        payload: { current_password: 'nope nope', new_password: 'another passphrase' },
      }),
      400,
    ],
    [
      'DELETE /api/auth/account without a password',
      () => ({ method: 'DELETE', url: '/api/auth/account', headers: user.auth, payload: {} }),
      400,
    ],
    ['GET /api/auth/signup (wrong method)', () => ({ method: 'GET', url: '/api/auth/signup' }), 405],
    ['GET /api/auth/unknown', () => ({ method: 'GET', url: '/api/auth/unknown' }), 404],
    ['POST /api/auth/signout without a token', () => ({ method: 'POST', url: '/api/auth/signout' }), 200],
    ['GET /api/{user_id}/tasks', () => ({ method: 'GET', url: tasksUrl(), headers: user.auth }), 200],
    [
      'POST /api/{user_id}/tasks',
      () => ({ method: 'POST', url: tasksUrl(), headers: user.auth, payload: { title: 'Another' } }),
      201,
    ],
    [
      'POST /api/{user_id}/tasks with a validation error',
      () => ({ method: 'POST', url: tasksUrl(), headers: user.auth, payload: { title: '' } }),
      400,
    ],
    ['GET /api/{user_id}/tasks/{task_id}', () => ({ method: 'GET', url: taskUrl(), headers: user.auth }), 200],
    [
      'PUT /api/{user_id}/tasks/{task_id}',
      () => ({ method: 'PUT', url: taskUrl(), headers: user.auth, payload: { title: 'Renamed' } }),
      200,
    ],
    [
      'PATCH /api/{user_id}/tasks/{task_id}/complete',
      () => ({ method: 'PATCH', url: `${taskUrl()}/complete`, headers: user.auth }),
      200,
    ],
    [
      'GET /api/{user_id}/tasks/{task_id} of a missing task',
      () => ({ method: 'GET', url: `${tasksUrl()}/999999`, headers: user.auth }),
      404,
    ],
    [
      "GET /api/{user_id}/tasks of another user's path",
      () => ({ method: 'GET', url: `/api/${other.id}/tasks`, headers: user.auth }),
      403,
    ],
    ['GET /api/{user_id}/tasks without a token', () => ({ method: 'GET', url: tasksUrl() }), 401],
  ];

  it.each(cases)('carry Cache-Control: no-store on %s', async (_name, request, status) => {
    const response = await ctx.app.inject(request(ctx));
    expect(response.statusCode).toBe(status);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('carry Cache-Control: no-store on DELETE /api/{user_id}/tasks/{task_id}', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: tasksUrl(),
      headers: user.auth,
      payload: { title: 'Doomed' },
    });
    expect(created.statusCode).toBe(201);
    const response = await ctx.app.inject({
      method: 'DELETE',
      url: `${tasksUrl()}/${created.json().id}`,
      headers: user.auth,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('carry Cache-Control: no-store on POST /api/auth/signout-all', async () => {
    const victim = await signUpUser(ctx.app);
    const response = await ctx.app.inject({ method: 'POST', url: '/api/auth/signout-all', headers: victim.auth });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it.each([...cases, ['GET /health', () => ({ method: 'GET', url: '/health' }), 200] as (typeof cases)[number]])(
    'never carry X-Powered-By on %s',
    async (_name, request, status) => {
      const response = await ctx.app.inject(request(ctx));
      expect(response.statusCode).toBe(status);
      expect(response.headers).not.toHaveProperty('x-powered-by');
    },
  );
});

describe('Cache-Control: no-store however the API path is spelled', () => {
  const ctx = useTestApp();
  let user: SignedUpUser;
  let port: number;

  beforeAll(async () => {
    user = await signUpUser(ctx.app);
    port = Number(new URL(await ctx.app.listen({ port: 0, host: '127.0.0.1' })).port);
  });

  /** A GET sent over a real socket, with the request target exactly as given (absolute form too). */
  function rawGet(target: string, headers: Record<string, string>) {
    return new Promise<{ status: number; cacheControl: string | undefined }>((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port, path: target, headers }, (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode!, cacheControl: response.headers['cache-control'] }),
        );
      });
      request.on('error', reject);
    });
  }

  const spellings: Array<[string, () => string, number]> = [
    ['a %-encoded "a" in /api', () => '/%61pi/auth/me', 200],
    ['a %-encoded "api"', () => '/%61%70%69/auth/me', 200],
    ['a %-encoded letter further on', () => '/api/auth/%6De', 200],
    ['a %-encoded path to the task list', () => `/%61pi/${user.id}/tasks`, 200],
    ['the absolute form', () => 'http://127.0.0.1/api/auth/me', 200],
    ['the absolute form with another host', () => 'http://cache.example/api/auth/me', 200],
    ['the absolute form of the task list', () => `http://127.0.0.1/api/${user.id}/tasks`, 200],
    ['a %-encoded unknown API path', () => '/%61pi/nothing-here', 404],
    ['the absolute form of an unknown API path', () => 'http://127.0.0.1/api/nothing-here', 404],
  ];

  it.each(spellings)('is sent on GET with %s', async (_case, target, status) => {
    const response = await rawGet(target(), user.auth);
    expect(response.status).toBe(status);
    expect(response.cacheControl).toBe('no-store');
  });

  // inject() parses the URL itself, so only the %-encoded spellings reach the app unchanged that way.
  it.each(spellings.filter(([name]) => !name.includes('absolute')))(
    'is sent on GET with %s through inject too',
    async (_case, target, status) => {
      const response = await ctx.app.inject({ method: 'GET', url: target(), headers: user.auth });
      expect(response.statusCode).toBe(status);
      expect(response.headers['cache-control']).toBe('no-store');
    },
  );

  it('is not sent on GET /health, which is not an API answer about anyone', async () => {
    const response = await rawGet('/health', {});
    expect(response.status).toBe(200);
    expect(response.cacheControl).toBeUndefined();
  });
});
