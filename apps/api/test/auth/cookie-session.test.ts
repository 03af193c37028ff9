import { eq } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { sessions } from '../../src/db/schema.js';
import { signUpUser, uniqueEmail, useTestApp, type SignedUpUser, type TestContext } from '../support/test-app.js';

const COOKIE = 'todo_session';
const SECURE_COOKIE = '__Host-todo_session';
// light-my-request sends `Host: localhost:80`, so this is the server's own origin under inject().
const OWN_ORIGIN = 'http://localhost:80';
const ALLOWED_ORIGIN = 'http://localhost:5173'; // another origin allowed to send cookie requests
const HOSTILE_ORIGIN = 'https://evil.example';
const CSRF = { error: 'Cross-site request refused', code: 'csrf' };
const INVALID_TOKEN = { error: 'Invalid or malformed token', code: 'invalid_token' };
const PASSWORD = 'correct horse battery';

const ctx = useTestApp({ ALLOWED_ORIGINS: [ALLOWED_ORIGIN] });

type Headers = Record<string, string>;
type Cookie = LightMyRequestResponse['cookies'][number];

/** A user who signed up through the browser path: the token is kept only as the cookie it was sent in. */
interface CookieUser extends SignedUpUser {
  cookie: { cookie: string };
}

function setCookieHeaders(response: LightMyRequestResponse): string[] {
  const header = response.headers['set-cookie'];
  if (header === undefined) return [];
  return Array.isArray(header) ? header : [String(header)];
}

// Signup and sign-in also set the device cookie, which has tests of its own (device-cookie.test.ts).
const isDeviceCookie = (name: string) => name === 'todo_device' || name === '__Host-todo_device';

/** The one session Set-Cookie of the response (the device cookie aside), which must carry the given name. */
function onlyCookie(response: LightMyRequestResponse, name: string): { cookie: Cookie; raw: string } {
  const raw = setCookieHeaders(response).filter((header) => !isDeviceCookie(header.split('=')[0]!));
  const cookies = response.cookies.filter((c) => !isDeviceCookie(c.name));
  expect(raw).toHaveLength(1);
  expect(cookies.map((c) => c.name)).toEqual([name]);
  return { cookie: cookies[0]!, raw: raw[0]! };
}

function expectExpiryMatches(cookie: Cookie, expiresAt: string) {
  const expected = Date.parse(expiresAt);
  expect(cookie.expires !== undefined || cookie.maxAge !== undefined).toBe(true);
  // Expires has one-second precision; expires_at has milliseconds.
  if (cookie.expires !== undefined) expect(Math.abs(cookie.expires.getTime() - expected)).toBeLessThan(1000);
  if (cookie.maxAge !== undefined) expect(Math.abs(Date.now() + cookie.maxAge * 1000 - expected)).toBeLessThan(5000);
}

function expectCleared(response: LightMyRequestResponse, name: string) {
  const cleared = response.cookies.find((c) => c.name === name);
  expect(cleared).toBeDefined();
  expect(cleared!.value).toBe('');
  expect(cleared!.path).toBe('/');
  const expired =
    (cleared!.expires !== undefined && cleared!.expires.getTime() <= Date.now()) ||
    (cleared!.maxAge !== undefined && cleared!.maxAge <= 0);
  expect(expired).toBe(true);
}

async function signUpWithCookie(context: TestContext = ctx, headers: Headers = {}): Promise<CookieUser> {
  const email = uniqueEmail('cookie');
  const response = await context.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    headers,
    payload: { name: 'Cookie User', email, password: PASSWORD },
  });
  expect(response.statusCode).toBe(201);
  const { user, token } = response.json();
  const set = response.cookies.find((c) => c.name === COOKIE || c.name === SECURE_COOKIE);
  expect(set?.value).toBe(token);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    password: PASSWORD,
    token,
    auth: { authorization: `Bearer ${token}` },
    cookie: { cookie: `${set!.name}=${set!.value}` },
  };
}

