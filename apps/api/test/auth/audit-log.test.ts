import { desc, eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { authEvents, type AuthEvent } from '../../src/db/schema.js';
import { signUpUser, uniqueEmail, useTestApp, type SignedUpUser } from '../support/test-app.js';

const ctx = useTestApp();

type Headers = Record<string, string>;

const AGENT = 'Audit Browser/9.9';
const IP = '127.0.0.1';

/** Every request here comes from one recognisable browser. */
function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Headers = {}, payload?: object) {
  return ctx.app.inject({ method, url, headers: { 'user-agent': AGENT, ...headers }, ...(payload ? { payload } : {}) });
}

const signIn = (email: string, password: string) => call('POST', '/api/auth/signin', {}, { email, password });

async function signUp(
  password = 'correct horse battery',
): Promise<SignedUpUser & { response: LightMyRequestResponse }> {
  const email = uniqueEmail('audit');
  const response = await call('POST', '/api/auth/signup', {}, { name: 'Audit', email, password });
  expect(response.statusCode).toBe(201);
  const { user, token } = response.json();
  return { id: user.id, email, name: user.name, password, token, auth: { authorization: `Bearer ${token}` }, response };
}

async function newSession(user: SignedUpUser): Promise<Headers> {
  const response = await signIn(user.email, user.password);
  expect(response.statusCode).toBe(200);
  return { authorization: `Bearer ${response.json().token as string}` };
}

async function eventsOf(userId: string): Promise<AuthEvent[]> {
  return ctx.database.db.select().from(authEvents).where(eq(authEvents.userId, userId)).orderBy(desc(authEvents.id));
}

/** The one event the response's request recorded, checked for who, what, where and which request. */
async function expectRecorded(
  response: LightMyRequestResponse,
  event: string,
  subject: { userId: string | null; email?: string | null },
  ip = IP,
) {
  const requestId = response.headers['x-request-id'] as string;
  expect(requestId).toEqual(expect.any(String));
  const rows = await ctx.database.db.select().from(authEvents).where(eq(authEvents.requestId, requestId));
  expect(rows).toHaveLength(1);
  const [row] = rows;
  expect(row).toMatchObject({ event, userId: subject.userId, ip, userAgent: AGENT, requestId });
  if (subject.email !== undefined) expect(row!.email).toBe(subject.email);
  expect(row!.createdAt).toBeInstanceOf(Date);
  return row!;
}

