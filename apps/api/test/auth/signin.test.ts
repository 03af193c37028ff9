import { eq } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { sessions } from '../../src/db/schema.js';
import { signUpUser, uniqueEmail, useTestApp } from '../support/test-app.js';

const ctx = useTestApp();

const signIn = (payload: unknown) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/signin', payload: payload as object });
const me = (token: string) =>
  ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
const signOut = (token: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/signout', headers: { authorization: `Bearer ${token}` } });

const sessionCount = async (userId: string) =>
  (await ctx.database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))).length;

describe('POST /api/auth/signin', () => {
  it('answers 200 with the user, a token and its expiry, the same shape as signup', async () => {
    const user = await signUpUser(ctx.app, { name: 'Ann Lee' });
    const response = await signIn({ email: user.email, password: user.password });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['expires_at', 'token', 'user']);
    expect(Object.keys(body.user).sort()).toEqual(['created_at', 'email', 'id', 'name']);
    expect(body.user).toMatchObject({ id: user.id, email: user.email, name: 'Ann Lee' });
    expect(body.user.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const expiresIn = Date.parse(body.expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(7 * 86400_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(7 * 86400_000);
    expect(body.token).not.toBe(user.token);
    const current = await me(body.token);
    expect(current.statusCode).toBe(200);
    expect(current.json()).toEqual({ user: body.user });
  });

  it('matches the email case-insensitively', async () => {
    const user = await signUpUser(ctx.app, { email: uniqueEmail('Mixed').toLowerCase() });
    const response = await signIn({ email: user.email.toUpperCase(), password: user.password });
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toMatchObject({ id: user.id, email: user.email });
    expect((await me(response.json().token)).statusCode).toBe(200);
  });

  it('answers 400 invalid_credentials for a wrong password and opens no session', async () => {
    const user = await signUpUser(ctx.app);
    const response = await signIn({ email: user.email, password: `${user.password}!` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Invalid email or password', code: 'invalid_credentials' });
    expect(await sessionCount(user.id)).toBe(1); // only the one signup opened
  });

  it('answers 400 invalid_credentials for an unknown email', async () => {
    const response = await signIn({ email: uniqueEmail('nobody'), password: 'correct horse battery' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Invalid email or password', code: 'invalid_credentials' });
  });

  it('answers a wrong password and an unknown email with byte-identical responses', async () => {
    const user = await signUpUser(ctx.app);
    const wrongPassword = await signIn({ email: user.email, password: 'not the password' });
    const unknownEmail = await signIn({ email: uniqueEmail('nobody'), password: 'not the password' });
    expect(wrongPassword.statusCode).toBe(400);
    expect(unknownEmail.statusCode).toBe(400);
    expect(wrongPassword.body).toBe('{"error":"Invalid email or password","code":"invalid_credentials"}');
    expect(unknownEmail.body).toBe(wrongPassword.body);
    expect(unknownEmail.headers['content-type']).toBe(wrongPassword.headers['content-type']);
    expect(unknownEmail.headers['content-length']).toBe(wrongPassword.headers['content-length']);
  });

  it.each([
    ['a missing email', { password: 'correct horse battery' }],
    ['an empty email', { email: '', password: 'correct horse battery' }],
    ['a blank email', { email: '   ', password: 'correct horse battery' }],
  ])('answers 400 validation_failed "Email is required" for %s', async (_case, payload) => {
    const response = await signIn(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'Email is required',
      code: 'validation_failed',
      fields: { email: 'Email is required' },
    });
  });

  it.each([
    ['a missing password', {}],
    ['an empty password', { password: '' }],
  ])('answers 400 validation_failed "Password is required" for %s', async (_case, extra) => {
    const user = await signUpUser(ctx.app);
    const response = await signIn({ email: user.email, ...extra });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'Password is required',
      code: 'validation_failed',
      fields: { password: 'Password is required' },
    });
    expect(await sessionCount(user.id)).toBe(1);
  });

  it('lists both fields when email and password are missing, repeating the email message first', async () => {
    const response = await signIn({});
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'Email is required',
      code: 'validation_failed',
      fields: { email: 'Email is required', password: 'Password is required' },
    });
  });

  it('answers 400 validation_failed, not 500, for wrong types', async () => {
    const response = await signIn({ email: 42, password: ['correct horse battery'] });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect(Object.keys(response.json().fields).sort()).toEqual(['email', 'password']);
  });

  it('opens a new session on every signin, and signing out one leaves the other signed in', async () => {
    const user = await signUpUser(ctx.app);
    const first = await signIn({ email: user.email, password: user.password });
    const second = await signIn({ email: user.email, password: user.password });
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    const firstToken: string = first.json().token;
    const secondToken: string = second.json().token;
    expect(decodeJwt(firstToken).sid).not.toBe(decodeJwt(secondToken).sid);
    expect(await sessionCount(user.id)).toBe(3); // signup + two signins

    expect((await me(firstToken)).statusCode).toBe(200);
    expect((await me(secondToken)).statusCode).toBe(200);

    const signedOut = await signOut(firstToken);
    expect(signedOut.statusCode).toBe(200);
    const revoked = await me(firstToken);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json()).toEqual({ error: 'Invalid or malformed token', code: 'invalid_token' });
    const stillIn = await me(secondToken);
    expect(stillIn.statusCode).toBe(200);
    expect(stillIn.json().user.id).toBe(user.id);
    expect((await me(user.token)).statusCode).toBe(200);
  });

  it('never returns the password hash', async () => {
    const user = await signUpUser(ctx.app);
    const response = await signIn({ email: user.email, password: user.password });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toMatch(/argon2|password/i);
  });
});