const inject = (options: InjectOptions) => ctx.app.inject(options);
const me = (headers: Headers) => inject({ method: 'GET', url: '/api/auth/me', headers });
const tasksUrl = (user: SignedUpUser) => `/api/${user.id}/tasks`;
const createTask = (user: SignedUpUser, headers: Headers, title = 'Buy milk') =>
  inject({ method: 'POST', url: tasksUrl(user), headers, payload: { title } });

/** The user's tasks as seen through the Bearer header, which no CSRF rule touches. */
async function tasksOf(user: SignedUpUser): Promise<Array<{ id: number; title: string; completed: boolean }>> {
  const response = await inject({ method: 'GET', url: tasksUrl(user), headers: user.auth });
  expect(response.statusCode).toBe(200);
  return response.json();
}

async function seedTask(user: SignedUpUser, title = 'Seeded task') {
  const response = await createTask(user, user.auth, title);
  expect(response.statusCode).toBe(201);
  return response.json<{ id: number; title: string; completed: boolean }>();
}

async function isRevoked(token: string): Promise<boolean> {
  const [session] = await ctx.database.db
    .select()
    .from(sessions)
    .where(eq(sessions.id, decodeJwt(token).sid as string));
  return session!.revokedAt !== null;
}

describe('the session cookie set by signup and signin', () => {
  it('signup sets an HttpOnly, SameSite=Lax, Path=/ todo_session cookie holding the token until expires_at', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { name: 'Ann', email: uniqueEmail(), password: PASSWORD },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    const { cookie, raw } = onlyCookie(response, COOKIE);
    expect(cookie.value).toBe(body.token);
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
    expect(cookie.domain).toBeUndefined();
    expect(cookie.secure).toBeFalsy();
    expect(raw).not.toMatch(/;\s*secure/i);
    expectExpiryMatches(cookie, body.expires_at);
  });

  it('signin sets the same kind of cookie holding the new session token', async () => {
    const user = await signUpUser(ctx.app);
    const response = await inject({
      method: 'POST',
      url: '/api/auth/signin',
      payload: { email: user.email, password: user.password },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const { cookie, raw } = onlyCookie(response, COOKIE);
    expect(cookie.value).toBe(body.token);
    expect(cookie.value).not.toBe(user.token);
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
    expect(raw).not.toMatch(/;\s*secure/i);
    expectExpiryMatches(cookie, body.expires_at);
  });

  it('a failed signin sets no cookie', async () => {
    const user = await signUpUser(ctx.app);
    const response = await inject({
      method: 'POST',
      url: '/api/auth/signin',
      payload: { email: user.email, password: 'wrong password' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Invalid email or password', code: 'invalid_credentials' });
    expect(setCookieHeaders(response)).toEqual([]);
  });

  it('a failed signup sets no cookie', async () => {
    const user = await signUpUser(ctx.app);
    const response = await inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { name: 'Again', email: user.email, password: PASSWORD },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('email_taken');
    expect(setCookieHeaders(response)).toEqual([]);
  });

  it('ignores X-Forwarded-Proto when the proxy is not trusted: the cookie stays todo_session without Secure', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/auth/signup',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { name: 'Ann', email: uniqueEmail(), password: PASSWORD },
    });
    expect(response.statusCode).toBe(201);
    const { cookie, raw } = onlyCookie(response, COOKIE);
    expect(cookie.secure).toBeFalsy();
    expect(raw).not.toMatch(/;\s*secure/i);
  });
});

describe('behind a trusted https proxy', () => {
  const https = useTestApp({ TRUST_PROXY: true });
  const HOST = 'todo.example';
  const viaTls = { 'x-forwarded-proto': 'https', host: HOST };

  it('signup sets __Host-todo_session with Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain', async () => {
    const response = await https.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      headers: viaTls,
      payload: { name: 'Ann', email: uniqueEmail(), password: PASSWORD },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    const { cookie, raw } = onlyCookie(response, SECURE_COOKIE);
    expect(cookie.value).toBe(body.token);
    expect(cookie.secure).toBe(true);
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
    expect(cookie.domain).toBeUndefined();
    expect(raw).not.toMatch(/;\s*domain=/i);
    expectExpiryMatches(cookie, body.expires_at);
  });

  it('signin sets __Host-todo_session with Secure too', async () => {
    const user = await signUpUser(https.app);
    const response = await https.app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      headers: viaTls,
      payload: { email: user.email, password: user.password },
    });
    expect(response.statusCode).toBe(200);
    const { cookie } = onlyCookie(response, SECURE_COOKIE);
    expect(cookie.value).toBe(response.json().token);
    expect(cookie.secure).toBe(true);
    expect(cookie.httpOnly).toBe(true);
  });

  it('accepts the __Host- cookie on GET /api/auth/me', async () => {
    const user = await signUpWithCookie(https, viaTls);
    expect(user.cookie.cookie.startsWith(`${SECURE_COOKIE}=`)).toBe(true);
    const response = await https.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { ...viaTls, ...user.cookie },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.id).toBe(user.id);
  });

  it('takes the https origin as its own and refuses the http origin of the same host', async () => {
    const user = await signUpWithCookie(https, viaTls);
    const own = await https.app.inject({
      method: 'POST',
      url: tasksUrl(user),
      headers: { ...viaTls, ...user.cookie, origin: `https://${HOST}` },
      payload: { title: 'Over TLS' },
    });
    expect(own.statusCode).toBe(201);

    const downgraded = await https.app.inject({
      method: 'POST',
      url: tasksUrl(user),
      headers: { ...viaTls, ...user.cookie, origin: `http://${HOST}` },
      payload: { title: 'Over plain http' },
    });
    expect(downgraded.statusCode).toBe(403);
    expect(downgraded.json()).toEqual(CSRF);

    const list = await https.app.inject({ method: 'GET', url: tasksUrl(user), headers: user.auth });
    expect(list.json().map((t: { title: string }) => t.title)).toEqual(['Over TLS']);
  });

  it('signout clears __Host-todo_session with Secure, so the browser accepts the clearing', async () => {
    const user = await signUpWithCookie(https, viaTls);
    const response = await https.app.inject({
      method: 'POST',
      url: '/api/auth/signout',
      headers: { ...viaTls, ...user.cookie, origin: `https://${HOST}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: 'Signed out successfully' });
    expectCleared(response, SECURE_COOKIE);
    expect(response.cookies.find((c) => c.name === SECURE_COOKIE)!.secure).toBe(true);
    const after = await https.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { ...viaTls, ...user.cookie },
    });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual(INVALID_TOKEN);
  });
});

describe('authenticating with the cookie alone', () => {
  it('answers GET /api/auth/me with 200 and the user', async () => {
    const user = await signUpWithCookie();
    const response = await me(user.cookie);
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toMatchObject({ id: user.id, email: user.email });
  });

  it('answers the task list with 200 and the tasks', async () => {
    const user = await signUpWithCookie();
    const task = await seedTask(user);
    const response = await inject({ method: 'GET', url: tasksUrl(user), headers: user.cookie });
    expect(response.statusCode).toBe(200);
    expect(response.json().map((t: { id: number }) => t.id)).toEqual([task.id]);
  });

  it('answers 401 invalid_token for a cookie that holds no valid token', async () => {
    const response = await me({ cookie: `${COOKIE}=not-a-token` });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(INVALID_TOKEN);
  });

  it("answers 403 forbidden for another user's task path", async () => {
    const alice = await signUpWithCookie();
    const bob = await signUpWithCookie();
    const response = await inject({ method: 'GET', url: tasksUrl(bob), headers: alice.cookie });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ error: 'Access denied to this resource', code: 'forbidden' });
  });
});

describe('CSRF defence for unsafe requests authenticated by the cookie', () => {
  it.each<[string, Headers]>([
    ['Origin is the server’s own origin', { origin: OWN_ORIGIN }],
    ['Origin is in ALLOWED_ORIGINS', { origin: ALLOWED_ORIGIN }],
    // A URL's origin drops the default port, so the Host here is one a browser would send.
    [
      'there is no Origin but the Referer is a page of the server’s own origin',
      { host: 'todo.example:3000', referer: 'http://todo.example:3000/dashboard?filter=all' },
    ],
    [
      'there is no Origin but the Referer is a page of the server’s own origin on port 80',
      { host: 'localhost', referer: 'http://localhost/dashboard' },
    ],
    ['there is no Origin but the Referer is a page of an allowed origin', { referer: `${ALLOWED_ORIGIN}/dashboard` }],
    // A proxy may forward Host with the default port spelled out; browsers never put it in Origin.
    [
      'a proxy forwards Host with the default port and Origin omits it',
      { host: 'todo.example:80', origin: 'http://todo.example' },
    ],
    [
      'a proxy forwards Host with the default port and the Referer omits it',
      { host: 'todo.example:80', referer: 'http://todo.example/dashboard' },
    ],
  ])('creates the task (201) when %s', async (_case, headers) => {
    const user = await signUpWithCookie();
    const response = await createTask(user, { ...user.cookie, ...headers }, 'Allowed');
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ user_id: user.id, title: 'Allowed' });
    expect((await tasksOf(user)).map((t) => t.title)).toEqual(['Allowed']);
  });

  it('accepts the own origin of whatever Host the server is reached at', async () => {
    const user = await signUpWithCookie();
    const response = await createTask(
      user,
      { ...user.cookie, host: 'todo.example:3000', origin: 'http://todo.example:3000' },
      'Own host',
    );
    expect(response.statusCode).toBe(201);
    expect((await tasksOf(user)).map((t) => t.title)).toEqual(['Own host']);
  });

  it.each<[string, Headers]>([
    ['Origin is a hostile site', { origin: HOSTILE_ORIGIN }],
    ['there is neither Origin nor Referer', {}],
    ['Origin is "null" (sandboxed frame, data: URL)', { origin: 'null' }],
    [
      'Origin is "null" even with an own-origin Referer',
      { origin: 'null', host: 'localhost', referer: 'http://localhost/dashboard' },
    ],
    [
      'Origin is hostile even with an own-origin Referer',
      { origin: HOSTILE_ORIGIN, host: 'localhost', referer: 'http://localhost/dashboard' },
    ],
    ['there is no Origin and the Referer is a hostile page', { referer: `${HOSTILE_ORIGIN}/attack.html` }],
    ['there is no Origin and the Referer is not a URL', { referer: 'not a url' }],
    ['Origin is the own host over another scheme', { origin: 'https://localhost:80' }],
    ['Origin is the own host on another port', { origin: 'http://localhost:8080' }],
    ['Origin merely starts with the own origin', { origin: `${OWN_ORIGIN}.evil.example` }],
    ['Origin merely starts with an allowed origin', { origin: `${ALLOWED_ORIGIN}.evil.example` }],
    ['Origin is an allowed origin with a path appended', { origin: `${ALLOWED_ORIGIN}/x` }],
    ['Origin is empty', { origin: '' }],
  ])('answers 403 csrf and creates nothing when %s', async (_case, headers) => {
    const user = await signUpWithCookie();
    const response = await createTask(user, { ...user.cookie, ...headers }, 'Forged');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual(CSRF);
    expect(await tasksOf(user)).toEqual([]);
  });

  it('refuses a cross-site PUT with 403 csrf and leaves the task unchanged', async () => {
    const user = await signUpWithCookie();
    const task = await seedTask(user, 'Original');
    const response = await inject({
      method: 'PUT',
      url: `${tasksUrl(user)}/${task.id}`,
      headers: { ...user.cookie, origin: HOSTILE_ORIGIN },
      payload: { title: 'Hijacked', completed: true },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual(CSRF);
    expect(await tasksOf(user)).toEqual([
      expect.objectContaining({ id: task.id, title: 'Original', completed: false }),
    ]);
  });

  it('refuses a cross-site PATCH with 403 csrf and leaves the task not completed', async () => {
    const user = await signUpWithCookie();
    const task = await seedTask(user);
    const response = await inject({
      method: 'PATCH',
      url: `${tasksUrl(user)}/${task.id}/complete`,
      headers: { ...user.cookie, origin: HOSTILE_ORIGIN },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual(CSRF);
    expect(await tasksOf(user)).toEqual([expect.objectContaining({ id: task.id, completed: false })]);
  });

  it('refuses a cross-site DELETE with 403 csrf and keeps the task', async () => {
    const user = await signUpWithCookie();
    const task = await seedTask(user);
    const response = await inject({
      method: 'DELETE',
      url: `${tasksUrl(user)}/${task.id}`,
      headers: { ...user.cookie, origin: HOSTILE_ORIGIN },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual(CSRF);
    expect((await tasksOf(user)).map((t) => t.id)).toEqual([task.id]);
  });

  it('lets PUT, PATCH and DELETE through from the own origin', async () => {
    const user = await signUpWithCookie();
    const task = await seedTask(user, 'Original');
    const headers = { ...user.cookie, origin: OWN_ORIGIN };
    const taskUrl = `${tasksUrl(user)}/${task.id}`;

    const put = await inject({ method: 'PUT', url: taskUrl, headers, payload: { title: 'Renamed' } });
    expect(put.statusCode).toBe(200);
    expect(put.json().title).toBe('Renamed');

    const patch = await inject({ method: 'PATCH', url: `${taskUrl}/complete`, headers });
    expect(patch.statusCode).toBe(200);
    expect(patch.json().completed).toBe(true);

    const del = await inject({ method: 'DELETE', url: taskUrl, headers });
    expect(del.statusCode).toBe(200);
    expect(del.json()).toEqual({ message: 'Task deleted successfully' });
    expect(await tasksOf(user)).toEqual([]);
  });

  it.each(['GET', 'HEAD'] as const)(
    'answers a cross-site %s with the cookie normally (safe method)',
    async (method) => {
      const user = await signUpWithCookie();
      await seedTask(user);
      const list = await inject({ method, url: tasksUrl(user), headers: { ...user.cookie, origin: HOSTILE_ORIGIN } });
      expect(list.statusCode).toBe(200);
      if (method === 'GET') expect(list.json()).toHaveLength(1);
      const current = await inject({
        method,
        url: '/api/auth/me',
        headers: { ...user.cookie, origin: HOSTILE_ORIGIN },
      });
      expect(current.statusCode).toBe(200);
    },
  );
});

describe('Bearer requests', () => {
  it('are not subject to the Origin check: a Bearer POST from a hostile Origin creates the task', async () => {
    const user = await signUpUser(ctx.app);
    const response = await createTask(user, { ...user.auth, origin: HOSTILE_ORIGIN }, 'Via API client');
    expect(response.statusCode).toBe(201);
    expect((await tasksOf(user)).map((t) => t.title)).toEqual(['Via API client']);
  });

  it('are not subject to the Origin check for DELETE either', async () => {
    const user = await signUpUser(ctx.app);
    const task = await seedTask(user);
    const response = await inject({
      method: 'DELETE',
      url: `${tasksUrl(user)}/${task.id}`,
      headers: { ...user.auth, origin: HOSTILE_ORIGIN },
    });
    expect(response.statusCode).toBe(200);
    expect(await tasksOf(user)).toEqual([]);
  });

  it('win over the cookie: a Bearer for Bob with a cookie for Alice acts as Bob', async () => {
    const alice = await signUpWithCookie();
    const bob = await signUpUser(ctx.app);
    const headers = { ...alice.cookie, ...bob.auth };

    const current = await me(headers);
    expect(current.statusCode).toBe(200);
    expect(current.json().user.id).toBe(bob.id);

    const own = await createTask(bob, headers, "Bob's task");
    expect(own.statusCode).toBe(201);
    expect(own.json().user_id).toBe(bob.id);

    const other = await createTask(alice, headers, 'Into Alice');
    expect(other.statusCode).toBe(403);
    expect(other.json()).toEqual({ error: 'Access denied to this resource', code: 'forbidden' });
    expect(await tasksOf(alice)).toEqual([]);
    expect((await tasksOf(bob)).map((t) => t.title)).toEqual(["Bob's task"]);
  });

  it('win over the cookie even when invalid: a bad Bearer with a valid cookie answers 401', async () => {
    const alice = await signUpWithCookie();
    const response = await me({ ...alice.cookie, authorization: 'Bearer not-a-token' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(INVALID_TOKEN);
  });
});

describe('POST /api/auth/signout with the cookie', () => {
  it('from the own origin answers 200, clears todo_session and revokes the session', async () => {
    const user = await signUpWithCookie();
    expect((await me(user.cookie)).statusCode).toBe(200); // the session is now in the liveness cache too
    const response = await inject({
      method: 'POST',
      url: '/api/auth/signout',
      headers: { ...user.cookie, origin: OWN_ORIGIN },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: 'Signed out successfully' });
    expectCleared(response, COOKIE);
    expect(await isRevoked(user.token)).toBe(true);

    for (const headers of [user.cookie, user.auth]) {
      const current = await me(headers);
      expect(current.statusCode).toBe(401);
      expect(current.json()).toEqual(INVALID_TOKEN);
      const list = await inject({ method: 'GET', url: tasksUrl(user), headers });
      expect(list.statusCode).toBe(401);
    }
  });

  // The contract says 200 always; a page on another site gets that answer but signs nobody out.
  it.each<[string, Headers]>([
    ['a hostile Origin', { origin: HOSTILE_ORIGIN }],
    ['neither Origin nor Referer', {}],
    ['Origin "null"', { origin: 'null' }],
    ['no Origin and a hostile Referer', { referer: `${HOSTILE_ORIGIN}/attack.html` }],
  ])(
    'with %s answers 200 as always, but revokes nothing, sets no cookie and leaves the session signed in',
    async (_case, headers) => {
      const user = await signUpWithCookie();
      const response = await inject({
        method: 'POST',
        url: '/api/auth/signout',
        headers: { ...user.cookie, ...headers },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ message: 'Signed out successfully' });
      expect(setCookieHeaders(response)).toEqual([]);
      expect(await isRevoked(user.token)).toBe(false);
      const current = await me(user.cookie);
      expect(current.statusCode).toBe(200);
      expect(current.json().user.id).toBe(user.id);
    },
  );
});

describe('which session cookie counts, by protocol', () => {
  const proxied = useTestApp({ TRUST_PROXY: true });
  const viaTls = { 'x-forwarded-proto': 'https', host: 'todo.example' };
  const AUTH_REQUIRED = { error: 'Authentication required', code: 'auth_required' };

  /** A signed-up user's token, and what each cookie name holding it looks like. */
  async function tokenOf(context: TestContext) {
    const user = await signUpUser(context.app);
    return { user, plain: `${COOKIE}=${user.token}`, secure: `${SECURE_COOKIE}=${user.token}` };
  }

  it('over https answers 401 auth_required to a plain todo_session cookie, which anyone able to set a parent-domain cookie could plant', async () => {
    const { plain } = await tokenOf(proxied);
    const response = await proxied.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { ...viaTls, cookie: plain },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(AUTH_REQUIRED);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('over https creates no task for a plain todo_session cookie, even from the own origin', async () => {
    const { user, plain } = await tokenOf(proxied);
    const response = await proxied.app.inject({
      method: 'POST',
      url: tasksUrl(user),
      headers: { ...viaTls, cookie: plain, origin: 'https://todo.example' },
      payload: { title: 'Planted' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(AUTH_REQUIRED);
    const list = await proxied.app.inject({ method: 'GET', url: tasksUrl(user), headers: user.auth });
    expect(list.json()).toEqual([]);
  });

  it('over https reads only the __Host- cookie when both are sent', async () => {
    const owner = await tokenOf(proxied);
    const planted = await tokenOf(proxied);
    const response = await proxied.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { ...viaTls, cookie: `${planted.plain}; ${owner.secure}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.id).toBe(owner.user.id);
  });

  it.each<[string, TestContext, Headers]>([
    ['the plain server', ctx, {}],
    ['a server behind a trusted proxy, reached without TLS', proxied, { 'x-forwarded-proto': 'http' }],
  ])(
    'over http on %s ignores a __Host-todo_session cookie and answers 401 auth_required',
    async (_case, context, headers) => {
      const { secure } = await tokenOf(context);
      const response = await context.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { ...headers, cookie: secure },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(AUTH_REQUIRED);
    },
  );

  it('over http reads only todo_session when both are sent', async () => {
    const owner = await tokenOf(ctx);
    const other = await tokenOf(ctx);
    const response = await me({ cookie: `${other.secure}; ${owner.plain}` });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.id).toBe(owner.user.id);
  });
});
