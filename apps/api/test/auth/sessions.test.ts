import { eq, sql } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { sessions, users } from '../../src/db/schema.js';
import {
  expectSessionLive,
  expectSessionRefused,
  signInAgain,
  signUpUser,
  type SignedUpUser,
  useTestApp,
} from '../support/test-app.js';

const ctx = useTestApp();

type Headers = Record<string, string>;

const AUTH_REQUIRED = { error: 'Authentication required', code: 'auth_required' };
const INVALID_TOKEN = { error: 'Invalid or malformed token', code: 'invalid_token' };
const SESSION_NOT_FOUND = { error: 'Session not found', code: 'session_not_found' };
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const me = (headers: Headers) => ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers });
const listSessions = (headers: Headers) => ctx.app.inject({ method: 'GET', url: '/api/auth/sessions', headers });
const revokeSession = (headers: Headers, id: string) =>
  ctx.app.inject({ method: 'DELETE', url: `/api/auth/sessions/${encodeURIComponent(id)}`, headers });
const signOutAll = (headers: Headers, payload?: object) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/signout-all', headers, ...(payload ? { payload } : {}) });

const sidOf = (headers: Headers) => decodeJwt(headers.authorization!.replace(/^Bearer /, '')).sid as string;

/** Opens another session for the user, as a new device with its own User-Agent would. */
const signIn = (user: SignedUpUser, userAgent?: string) => signInAgain(ctx.app, user, userAgent);

async function sessionRow(id: string) {
  const [row] = await ctx.database.db.select().from(sessions).where(eq(sessions.id, id));
  return row!;
}

async function liveSessionIds(userId: string): Promise<string[]> {
  const rows = await ctx.database.db.select().from(sessions).where(eq(sessions.userId, userId));
  return rows
    .filter((row) => row.revokedAt === null)
    .map((row) => row.id)
    .sort();
}

describe('GET /api/auth/sessions', () => {
  it('lists each live session of the caller with exactly its id, times, user agent, IP and whether it is current', async () => {
    const user = await signUpUser(ctx.app);
    const laptop = await signIn(user, 'Laptop Browser/2.0');
    const phone = await signIn(user, 'Phone App/3.1');

    const response = await listSessions(laptop);
    expect(response.statusCode).toBe(200);
    const listed = response.json<Array<Record<string, unknown>>>();
    expect(listed).toHaveLength(3);
    for (const session of listed) {
      expect(Object.keys(session).sort()).toEqual([
        'created_at',
        'current',
        'expires_at',
        'id',
        'ip',
        'last_seen_at',
        'user_agent',
      ]);
      expect(session.created_at).toMatch(ISO);
      expect(session.last_seen_at).toMatch(ISO);
      expect(session.expires_at).toMatch(ISO);
      expect(session.ip).toBe('127.0.0.1');
    }
    expect(listed.map((session) => session.id).sort()).toEqual([sidOf(user.auth), sidOf(laptop), sidOf(phone)].sort());
    expect(listed.filter((session) => session.current).map((session) => session.id)).toEqual([sidOf(laptop)]);

    const byId = new Map(listed.map((session) => [session.id, session]));
    expect(byId.get(sidOf(laptop))!.user_agent).toBe('Laptop Browser/2.0');
    expect(byId.get(sidOf(phone))!.user_agent).toBe('Phone App/3.1');
    const expiresIn = Date.parse(byId.get(sidOf(phone))!.expires_at as string) - Date.now();
    expect(expiresIn).toBeGreaterThan(7 * 86400_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(7 * 86400_000);
  });

  it('marks as current the session of whichever token asks', async () => {
    const user = await signUpUser(ctx.app);
    const phone = await signIn(user);
    for (const headers of [user.auth, phone]) {
      const response = await listSessions(headers);
      expect(response.statusCode).toBe(200);
      const current = response.json<Array<{ id: string; current: boolean }>>().filter((session) => session.current);
      expect(current.map((session) => session.id)).toEqual([sidOf(headers)]);
    }
  });

  it('records a session opened without a User-Agent header with user_agent null', async () => {
    const user = await signUpUser(ctx.app);
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      headers: { 'user-agent': undefined as unknown as string },
      payload: { email: user.email, password: user.password },
    });
    expect(response.statusCode).toBe(200);
    const sid = decodeJwt(response.json().token).sid as string;
    const listed = (await listSessions(user.auth)).json<Array<{ id: string; user_agent: string | null }>>();
    expect(listed.find((session) => session.id === sid)?.user_agent).toBeNull();
    expect((await sessionRow(sid)).userAgent).toBeNull();
  });

  it('leaves out signed-out, revoked and expired sessions', async () => {
    const user = await signUpUser(ctx.app);
    const signedOut = await signIn(user);
    const revoked = await signIn(user);
    const expired = await signIn(user);
    const kept = await signIn(user);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/auth/signout', headers: signedOut })).statusCode).toBe(
      200,
    );
    expect((await revokeSession(user.auth, sidOf(revoked))).statusCode).toBe(200);
    await ctx.database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(sessions.id, sidOf(expired)));

    const response = await listSessions(user.auth);
    expect(response.statusCode).toBe(200);
    const ids = response
      .json<Array<{ id: string }>>()
      .map((session) => session.id)
      .sort();
    expect(ids).toEqual([sidOf(user.auth), sidOf(kept)].sort());
  });

  it("never lists another user's sessions", async () => {
    const alice = await signUpUser(ctx.app);
    const bob = await signUpUser(ctx.app);
    await signIn(bob);
    const response = await listSessions(alice.auth);
    expect(response.statusCode).toBe(200);
    expect(response.json<Array<{ id: string }>>().map((session) => session.id)).toEqual([sidOf(alice.auth)]);
    expect(await liveSessionIds(bob.id)).toHaveLength(2);
  });

  it('answers 401 auth_required without a token', async () => {
    const response = await listSessions({});
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(AUTH_REQUIRED);
  });

  it('answers 401 invalid_token for a revoked token', async () => {
    const user = await signUpUser(ctx.app);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/auth/signout', headers: user.auth })).statusCode).toBe(
      200,
    );
    const response = await listSessions(user.auth);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(INVALID_TOKEN);
  });
});