describe('the auth_events audit log', () => {
  it('records a signup with the user, IP, user agent and request id', async () => {
    const user = await signUp();
    await expectRecorded(user.response, 'signup', { userId: user.id, email: user.email });
  });

  it('records a successful signin', async () => {
    const user = await signUp();
    const response = await signIn(user.email, user.password);
    expect(response.statusCode).toBe(200);
    await expectRecorded(response, 'signin_success', { userId: user.id, email: user.email });
  });

  it('records a failed signin for a known email with its user id', async () => {
    const user = await signUp();
    const response = await signIn(user.email, 'not the password');
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_credentials');
    await expectRecorded(response, 'signin_failure', { userId: user.id, email: user.email });
  });

  it('records a failed signin for an unknown email with no user but the email tried', async () => {
    const email = uniqueEmail('nobody');
    const response = await signIn(email, 'whatever password');
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_credentials');
    await expectRecorded(response, 'signin_failure', { userId: null, email });
  });

  it('records a signout', async () => {
    const user = await signUp();
    const response = await call('POST', '/api/auth/signout', user.auth);
    expect(response.statusCode).toBe(200);
    await expectRecorded(response, 'signout', { userId: user.id });
  });

  it('records a signout of every session', async () => {
    const user = await signUp();
    const response = await call('POST', '/api/auth/signout-all', user.auth, { keep_current: true });
    expect(response.statusCode).toBe(200);
    await expectRecorded(response, 'signout_all', { userId: user.id });
  });

  it('records the revocation of one session', async () => {
    const user = await signUp();
    const phone = await newSession(user);
    const sid = decodeJwt(phone.authorization!.replace('Bearer ', '')).sid as string;
    const response = await call('DELETE', `/api/auth/sessions/${sid}`, user.auth);
    expect(response.statusCode).toBe(200);
    await expectRecorded(response, 'session_revoked', { userId: user.id });
  });

  it('records a password change', async () => {
    const user = await signUp();
    const response = await call('PUT', '/api/auth/password', user.auth, {
      current_password: user.password,
      new_password: 'a brand new passphrase',
    });
    expect(response.statusCode).toBe(200);
    await expectRecorded(response, 'password_change', { userId: user.id });
  });

  it('records an account deletion, and keeps the record after the user is gone', async () => {
    const user = await signUp();
    const response = await call('DELETE', '/api/auth/account', user.auth, { password: user.password });
    expect(response.statusCode).toBe(200);
    await expectRecorded(response, 'account_delete', { userId: user.id, email: user.email });
    const history = (await eventsOf(user.id)).map((row) => row.event);
    expect(history).toEqual(['account_delete', 'signup']);
  });

  it('records the use of a revoked token', async () => {
    const user = await signUp();
    expect((await call('POST', '/api/auth/signout', user.auth)).statusCode).toBe(200);
    const response = await call('GET', '/api/auth/me', user.auth);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('invalid_token');
    await expectRecorded(response, 'revoked_token_use', { userId: user.id });
  });

  it("records access denied when a user asks for another user's tasks", async () => {
    const user = await signUp();
    const other = await signUpUser(ctx.app);
    const response = await call('GET', `/api/${other.id}/tasks`, user.auth);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ error: 'Access denied to this resource', code: 'forbidden' });
    await expectRecorded(response, 'access_denied', { userId: user.id });
  });

  // Each from an address of its own: refusals from one address share one row a minute (audit-flood.test.ts).
  it.each<[string, Headers, string]>([
    ['a hostile Origin', { origin: 'https://evil.example' }, '192.0.2.11'],
    ['neither Origin nor Referer', {}, '192.0.2.12'],
    ['Origin "null"', { origin: 'null' }, '192.0.2.13'],
  ])(
    'records a cookie request refused as cross-site (403 csrf) with %s as access_denied with no user',
    async (_case, headers, address) => {
      const user = await signUp();
      const cookie = user.response.cookies.find((c) => c.name === 'todo_session');
      expect(cookie?.value).toBe(user.token);

      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/${user.id}/tasks`,
        remoteAddress: address,
        headers: { 'user-agent': AGENT, cookie: `todo_session=${cookie!.value}`, ...headers },
        payload: { title: 'Forged' },
      });

      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ error: 'Cross-site request refused', code: 'csrf' });
      await expectRecorded(response, 'access_denied', { userId: null, email: null }, address);
    },
  );

  it('records the request id the client sent when it is a valid one', async () => {
    const user = await signUp();
    const response = await call(
      'POST',
      '/api/auth/signin',
      { 'x-request-id': 'client-chosen-id-42' },
      { email: user.email, password: user.password },
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe('client-chosen-id-42');
    await expectRecorded(response, 'signin_success', { userId: user.id });
  });

  it('never holds a password or a token in any column', async () => {
    const password = 'Unmistakable Passphrase 7781';
    const newPassword = 'Another Unmistakable Phrase 9923';
    const wrongPassword = 'Wrong Guess Passphrase 5510';
    const user = await signUp(password);
    const second = await newSession(user);
    const secrets = [password, newPassword, wrongPassword, user.token, second.authorization!.replace('Bearer ', '')];
    await signIn(user.email, wrongPassword);
    await signIn(uniqueEmail('ghost'), wrongPassword);
    await call('PUT', '/api/auth/password', second, { current_password: wrongPassword, new_password: newPassword });
    expect(
      (await call('PUT', '/api/auth/password', second, { current_password: password, new_password: newPassword }))
        .statusCode,
    ).toBe(200);
    await call('GET', '/api/auth/me', user.auth); // revoked by the password change
    const third = await signIn(user.email, newPassword);
    expect(third.statusCode).toBe(200);
    secrets.push(third.json().token);
    await call(
      'DELETE',
      '/api/auth/account',
      { authorization: `Bearer ${third.json().token}` },
      { password: wrongPassword },
    );
    expect(
      (
        await call(
          'DELETE',
          '/api/auth/account',
          { authorization: `Bearer ${third.json().token}` },
          { password: newPassword },
        )
      ).statusCode,
    ).toBe(200);

    const rows = await ctx.database.db.select().from(authEvents);
    expect(rows.filter((row) => row.userId === user.id).length).toBeGreaterThanOrEqual(6);
    const everything = JSON.stringify(rows);
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(secret.split('.').at(-1)); // not even a token's signature
    }
    expect(everything.toLowerCase()).not.toContain('unmistakable');
  });
});

describe('GET /api/auth/events', () => {
  it("lists only the caller's own events, newest first, each with exactly id, event, ip, user_agent, request_id and created_at", async () => {
    const user = await signUp();
    const other = await signUp();
    const failure = await signIn(user.email, 'not the password');
    await signIn(other.email, 'not the password either');
    const success = await signIn(user.email, user.password);
    const denied = await call('GET', `/api/${other.id}/tasks`, user.auth);
    expect(denied.statusCode).toBe(403);

    const response = await call('GET', '/api/auth/events', user.auth);
    expect(response.statusCode).toBe(200);
    const events = response.json<Array<Record<string, unknown>>>();
    expect(events.map((event) => event.event)).toEqual(['access_denied', 'signin_success', 'signin_failure', 'signup']);
    expect(events.map((event) => event.request_id)).toEqual([
      denied.headers['x-request-id'],
      success.headers['x-request-id'],
      failure.headers['x-request-id'],
      user.response.headers['x-request-id'],
    ]);
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(['created_at', 'event', 'id', 'ip', 'request_id', 'user_agent']);
      expect(event).toMatchObject({ ip: IP, user_agent: AGENT });
      expect(event.id).toEqual(expect.any(Number));
      expect(event.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
    const times = events.map((event) => Date.parse(event.created_at as string));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(JSON.stringify(events)).not.toContain(other.id);
  });

  it('returns at most as many events as the limit asks for', async () => {
    const user = await signUp();
    await signIn(user.email, user.password);
    const response = await call('GET', '/api/auth/events?limit=1', user.auth);
    expect(response.statusCode).toBe(200);
    expect(response.json<Array<{ event: string }>>().map((event) => event.event)).toEqual(['signin_success']);
  });

  it.each([['0'], ['501'], ['ten']])('answers 400 validation_failed for limit=%s', async (limit) => {
    const user = await signUp();
    const response = await call('GET', `/api/auth/events?limit=${limit}`, user.auth);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect(Object.keys(response.json().fields)).toEqual(['limit']);
  });

  it('answers 401 auth_required without a token', async () => {
    const response = await call('GET', '/api/auth/events');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'Authentication required', code: 'auth_required' });
  });
});

describe('the audit log when its writes fail', () => {
  const broken = useTestApp();

  /** From here on, inserting the events noticed while refusing a request fails, as a full disk would. */
  async function breakRefusalAudit() {
    await broken.database.db.execute(
      sql.raw(`create or replace function refuse_audit_write() returns trigger language plpgsql as $$
        begin
          if new.event in ('revoked_token_use', 'access_denied') then raise exception 'audit log unavailable'; end if;
          return new;
        end $$`),
    );
    await broken.database.db.execute(
      sql.raw(
        'create or replace trigger refuse_audit_write before insert on auth_events for each row execute function refuse_audit_write()',
      ),
    );
  }

  async function refusalEvents() {
    const rows = await broken.database.db.select().from(authEvents);
    return rows.filter((row) => row.event === 'revoked_token_use' || row.event === 'access_denied');
  }

  it("still answers 401 invalid_token for a revoked token, 403 forbidden for another user's tasks and 403 csrf, never 500", async () => {
    const user = await signUpUser(broken.app);
    const other = await signUpUser(broken.app);
    const cookieUser = await signUpUser(broken.app);
    const revoked = await signUpUser(broken.app);
    expect(
      (await broken.app.inject({ method: 'POST', url: '/api/auth/signout', headers: revoked.auth })).statusCode,
    ).toBe(200);
    await breakRefusalAudit();

    const revokedUse = await broken.app.inject({ method: 'GET', url: '/api/auth/me', headers: revoked.auth });
    expect(revokedUse.statusCode).toBe(401);
    expect(revokedUse.json()).toEqual({ error: 'Invalid or malformed token', code: 'invalid_token' });

    const forbidden = await broken.app.inject({ method: 'GET', url: `/api/${other.id}/tasks`, headers: user.auth });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toEqual({ error: 'Access denied to this resource', code: 'forbidden' });

    const crossSite = await broken.app.inject({
      method: 'POST',
      url: `/api/${cookieUser.id}/tasks`,
      headers: { cookie: `todo_session=${cookieUser.token}`, origin: 'https://evil.example' },
      payload: { title: 'Forged' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json()).toEqual({ error: 'Cross-site request refused', code: 'csrf' });

    // The writes really did fail: none of the three refusals is on record.
    expect(await refusalEvents()).toEqual([]);
    const tasks = await broken.app.inject({
      method: 'GET',
      url: `/api/${cookieUser.id}/tasks`,
      headers: cookieUser.auth,
    });
    expect(tasks.json()).toEqual([]);
  });
});
