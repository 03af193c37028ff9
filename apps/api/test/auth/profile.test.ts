import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '@todo/shared/limits';
import { expectSessionLive, postSignIn, signUpUser, useTestApp, type SignedUpUser } from '../support/test-app.js';

// accounts.md "Profile": PATCH /api/auth/me {"name"} by signup's rules -> 200 {"user"}; new tokens
// carry the new name, existing ones keep working; the change is recorded as profile_updated.

const ctx = useTestApp();

const rename = (headers: Record<string, string>, payload: unknown) =>
  ctx.app.inject({ method: 'PATCH', url: '/api/auth/me', headers, payload: payload as object });
const me = async (user: SignedUpUser) =>
  (await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: user.auth })).json().user;

describe('PATCH /api/auth/me', () => {
  it('renames the caller and answers their user, as GET /me now does', async () => {
    const user = await signUpUser(ctx.app, { name: 'Ada' });
    const response = await rename(user.auth, { name: '  Ada Lovelace  ' });
    expect(response.statusCode).toBe(200);
    const { user: renamed } = response.json();
    expect(renamed).toEqual({ ...(await me(user)), name: 'Ada Lovelace' });
    expect(Object.keys(renamed).sort()).toEqual(Object.keys(await me(user)).sort());
    expect(renamed.id).toBe(user.id);
    expect(renamed.email).toBe(user.email);
  });

  it('keeps the old tokens working, and signs the new name into tokens issued afterwards', async () => {
    const user = await signUpUser(ctx.app, { name: 'Old Name' });
    expect((await rename(user.auth, { name: 'New Name' })).statusCode).toBe(200);
    await expectSessionLive(ctx.app, user.auth);
    const signIn = await postSignIn(ctx.app, user.email, user.password);
    expect(signIn.json().user.name).toBe('New Name');
    expect(decodeJwt(signIn.json().token).name).toBe('New Name');
  });

  it.each([
    ['missing', {}, 'Name is required'],
    ['empty', { name: '' }, 'Name is required'],
    ['only spaces', { name: '   ' }, 'Name is required'],
    ['not text', { name: 42 }, 'Name must be text'],
    ['too long', { name: 'n'.repeat(LIMITS.nameMax + 1) }, `Name must be ${LIMITS.nameMax} characters or less`],
    ['with a control character', { name: 'Ada\u0007' }, 'Name must not contain control characters'],
  ])('refuses a name that is %s with 400 and the field named, changing nothing', async (_case, body, sentence) => {
    const user = await signUpUser(ctx.app, { name: 'Unchanged' });
    const response = await rename(user.auth, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: sentence, code: 'validation_failed', fields: { name: sentence } });
    expect((await me(user)).name).toBe('Unchanged');
  });

  it('takes a name of exactly the longest length, counted in code points', async () => {
    const user = await signUpUser(ctx.app);
    const name = '😀'.repeat(LIMITS.nameMax);
    const response = await rename(user.auth, { name });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.name).toBe(name);
  });

  it('needs a signed-in caller', async () => {
    const response = await rename({}, { name: 'Nobody' });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('auth_required');
  });

  it('renames only the caller, whatever the body says about other accounts', async () => {
    const [ann, bob] = [await signUpUser(ctx.app, { name: 'Ann' }), await signUpUser(ctx.app, { name: 'Bob' })];
    const response = await rename(ann.auth, { name: 'Ann B', id: bob.id, email: bob.email });
    expect(response.statusCode).toBe(200);
    expect((await me(bob)).name).toBe('Bob');
    expect((await me(ann)).email).toBe(ann.email);
  });

  it('refuses a cookie-authenticated rename from another origin', async () => {
    const signUp = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { name: 'Cookie', email: `cookie-${Date.now()}@example.com`, password: 'correct horse battery' },
    });
    const cookie = signUp.cookies.find((c) => c.name === 'todo_session')!;
    const response = await rename(
      { cookie: `todo_session=${cookie.value}`, origin: 'https://evil.example' },
      { name: 'Pwned' },
    );
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('csrf');
    const after = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${signUp.json().token}` },
    });
    expect(after.json().user.name).toBe('Cookie');
  });

  it('records profile_updated in the caller’s security events', async () => {
    const user = await signUpUser(ctx.app);
    await rename(user.auth, { name: 'Renamed' });
    const events = await ctx.app.inject({ method: 'GET', url: '/api/auth/events', headers: user.auth });
    expect(events.json()[0]).toMatchObject({ event: 'profile_updated' });
    expect(JSON.stringify(events.json())).not.toContain('Renamed');
  });
});