describe('DELETE /api/auth/sessions/{id}', () => {
  it("revokes one of the caller's other sessions: its token answers 401 invalid_token and the caller's still works", async () => {
    const user = await signUpUser(ctx.app);
    const phone = await signIn(user);
    await expectSessionLive(ctx.app, phone); // now in the liveness cache too

    const response = await revokeSession(user.auth, sidOf(phone));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: 'Session revoked' });

    await expectSessionRefused(ctx.app, phone);
    expect((await sessionRow(sidOf(phone))).revokedAt).toBeInstanceOf(Date);
    await expectSessionLive(ctx.app, user.auth);
    expect(await liveSessionIds(user.id)).toEqual([sidOf(user.auth)]);
  });

  it("revokes the caller's own current session when asked", async () => {
    const user = await signUpUser(ctx.app);
    await expectSessionLive(ctx.app, user.auth);
    const response = await revokeSession(user.auth, sidOf(user.auth));
    expect(response.statusCode).toBe(200);
    await expectSessionRefused(ctx.app, user.auth);
    expect(await liveSessionIds(user.id)).toEqual([]);
  });

  it("answers 404 session_not_found for another user's session and leaves it signed in", async () => {
    const alice = await signUpUser(ctx.app);
    const bob = await signUpUser(ctx.app);
    const response = await revokeSession(alice.auth, sidOf(bob.auth));
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual(SESSION_NOT_FOUND);
    expect((await sessionRow(sidOf(bob.auth))).revokedAt).toBeNull();
    await expectSessionLive(ctx.app, bob.auth);
    await expectSessionLive(ctx.app, alice.auth);
  });

  it.each([
    ['an unknown session id', () => '00000000-0000-4000-8000-000000000000'],
    ['a session id that is not a uuid', () => 'not-a-session'],
  ])('answers 404 session_not_found for %s', async (_case, idFor) => {
    const user = await signUpUser(ctx.app);
    const response = await revokeSession(user.auth, idFor());
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual(SESSION_NOT_FOUND);
    expect(await liveSessionIds(user.id)).toEqual([sidOf(user.auth)]);
  });

  it('answers 404 session_not_found for a session already revoked', async () => {
    const user = await signUpUser(ctx.app);
    const phone = await signIn(user);
    expect((await revokeSession(user.auth, sidOf(phone))).statusCode).toBe(200);
    const again = await revokeSession(user.auth, sidOf(phone));
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual(SESSION_NOT_FOUND);
  });

  it('answers 401 auth_required without a token and revokes nothing', async () => {
    const user = await signUpUser(ctx.app);
    const response = await revokeSession({}, sidOf(user.auth));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(AUTH_REQUIRED);
    await expectSessionLive(ctx.app, user.auth);
  });
});

