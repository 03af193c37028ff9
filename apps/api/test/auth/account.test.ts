import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/auth/password/password-hash.js';
import { sessions, tasks, users } from '../../src/db/schema.js';
import {
  expectSessionLive,
  expectSessionRefused,
  postSignIn,
  signInAgain,
  signUpUser,
  type SignedUpUser,
  uniqueEmail,
  useTestApp,
} from '../support/test-app.js';

const ctx = useTestApp();

type Headers = Record<string, string>;

const AUTH_REQUIRED = { error: 'Authentication required', code: 'auth_required' };
const INVALID_TOKEN = { error: 'Invalid or malformed token', code: 'invalid_token' };
const INVALID_CREDENTIALS = { error: 'Invalid email or password', code: 'invalid_credentials' };
const TOO_COMMON = 'This password is too common, please choose another';
// The account endpoints' answers to a wrong current password: no `fields`, which the contract keeps for validation_failed.
const WRONG_CURRENT_PASSWORD = { error: 'Current password is incorrect', code: 'invalid_credentials' };
const NEW_PASSWORD = 'a brand new passphrase';

const changePassword = (headers: Headers, payload: object) =>
  ctx.app.inject({ method: 'PUT', url: '/api/auth/password', headers, payload });
const deleteAccount = (headers: Headers, payload?: object) =>
  ctx.app.inject({ method: 'DELETE', url: '/api/auth/account', headers, ...(payload ? { payload } : {}) });
const signIn = (email: string, password: string) => postSignIn(ctx.app, email, password);
const newSession = (user: SignedUpUser) => signInAgain(ctx.app, user);

async function expectSignInWorks(email: string, password: string) {
  const response = await signIn(email, password);
  expect(response.statusCode).toBe(200);
}

async function expectSignInRefused(email: string, password: string) {
  const response = await signIn(email, password);
  expect(response.statusCode).toBe(400);
  expect(response.json()).toEqual(INVALID_CREDENTIALS);
}

async function storedHash(userId: string) {
  const [row] = await ctx.database.db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  return row?.passwordHash;
}

async function createTask(user: SignedUpUser, title: string) {
  const response = await ctx.app.inject({
    method: 'POST',
    url: `/api/${user.id}/tasks`,
    headers: user.auth,
    payload: { title },
  });
  expect(response.statusCode).toBe(201);
  return response.json().id as number;
}

async function rowsOf(userId: string) {
  const db = ctx.database.db;
  return {
    users: await db.select().from(users).where(eq(users.id, userId)),
    sessions: await db.select().from(sessions).where(eq(sessions.userId, userId)),
    tasks: await db.select().from(tasks).where(eq(tasks.userId, userId)),
  };
}

