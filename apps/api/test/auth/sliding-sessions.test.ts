import { eq } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { sessions } from '../../src/db/schema.js';
import { createTokenKeys, issueToken } from '../../src/auth/session/tokens.js';
import { TEST_SECRET, uniqueEmail, useTestApp } from '../support/test-app.js';

// api.md "Sliding sessions": a cookie request on a session last renewed more than 24 hours ago moves
// expires_at to now + JWT_EXPIRES_IN (never past created_at + SESSION_MAX_AGE) and sets a fresh cookie
// for the same session; Bearer tokens keep their fixed lifetime.

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const TTL_DAYS = 7;
const MAX_AGE_DAYS = 30;
const COOKIE = 'todo_session';

const ctx = useTestApp({ JWT_EXPIRES_IN: TTL_DAYS * 86400, SESSION_MAX_AGE: MAX_AGE_DAYS * 86400 });
// The test app's own signing settings (testConfig's defaults), so the tokens minted here are genuine.
const keys = createTokenKeys({ secret: TEST_SECRET, issuer: 'todo-api', audience: 'todo-api' });

interface Session {
  userId: string;
  sessionId: string;
  email: string;
  name: string;
}

async function signUp(): Promise<Session> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: { name: 'Daily User', email: uniqueEmail('sliding'), password: 'correct horse battery' },
  });
  expect(response.statusCode).toBe(201);
  const claims = decodeJwt(response.json().token);
  return { userId: claims.sub!, sessionId: claims.sid as string, email: claims.email as string, name: 'Daily User' };
}

/**
 * Makes the session look as if it was opened `ageMs` ago and last renewed `renewedMs` ago: its row is
 * backdated and the returned token, signed `renewedMs` ago, is what the browser would hold.
 */
async function ageSession(session: Session, ageMs: number, renewedMs: number): Promise<string> {
  const createdAt = new Date(Date.now() - ageMs);
  const issuedAt = new Date(Date.now() - renewedMs);
  // What the server set at that renewal: a token's lifetime, held to the session's age limit.
  const expiresAt = new Date(Math.min(issuedAt.getTime() + TTL_DAYS * DAY, createdAt.getTime() + MAX_AGE_DAYS * DAY));
  await ctx.database.db.update(sessions).set({ createdAt, expiresAt }).where(eq(sessions.id, session.sessionId));
  return issueToken(keys, session, expiresAt, issuedAt);
}

async function sessionRow(session: Session) {
  const [row] = await ctx.database.db.select().from(sessions).where(eq(sessions.id, session.sessionId));
  return row!;
}

const withCookie = (token: string) => ({ cookie: `${COOKIE}=${token}` });
const me = (headers: Record<string, string>) => ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers });
const sessionCookie = (response: LightMyRequestResponse) => response.cookies.find((c) => c.name === COOKIE);

/** Within a few seconds of `expected`: the test's clock and the server's run apart by the request's time. */
function expectNear(actual: Date | number, expected: number, toleranceMs = 5000) {
  expect(Math.abs(new Date(actual).getTime() - expected)).toBeLessThan(toleranceMs);
}

