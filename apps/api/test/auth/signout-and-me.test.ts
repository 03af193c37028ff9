import { eq } from 'drizzle-orm';
import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenKeys } from '../../src/auth/session/tokens.js';
import { sessions } from '../../src/db/schema.js';
import { signInAgain, signUpUser, useTestApp, type SignedUpUser } from '../support/test-app.js';

const ctx = useTestApp();

const SIGNED_OUT = { message: 'Signed out successfully' };
const INVALID_TOKEN = { error: 'Invalid or malformed token', code: 'invalid_token' };

const signOut = (headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/signout', headers });
const me = (headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers });
const listTasks = (user: SignedUpUser, headers: Record<string, string>) =>
  ctx.app.inject({ method: 'GET', url: `/api/${user.id}/tasks`, headers });
const signIn = (user: SignedUpUser) => signInAgain(ctx.app, user);

const sessionOf = async (token: string) => {
  const [session] = await ctx.database.db
    .select()
    .from(sessions)
    .where(eq(sessions.id, decodeJwt(token).sid as string));
  return session!;
};

const liveSessionCount = async (userId: string) =>
  (await ctx.database.db.select().from(sessions).where(eq(sessions.userId, userId))).filter((s) => s.revokedAt === null)
    .length;

describe('POST /api/auth/signout', () => {
  it.each([
    ['no token', {}],
    ['a garbage bearer token', { authorization: 'Bearer garbage' }],
    ['a header that is not a bearer token', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty authorization header', { authorization: '' }],
  ])('answers 200 and revokes nothing when given %s', async (_case, headers) => {
    const user = await signUpUser(ctx.app);
    const response = await signOut(headers);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(SIGNED_OUT);
    expect(await liveSessionCount(user.id)).toBe(1);
    expect((await me(user.auth)).statusCode).toBe(200);
  });

  it('answers 200 and revokes nothing for a well-formed token signed with another secret', async () => {
    const user = await signUpUser(ctx.app);
    const { sid, ...claims } = decodeJwt(user.token);
    const forged = await new SignJWT({ ...claims, sid }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(
      createTokenKeys({
        secret: 'some-other-secret-that-is-32-characters-or-more',
        issuer: 'todo-api',
        audience: 'todo-api',
      }).signingKey,
    );
    const response = await signOut({ authorization: `Bearer ${forged}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(SIGNED_OUT);
    expect((await sessionOf(user.token)).revokedAt).toBeNull();
    expect((await me(user.auth)).statusCode).toBe(200);
  });

  it('answers 200 for a valid token and revokes its session', async () => {
    const user = await signUpUser(ctx.app);
    expect((await me(user.auth)).statusCode).toBe(200); // the session is now in the liveness cache too
    const response = await signOut(user.auth);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(SIGNED_OUT);
    expect((await sessionOf(user.token)).revokedAt).toBeInstanceOf(Date);
  });

  it('makes the token answer 401 invalid_token on /api/auth/me and on task routes at once', async () => {
    const user = await signUpUser(ctx.app);
    expect((await me(user.auth)).statusCode).toBe(200);
    expect((await listTasks(user, user.auth)).statusCode).toBe(200);

    expect((await signOut(user.auth)).statusCode).toBe(200);

    const current = await me(user.auth);
    expect(current.statusCode).toBe(401);
    expect(current.json()).toEqual(INVALID_TOKEN);
    expect(current.headers['www-authenticate']).toBe('Bearer');
    const tasks = await listTasks(user, user.auth);
    expect(tasks.statusCode).toBe(401);
    expect(tasks.json()).toEqual(INVALID_TOKEN);
    expect(tasks.headers['www-authenticate']).toBe('Bearer');
    const create = await ctx.app.inject({
      method: 'POST',
      url: `/api/${user.id}/tasks`,
      headers: user.auth,
      payload: { title: 'after signout' },
    });
    expect(create.statusCode).toBe(401);
    expect(create.json()).toEqual(INVALID_TOKEN);
  });

  it('answers 200 again when the same token signs out twice', async () => {
    const user = await signUpUser(ctx.app);
    expect((await signOut(user.auth)).statusCode).toBe(200);
    const again = await signOut(user.auth);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(SIGNED_OUT);
    expect((await me(user.auth)).statusCode).toBe(401);
  });

  it("leaves the same user's other sessions signed in", async () => {
    const user = await signUpUser(ctx.app);
    const laptop = await signIn(user);
    const phone = await signIn(user);
    expect(await liveSessionCount(user.id)).toBe(3);

    expect((await signOut(laptop)).statusCode).toBe(200);

    expect((await me(laptop)).statusCode).toBe(401);
    expect(await liveSessionCount(user.id)).toBe(2);
    for (const headers of [phone, user.auth]) {
      const current = await me(headers);
      expect(current.statusCode).toBe(200);
      expect(current.json().user.id).toBe(user.id);
      expect((await listTasks(user, headers)).statusCode).toBe(200);
    }
  });

  it("does not touch another user's sessions", async () => {
    const alice = await signUpUser(ctx.app);
    const bob = await signUpUser(ctx.app);
    expect((await signOut(alice.auth)).statusCode).toBe(200);
    expect((await me(bob.auth)).statusCode).toBe(200);
    expect(await liveSessionCount(bob.id)).toBe(1);
  });
});

describe('GET /api/auth/me', () => {
  it('answers 200 with exactly the id, email, name and creation time of the signed-in user', async () => {
    const user = await signUpUser(ctx.app, { name: 'Zoë Ąłø' });
    const response = await me(user.auth);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Object.keys(body)).toEqual(['user']);
    expect(Object.keys(body.user).sort()).toEqual(['created_at', 'email', 'id', 'name']);
    expect(body.user).toMatchObject({ id: user.id, email: user.email, name: 'Zoë Ąłø' });
    expect(body.user.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('answers for the user whose token is presented, not another', async () => {
    const alice = await signUpUser(ctx.app);
    const bob = await signUpUser(ctx.app);
    expect((await me(alice.auth)).json().user.id).toBe(alice.id);
    expect((await me(bob.auth)).json().user.id).toBe(bob.id);
  });

  it('never returns the password or its hash', async () => {
    const user = await signUpUser(ctx.app);
    const response = await me(user.auth);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toMatch(/argon2|password|hash/i);
  });

  it('answers 401 auth_required without a token', async () => {
    const response = await me();
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'Authentication required', code: 'auth_required' });
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });
});