describe('PUT /api/auth/password', () => {
  it('changes the password: the old one no longer signs in, the new one does', async () => {
    const user = await signUpUser(ctx.app);
    const before = await storedHash(user.id);

    const response = await changePassword(user.auth, { current_password: user.password, new_password: NEW_PASSWORD });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json())).toEqual(['message']);
    expect(response.json().message).toEqual(expect.any(String));

    const after = await storedHash(user.id);
    expect(after).not.toBe(before);
    expect(after).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(after!, NEW_PASSWORD)).toBe(true);
    await expectSignInRefused(user.email, user.password);
    await expectSignInWorks(user.email, NEW_PASSWORD);
  });

  it("signs out the caller's other sessions and keeps the current one", async () => {
    const user = await signUpUser(ctx.app);
    const laptop = await newSession(user);
    const phone = await newSession(user);
    for (const headers of [user.auth, laptop, phone]) await expectSessionLive(ctx.app, headers);

    const response = await changePassword(laptop, { current_password: user.password, new_password: NEW_PASSWORD });
    expect(response.statusCode).toBe(200);

    await expectSessionLive(ctx.app, laptop);
    await expectSessionRefused(ctx.app, user.auth);
    await expectSessionRefused(ctx.app, phone);
    const live = (await rowsOf(user.id)).sessions.filter((session) => session.revokedAt === null);
    expect(live).toHaveLength(1);
  });

  it('leaves other users signed in', async () => {
    const user = await signUpUser(ctx.app);
    const other = await signUpUser(ctx.app);
    expect(
      (await changePassword(user.auth, { current_password: user.password, new_password: NEW_PASSWORD })).statusCode,
    ).toBe(200);
    await expectSessionLive(ctx.app, other.auth);
    await expectSignInWorks(other.email, other.password);
  });

  it('answers 400 invalid_credentials "Current password is incorrect", without fields, for a wrong current password, and changes nothing', async () => {
    const user = await signUpUser(ctx.app);
    const phone = await newSession(user);
    const before = await storedHash(user.id);

    const response = await changePassword(user.auth, {
      current_password: 'not my password',
      new_password: NEW_PASSWORD,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(WRONG_CURRENT_PASSWORD);

    expect(await storedHash(user.id)).toBe(before);
    await expectSignInWorks(user.email, user.password);
    await expectSignInRefused(user.email, NEW_PASSWORD);
    await expectSessionLive(ctx.app, phone);
  });

  it.each([
    ['too short', 'short12', { code: 'validation_failed', message: 'Password must be at least 8 characters' }],
    ['too long', 'x'.repeat(129), { code: 'validation_failed', message: 'Password must be 128 characters or less' }],
    ['too common', 'password1', { code: 'password_too_common', message: TOO_COMMON }],
    ['too common in another letter case', 'Qwerty123', { code: 'password_too_common', message: TOO_COMMON }],
  ])('answers 400 for a new password that is %s, and changes nothing', async (_case, newPassword, expected) => {
    const user = await signUpUser(ctx.app);
    const phone = await newSession(user);
    const before = await storedHash(user.id);

    const response = await changePassword(user.auth, { current_password: user.password, new_password: newPassword });
    expect(response.statusCode).toBe(400);
    // `fields` only for validation_failed; password_too_common carries none.
    const fields = expected.code === 'validation_failed' ? { fields: { new_password: expected.message } } : {};
    expect(response.json()).toEqual({ error: expected.message, code: expected.code, ...fields });

    expect(await storedHash(user.id)).toBe(before);
    await expectSignInWorks(user.email, user.password);
    await expectSessionLive(ctx.app, phone);
  });

  it('answers 400 password_too_common for a new password equal to the email or its local part', async () => {
    const email = uniqueEmail('longlocalpart');
    const user = await signUpUser(ctx.app, { email });
    for (const newPassword of [email, email.split('@')[0]!]) {
      const response = await changePassword(user.auth, { current_password: user.password, new_password: newPassword });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: TOO_COMMON, code: 'password_too_common' });
    }
    await expectSignInWorks(user.email, user.password);
  });

  it('answers 400 validation_failed naming both fields when the body is empty', async () => {
    const user = await signUpUser(ctx.app);
    const response = await changePassword(user.auth, {});
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect(Object.keys(response.json().fields).sort()).toEqual(['current_password', 'new_password']);
    await expectSignInWorks(user.email, user.password);
  });

  it('normalises the new password to NFKC, so its full-width form signs in too', async () => {
    const user = await signUpUser(ctx.app);
    const response = await changePassword(user.auth, {
      current_password: user.password,
      new_password: 'ａ ｂｒａｎｄ ｎｅｗ ｐａｓｓｐｈｒａｓｅ',
    });
    expect(response.statusCode).toBe(200);
    await expectSignInWorks(user.email, NEW_PASSWORD);
  });

  it('answers 401 auth_required without a token', async () => {
    const response = await changePassword({}, { current_password: 'whatever it is', new_password: NEW_PASSWORD });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(AUTH_REQUIRED);
  });

  it('answers 401 invalid_token for a revoked token and changes nothing', async () => {
    const user = await signUpUser(ctx.app);
    const phone = await newSession(user);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/auth/signout', headers: phone })).statusCode).toBe(200);
    const response = await changePassword(phone, { current_password: user.password, new_password: NEW_PASSWORD });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(INVALID_TOKEN);
    await expectSignInWorks(user.email, user.password);
  });
});