describe('POST /api/auth/signout-all', () => {
  it("revokes every session of the caller, the caller's own too, and says how many", async () => {
    const user = await signUpUser(ctx.app);
    const laptop = await signIn(user);
    const phone = await signIn(user);
    for (const headers of [user.auth, laptop, phone]) await expectSessionLive(ctx.app, headers);

    const response = await signOutAll(laptop);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: expect.any(String), revoked: 3 });
    expect(Object.keys(response.json()).sort()).toEqual(['message', 'revoked']);

    for (const headers of [user.auth, laptop, phone]) await expectSessionRefused(ctx.app, headers);
    expect(await liveSessionIds(user.id)).toEqual([]);
  });

  it('revokes every session but the caller\'s with {"keep_current": true}', async () => {
    const user = await signUpUser(ctx.app);
    const laptop = await signIn(user);
    const phone = await signIn(user);
    for (const headers of [user.auth, laptop, phone]) await expectSessionLive(ctx.app, headers);

    const response = await signOutAll(laptop, { keep_current: true });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: expect.any(String), revoked: 2 });

    await expectSessionLive(ctx.app, laptop);
    await expectSessionRefused(ctx.app, user.auth);
    await expectSessionRefused(ctx.app, phone);
    expect(await liveSessionIds(user.id)).toEqual([sidOf(laptop)]);
    const listed = (await listSessions(laptop)).json<Array<{ id: string; current: boolean }>>();
    expect(listed).toEqual([expect.objectContaining({ id: sidOf(laptop), current: true })]);
  });

  it('revokes every session with {"keep_current": false}', async () => {
    const user = await signUpUser(ctx.app);
    const phone = await signIn(user);
    const response = await signOutAll(user.auth, { keep_current: false });
    expect(response.statusCode).toBe(200);
    expect(response.json().revoked).toBe(2);
    await expectSessionRefused(ctx.app, user.auth);
    await expectSessionRefused(ctx.app, phone);
  });

  it('answers revoked: 0 when keeping the only session', async () => {
    const user = await signUpUser(ctx.app);
    const response = await signOutAll(user.auth, { keep_current: true });
    expect(response.statusCode).toBe(200);
    expect(response.json().revoked).toBe(0);
    await expectSessionLive(ctx.app, user.auth);
  });

  it("leaves other users' sessions signed in", async () => {
    const alice = await signUpUser(ctx.app);
    const bob = await signUpUser(ctx.app);
    const bobPhone = await signIn(bob);
    expect((await signOutAll(alice.auth)).statusCode).toBe(200);
    await expectSessionLive(ctx.app, bob.auth);
    await expectSessionLive(ctx.app, bobPhone);
    expect(await liveSessionIds(bob.id)).toHaveLength(2);
  });

  it('answers 400 validation_failed when keep_current is not a boolean, and revokes nothing', async () => {
    const user = await signUpUser(ctx.app);
    const phone = await signIn(user);
    const response = await signOutAll(user.auth, { keep_current: 'yes' });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect(Object.keys(response.json().fields)).toEqual(['keep_current']);
    await expectSessionLive(ctx.app, user.auth);
    await expectSessionLive(ctx.app, phone);
  });

  it('answers 401 auth_required without a token', async () => {
    const response = await signOutAll({});
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(AUTH_REQUIRED);
  });
});

