import { describe, expect, it } from 'vitest';
import { signUpUser, uniqueEmail, useTestApp } from '../support/test-app.js';

const ctx = useTestApp();

const signUp = (payload: unknown) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/signup', payload: payload as object });

describe('POST /api/auth/signup', () => {
  it('answers 201 with the user, a token and its expiry', async () => {
    const email = uniqueEmail('New');
    const response = await signUp({
      name: '  Ann Lee ',
      email: `  ${email.toUpperCase()} `,
      password: 'correct horse',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['expires_at', 'token', 'user']);
    expect(Object.keys(body.user).sort()).toEqual(['created_at', 'email', 'id', 'name']);
    expect(body.user.email).toBe(email.toLowerCase());
    expect(body.user.name).toBe('Ann Lee');
    expect(body.user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body.user.created_at).toMatch(/Z$/);
    const expiresIn = Date.parse(body.expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(7 * 86400_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(7 * 86400_000);
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ user: body.user });
  });

  it('answers 400 email_taken for an email already registered in another letter case', async () => {
    const first = await signUpUser(ctx.app);
    const response = await signUp({ name: 'Other', email: first.email.toUpperCase(), password: 'another password' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Email already registered', code: 'email_taken' });
  });

  it.each([
    ['notanemail'],
    ['user@'],
    ['@example.com'],
    ['user@example'],
    ['us er@example.com'],
    [''],
    [`${'a'.repeat(250)}@example.com`],
  ])('answers 400 validation_failed for the email %j', async (email) => {
    const response = await signUp({ name: 'Ann', email, password: 'correct horse' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'Please enter a valid email',
      code: 'validation_failed',
      fields: { email: 'Please enter a valid email' },
    });
  });

  it.each([
    ['a 7-character password', 'short12', 'Password must be at least 8 characters'],
    ['7 emoji (14 UTF-16 units)', '😀😀😀😀😀😀😀', 'Password must be at least 8 characters'],
    ['a 129-character password', 'x'.repeat(129), 'Password must be 128 characters or less'],
    ['a missing password', undefined, 'Password must be at least 8 characters'],
  ])('answers 400 for %s', async (_case, password, message) => {
    const response = await signUp({ name: 'Ann', email: uniqueEmail(), password });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: message, code: 'validation_failed', fields: { password: message } });
  });

  it('accepts 8 code points and 128 code points, counted as people count them', async () => {
    for (const password of ['😀😀😀😀😀😀😀😀', 'ü'.repeat(128)]) {
      const response = await signUp({ name: 'Ann', email: uniqueEmail(), password });
      expect(response.statusCode).toBe(201);
    }
  });

  it.each([
    ['missing', undefined, 'Name is required'],
    ['blank', '   ', 'Name is required'],
    ['101 characters', 'n'.repeat(101), 'Name must be 100 characters or less'],
  ])('answers 400 for a %s name', async (_case, name, message) => {
    const response = await signUp({ name, email: uniqueEmail(), password: 'correct horse' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: message, code: 'validation_failed', fields: { name: message } });
  });

  it('accepts a 100-character name in any script', async () => {
    const response = await signUp({ name: '名'.repeat(100), email: uniqueEmail(), password: 'correct horse' });
    expect(response.statusCode).toBe(201);
    expect(response.json().user.name).toBe('名'.repeat(100));
  });

  it('lists every failing field and repeats the first one in error', async () => {
    const response = await signUp({ name: '', email: 'nope', password: 'short' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'Name is required',
      code: 'validation_failed',
      fields: {
        name: 'Name is required',
        email: 'Please enter a valid email',
        password: 'Password must be at least 8 characters',
      },
    });
  });

  it('ignores unknown fields and cannot be told the id or timestamps', async () => {
    const email = uniqueEmail();
    const response = await signUp({
      name: 'Ann',
      email,
      password: 'correct horse',
      id: 'mine',
      created_at: '2000-01-01T00:00:00Z',
      role: 'admin',
    });
    expect(response.statusCode).toBe(201);
    const { user } = response.json();
    expect(user.id).not.toBe('mine');
    expect(user.created_at).not.toBe('2000-01-01T00:00:00.000Z');
    expect(user).not.toHaveProperty('role');
  });

  it('answers 400 validation_failed, not 500, for wrong types', async () => {
    const response = await signUp({ name: 42, email: ['a@b.co'], password: { length: 9 } });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect(Object.keys(response.json().fields).sort()).toEqual(['email', 'name', 'password']);
  });

  it('never returns the password hash', async () => {
    const response = await signUp({ name: 'Ann', email: uniqueEmail(), password: 'correct horse' });
    expect(response.body).not.toMatch(/argon2|password/i);
  });
});