describe('DELETE /api/auth/account', () => {
  it('deletes the user, every session and every task, and answers 200', async () => {
    const user = await signUpUser(ctx.app);
    const phone = await newSession(user);
    await expectSessionLive(ctx.app, phone);
    await createTask(user, 'first');
    await createTask(user, 'second');
    const before = await rowsOf(user.id);
    expect([before.users.length, before.sessions.length, before.tasks.length]).toEqual([1, 2, 2]);

    const response = await deleteAccount(user.auth, { password: user.password });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json())).toEqual(['message']);

    expect(await rowsOf(user.id)).toEqual({ users: [], sessions: [], tasks: [] });
    await expectSessionRefused(ctx.app, user.auth);
    await expectSessionRefused(ctx.app, phone);
    await expectSignInRefused(user.email, user.password);
  });

  it('lets the email sign up again, as a new account with nothing in it', async () => {
    const user = await signUpUser(ctx.app);
    await createTask(user, 'from the old account');
    expect((await deleteAccount(user.auth, { password: user.password })).statusCode).toBe(200);

    const again = await signUpUser(ctx.app, { email: user.email, password: 'a different passphrase' });
    expect(again.id).not.toBe(user.id);
    const list = await ctx.app.inject({ method: 'GET', url: `/api/${again.id}/tasks`, headers: again.auth });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([]);
    await expectSessionRefused(ctx.app, user.auth);
  });

  it("leaves other users' accounts, sessions and tasks alone", async () => {
    const user = await signUpUser(ctx.app);
    const other = await signUpUser(ctx.app);
    await createTask(other, 'keep me');
    const before = await rowsOf(other.id);

    expect((await deleteAccount(user.auth, { password: user.password })).statusCode).toBe(200);

    expect(await rowsOf(other.id)).toEqual(before);
    await expectSessionLive(ctx.app, other.auth);
  });

  it('answers 400 invalid_credentials "Current password is incorrect", without fields, for a wrong password and deletes nothing', async () => {
    const user = await signUpUser(ctx.app);
    await createTask(user, 'still here');
    const before = await rowsOf(user.id);

    const response = await deleteAccount(user.auth, { password: 'not my password' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(WRONG_CURRENT_PASSWORD);

    expect(await rowsOf(user.id)).toEqual(before);
    await expectSessionLive(ctx.app, user.auth);
    await expectSignInWorks(user.email, user.password);
  });

  it.each([
    ['no password', {}],
    ['an empty password', { password: '' }],
    ['no body at all', undefined],
  ])('answers 400 validation_failed naming password for %s and deletes nothing', async (_case, payload) => {
    const user = await signUpUser(ctx.app);
    await createTask(user, 'still here');
    const before = await rowsOf(user.id);

    const response = await deleteAccount(user.auth, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect(Object.keys(response.json().fields)).toEqual(['password']);
    expect(response.json().error).toBe(response.json().fields.password);

    expect(await rowsOf(user.id)).toEqual(before);
    await expectSessionLive(ctx.app, user.auth);
    await expectSignInWorks(user.email, user.password);
  });

  it('answers 401 auth_required without a token and deletes nothing', async () => {
    const user = await signUpUser(ctx.app);
    const response = await deleteAccount({}, { password: user.password });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(AUTH_REQUIRED);
    expect((await rowsOf(user.id)).users).toHaveLength(1);
  });

  it("cannot delete another user's account with that user's password and one's own token", async () => {
    const user = await signUpUser(ctx.app);
    const victim = await signUpUser(ctx.app, { password: 'the victim passphrase' });
    const response = await deleteAccount(user.auth, { password: victim.password });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_credentials');
    expect((await rowsOf(victim.id)).users).toHaveLength(1);
    expect((await rowsOf(user.id)).users).toHaveLength(1);
  });
});