describe('revoking sessions still inside the 300 s grace after expiry', () => {
  const TOKEN_EXPIRED = { error: 'Token expired, please log in again', code: 'token_expired' };

  /** Moves a session's expiry into the past; its token keeps working until the 300 s grace is over. */
  async function expireSession(headers: Headers, secondsAgo: number) {
    await ctx.database.db
      .update(sessions)
      .set({ expiresAt: sql`now() - ${secondsAgo} * interval '1 second'` })
      .where(eq(sessions.id, sidOf(headers)));
  }

  /** A user with a device whose session expired a minute ago (still usable) and one that expired beyond the grace. */
  async function userWithExpiredDevices() {
    const user = await signUpUser(ctx.app);
    const inGrace = await signIn(user, 'Expired A Minute Ago/1.0');
    const beyondGrace = await signIn(user, 'Expired Long Ago/1.0');
    await expireSession(inGrace, 60);
    await expireSession(beyondGrace, 400);
    // The one in its grace still gets in; the other is already refused as expired.
    await expectSessionLive(ctx.app, inGrace);
    const refused = await me(beyondGrace);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual(TOKEN_EXPIRED);
    return { user, inGrace, beyondGrace };
  }

  it('signout-all revokes a session that expired 60 s ago and counts it, but not one that expired beyond the grace', async () => {
    const { user, inGrace, beyondGrace } = await userWithExpiredDevices();

    const response = await signOutAll(user.auth);

    expect(response.statusCode).toBe(200);
    expect(response.json().revoked).toBe(2); // the caller's own and the one in its grace
    await expectSessionRefused(ctx.app, inGrace);
    expect((await sessionRow(sidOf(inGrace))).revokedAt).toBeInstanceOf(Date);
    expect((await sessionRow(sidOf(beyondGrace))).revokedAt).toBeNull();
  });

  it("signout-all with keep_current revokes the session in its grace and keeps the caller's", async () => {
    const { user, inGrace } = await userWithExpiredDevices();

    const response = await signOutAll(user.auth, { keep_current: true });

    expect(response.statusCode).toBe(200);
    expect(response.json().revoked).toBe(1);
    await expectSessionRefused(ctx.app, inGrace);
    await expectSessionLive(ctx.app, user.auth);
  });

  it('a password change revokes a session that expired 60 s ago, whose token would otherwise still work', async () => {
    const { user, inGrace, beyondGrace } = await userWithExpiredDevices();

    const response = await ctx.app.inject({
      method: 'PUT',
      url: '/api/auth/password',
      headers: user.auth,
      payload: { current_password: user.password, new_password: 'a brand new passphrase' },
    });

    expect(response.statusCode).toBe(200);
    await expectSessionRefused(ctx.app, inGrace);
    await expectSessionLive(ctx.app, user.auth);
    expect((await sessionRow(sidOf(inGrace))).revokedAt).toBeInstanceOf(Date);
    expect((await sessionRow(sidOf(beyondGrace))).revokedAt).toBeNull();
  });
});

describe('PUT /api/auth/password as one transaction', () => {
  const own = useTestApp();

  it('changes nothing, neither the password nor the other sessions, when its audit record cannot be written', async () => {
    const user = await signUpUser(own.app);
    const login = await own.app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      payload: { email: user.email, password: user.password },
    });
    expect(login.statusCode).toBe(200);
    const phone = { authorization: `Bearer ${login.json().token as string}` };
    const [before] = await own.database.db
      .select({ passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.id, user.id));
    // The last of the three writes fails, as a full disk or a lost connection would make it.
    await own.database.db.execute(
      sql.raw(`create or replace function refuse_password_change_event() returns trigger language plpgsql as $$
        begin
          if new.event = 'password_change' then raise exception 'audit log unavailable'; end if;
          return new;
        end $$`),
    );
    await own.database.db.execute(
      sql.raw(
        'create or replace trigger refuse_password_change_event before insert on auth_events for each row execute function refuse_password_change_event()',
      ),
    );

    const response = await own.app.inject({
      method: 'PUT',
      url: '/api/auth/password',
      headers: user.auth,
      payload: { current_password: user.password, new_password: 'a brand new passphrase' },
    });

    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: 'Service temporarily unavailable, please try again',
      code: 'unavailable',
    });
    const [after] = await own.database.db
      .select({ passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.id, user.id));
    expect(after!.passwordHash).toBe(before!.passwordHash);
    const phoneRow = await own.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.id, sidOf(phone)));
    expect(phoneRow[0]!.revokedAt).toBeNull();
    expect((await own.app.inject({ method: 'GET', url: '/api/auth/me', headers: phone })).statusCode).toBe(200);
    const oldPassword = await own.app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      payload: { email: user.email, password: user.password },
    });
    expect(oldPassword.statusCode).toBe(200);
  });
});