describe('a browser session in daily use', () => {
  it('is renewed by a cookie request more than 24 hours after its last renewal', async () => {
    const session = await signUp();
    const oldToken = await ageSession(session, 3 * DAY, 25 * HOUR);
    const response = await me(withCookie(oldToken));
    expect(response.statusCode).toBe(200);

    const renewed = sessionCookie(response);
    expect(renewed).toBeDefined();
    expect(renewed!.value).not.toBe(oldToken);
    expect(renewed!.httpOnly).toBe(true);
    expect(renewed!.sameSite).toBe('Lax');
    expect(renewed!.path).toBe('/');
    const claims = decodeJwt(renewed!.value);
    expect(claims.sid).toBe(session.sessionId);
    expect(claims.sub).toBe(session.userId);
    expectNear(claims.iat! * 1000, Date.now());
    expectNear(claims.exp! * 1000, Date.now() + TTL_DAYS * DAY);
    expectNear(renewed!.expires!, claims.exp! * 1000, 1000);

    const row = await sessionRow(session);
    // The token's exp has whole seconds; the row keeps milliseconds.
    expectNear(row.expiresAt, claims.exp! * 1000, 1000);
    expect(row.revokedAt).toBeNull();
    // The new cookie opens the API and is not renewed again at once.
    const next = await me(withCookie(renewed!.value));
    expect(next.statusCode).toBe(200);
    expect(sessionCookie(next)).toBeUndefined();
  });

  it('is renewed on any authenticated route, not only /me', async () => {
    const session = await signUp();
    const oldToken = await ageSession(session, 2 * DAY, 25 * HOUR);
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/${session.userId}/tasks`,
      headers: withCookie(oldToken),
    });
    expect(response.statusCode).toBe(200);
    expect(decodeJwt(sessionCookie(response)!.value).sid).toBe(session.sessionId);
  });

  it('carries the name the person has now, not the one in the old token', async () => {
    const session = await signUp();
    const oldToken = await ageSession(session, 2 * DAY, 25 * HOUR);
    const renamed = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${oldToken}` },
      payload: { name: 'Renamed User' },
    });
    expect(renamed.statusCode).toBe(200);
    const response = await me(withCookie(oldToken));
    expect(decodeJwt(sessionCookie(response)!.value).name).toBe('Renamed User');
  });

  it('is left alone when its last renewal is less than 24 hours old', async () => {
    const session = await signUp();
    const token = await ageSession(session, 2 * DAY, 23 * HOUR);
    const before = await sessionRow(session);
    const response = await me(withCookie(token));
    expect(response.statusCode).toBe(200);
    expect(sessionCookie(response)).toBeUndefined();
    expect((await sessionRow(session)).expiresAt).toEqual(before.expiresAt);
  });

  it('is never renewed past created_at + SESSION_MAX_AGE', async () => {
    const session = await signUp();
    // The age limit falls half an hour before now + 7 days, and after the current expiry.
    const token = await ageSession(session, (MAX_AGE_DAYS - TTL_DAYS) * DAY + 30 * 60 * 1000, 25 * HOUR);
    const response = await me(withCookie(token));
    expect(response.statusCode).toBe(200);
    const row = await sessionRow(session);
    expect(row.expiresAt.getTime()).toBe(row.createdAt.getTime() + MAX_AGE_DAYS * DAY);
    expectNear(decodeJwt(sessionCookie(response)!.value).exp! * 1000, row.expiresAt.getTime(), 1000);
  });

  it('is not renewed once its expiry has reached the age limit', async () => {
    const session = await signUp();
    // Opened 25 days ago: the last renewal already stopped at day 30, five days from now.
    const token = await ageSession(session, 25 * DAY, 25 * HOUR);
    const before = await sessionRow(session);
    expect(before.expiresAt.getTime()).toBe(before.createdAt.getTime() + MAX_AGE_DAYS * DAY);
    const response = await me(withCookie(token));
    expect(response.statusCode).toBe(200);
    expect(sessionCookie(response)).toBeUndefined();
    expect((await sessionRow(session)).expiresAt).toEqual(before.expiresAt);
  });

  it('is not renewed once revoked: the old cookie is refused and gets no new one', async () => {
    const session = await signUp();
    const token = await ageSession(session, 3 * DAY, 25 * HOUR);
    const signOut = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(signOut.statusCode).toBeLessThan(300);
    const response = await me(withCookie(token));
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('invalid_token');
    expect(sessionCookie(response)?.value ?? '').toBe('');
    expect((await sessionRow(session)).revokedAt).not.toBeNull();
  });
});

describe('a Bearer token', () => {
  it('keeps its fixed lifetime: no renewal, no cookie, expires_at unchanged', async () => {
    const session = await signUp();
    const token = await ageSession(session, 3 * DAY, 25 * HOUR);
    const before = await sessionRow(session);
    const response = await me({ authorization: `Bearer ${token}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect((await sessionRow(session)).expiresAt).toEqual(before.expiresAt);
  });
});
