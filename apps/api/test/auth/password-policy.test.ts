import { hash } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/auth/password/password-hash.js';
import { users } from '../../src/db/schema.js';
import { postSignIn, signUpUser, uniqueEmail, useTestApp } from '../support/test-app.js';

const ctx = useTestApp();

const TOO_COMMON = 'This password is too common, please choose another';
// Exactly this body: no `fields`, which the contract keeps for validation_failed.
const TOO_COMMON_BODY = { error: TOO_COMMON, code: 'password_too_common' };
const CURRENT_PARAMETERS = '$argon2id$v=19$m=19456,t=2,p=1$';

const signUp = (payload: object) => ctx.app.inject({ method: 'POST', url: '/api/auth/signup', payload });
const signIn = (email: string, password: string) => postSignIn(ctx.app, email, password);

async function userRow(email: string) {
  const [row] = await ctx.database.db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row;
}

async function expectSignedIn(email: string, password: string) {
  const response = await signIn(email, password);
  expect(response.statusCode).toBe(200);
  expect(response.json().user.email).toBe(email.toLowerCase());
  const me = await ctx.app.inject({
    method: 'GET',
    url: '/api/auth/me',
    headers: { authorization: `Bearer ${response.json().token}` },
  });
  expect(me.statusCode).toBe(200);
}

async function expectRefused(email: string, password: string) {
  const response = await signIn(email, password);
  expect(response.statusCode).toBe(400);
  expect(response.json()).toEqual({ error: 'Invalid email or password', code: 'invalid_credentials' });
}

describe('POST /api/auth/signup with a common password', () => {
  it('uses a list in which iloveyou1 is a breached password', () => {
    expect(dictionary['passwords-common']).toContain('iloveyou1');
  });

  it.each([['password1'], ['qwerty123'], ['iloveyou1'], ['Password1'], ['QWERTY123'], ['ｐａｓｓｗｏｒｄ１']])(
    'answers 400 password_too_common for %j and creates no account',
    async (password) => {
      const email = uniqueEmail('common');
      const response = await signUp({ name: 'Ann', email, password });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(TOO_COMMON_BODY);
      expect(await userRow(email)).toBeUndefined();
    },
  );

  it.each([[' password123'], ['password123 '], ['\tqwerty123\n'], ['\u00A0iloveyou1'], ['  PASSWORD1  ']])(
    'answers 400 password_too_common for the common password %j with spaces around it',
    async (password) => {
      const email = uniqueEmail('spaced');
      const response = await signUp({ name: 'Ann', email, password });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(TOO_COMMON_BODY);
      expect(await userRow(email)).toBeUndefined();
    },
  );

  it('answers 400 password_too_common for a new password that is a common one with spaces around it', async () => {
    const user = await signUpUser(ctx.app);
    const response = await ctx.app.inject({
      method: 'PUT',
      url: '/api/auth/password',
      headers: user.auth,
      payload: { current_password: user.password, new_password: ' password123 ' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(TOO_COMMON_BODY);
    await expectSignedIn(user.email, user.password);
  });

  it('answers 400 password_too_common when the password is the email', async () => {
    const email = uniqueEmail('selfie');
    const response = await signUp({ name: 'Ann', email, password: email });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(TOO_COMMON_BODY);
    expect(await userRow(email)).toBeUndefined();
  });

  it('answers 400 password_too_common when the password is the email in another letter case', async () => {
    const email = uniqueEmail('selfie');
    const response = await signUp({ name: 'Ann', email: email.toUpperCase(), password: email.toUpperCase() });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(TOO_COMMON_BODY);
    expect(await userRow(email)).toBeUndefined();
  });

  it.each([['averylongname'], ['AVeryLongName']])(
    'answers 400 password_too_common when the password is the local part, as %j',
    async (password) => {
      const email = 'averylongname@example.com';
      const response = await signUp({ name: 'Ann', email, password });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(TOO_COMMON_BODY);
      expect(await userRow(email)).toBeUndefined();
    },
  );

  it('still answers validation_failed for a 7-character password, before the common check', async () => {
    const email = uniqueEmail();
    const response = await signUp({ name: 'Ann', email, password: 'abc1234' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'Password must be at least 8 characters',
      code: 'validation_failed',
      fields: { password: 'Password must be at least 8 characters' },
    });
    expect(await userRow(email)).toBeUndefined();
  });

  it('accepts a password of 128 characters and refuses one of 129', async () => {
    const accepted = uniqueEmail();
    expect((await signUp({ name: 'Ann', email: accepted, password: 'k'.repeat(127) + 'z' })).statusCode).toBe(201);
    const refused = uniqueEmail();
    const response = await signUp({ name: 'Ann', email: refused, password: 'k'.repeat(129) });
    expect(response.statusCode).toBe(400);
    expect(response.json().fields).toEqual({ password: 'Password must be 128 characters or less' });
    expect(await userRow(refused)).toBeUndefined();
  });

  it('accepts an uncommon password that merely contains a common one', async () => {
    const email = uniqueEmail();
    const response = await signUp({ name: 'Ann', email, password: 'password1 of the purple walrus' });
    expect(response.statusCode).toBe(201);
    await expectSignedIn(email, 'password1 of the purple walrus');
  });
});

describe('Unicode passwords (NFKC)', () => {
  const FULL_WIDTH = 'ｃｏｒｒｅｃｔ\u3000ｈｏｒｓｅ ｂａｔｔｅｒｙ';
  const ASCII = 'correct horse battery';

  it('normalises the full-width password used below to plain ASCII', () => {
    expect(FULL_WIDTH.normalize('NFKC')).toBe(ASCII);
  });

  it('lets a person who signed up with full-width characters sign in with the NFKC form', async () => {
    const email = uniqueEmail('wide');
    expect((await signUp({ name: 'Ann', email, password: FULL_WIDTH })).statusCode).toBe(201);
    await expectSignedIn(email, ASCII);
    await expectSignedIn(email, FULL_WIDTH);
    await expectRefused(email, 'correct horse batteries');
    expect(await verifyPassword((await userRow(email))!.passwordHash, ASCII)).toBe(true);
  });

  it('lets a person who signed up with the NFKC form sign in with full-width characters', async () => {
    const email = uniqueEmail('narrow');
    expect((await signUp({ name: 'Ann', email, password: ASCII })).statusCode).toBe(201);
    await expectSignedIn(email, FULL_WIDTH);
  });

  it('treats a decomposed accent and a precomposed one as the same password', async () => {
    const email = uniqueEmail('accent');
    expect((await signUp({ name: 'Ann', email, password: 'cafe\u0301 cre\u0300me brule\u0301e' })).statusCode).toBe(
      201,
    );
    await expectSignedIn(email, 'caf\u00e9 cr\u00e8me brul\u00e9e');
  });

  it('refuses a common password typed in full-width characters', async () => {
    const email = uniqueEmail();
    const response = await signUp({ name: 'Ann', email, password: 'ｑｗｅｒｔｙ１２３' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(TOO_COMMON_BODY);
    expect(await userRow(email)).toBeUndefined();
  });
});

describe('POST /api/auth/signin with a hash made with older parameters', () => {
  it.each([
    [
      'a higher time cost',
      { algorithm: 2, memoryCost: 19_456, timeCost: 3, parallelism: 1 },
      '$argon2id$v=19$m=19456,t=3,p=1$',
    ],
    [
      'a lower memory cost',
      { algorithm: 2, memoryCost: 8192, timeCost: 2, parallelism: 1 },
      '$argon2id$v=19$m=8192,t=2,p=1$',
    ],
    [
      'another parallelism',
      { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 2 },
      '$argon2id$v=19$m=19456,t=2,p=2$',
    ],
    [
      'argon2i instead of argon2id',
      { algorithm: 1, memoryCost: 19_456, timeCost: 2, parallelism: 1 },
      '$argon2i$v=19$m=19456,t=2,p=1$',
    ],
  ] as const)('signs in and replaces a hash with %s by one with today’s parameters', async (_case, options, prefix) => {
    const user = await signUpUser(ctx.app);
    const older = await hash(user.password, options);
    expect(older.startsWith(prefix)).toBe(true);
    await ctx.database.db.update(users).set({ passwordHash: older }).where(eq(users.id, user.id));

    await expectSignedIn(user.email, user.password);

    const stored = (await userRow(user.email))!.passwordHash;
    expect(stored.startsWith(CURRENT_PARAMETERS)).toBe(true);
    expect(stored).not.toBe(older);
    expect(await verifyPassword(stored, user.password)).toBe(true);
    await expectSignedIn(user.email, user.password);
    await expectRefused(user.email, 'not the password at all');
  });

  it('leaves an older hash alone when the password is wrong', async () => {
    const user = await signUpUser(ctx.app);
    const older = await hash(user.password, { algorithm: 2, memoryCost: 8192, timeCost: 3, parallelism: 1 });
    await ctx.database.db.update(users).set({ passwordHash: older }).where(eq(users.id, user.id));

    await expectRefused(user.email, 'a wrong password entirely');

    expect((await userRow(user.email))!.passwordHash).toBe(older);
  });

  it('rehashes the NFKC form, so a full-width sign-in still works afterwards in either form', async () => {
    const user = await signUpUser(ctx.app, { password: 'correct horse battery' });
    const older = await hash('correct horse battery', { algorithm: 2, memoryCost: 8192, timeCost: 3, parallelism: 1 });
    await ctx.database.db.update(users).set({ passwordHash: older }).where(eq(users.id, user.id));

    await expectSignedIn(user.email, 'ｃｏｒｒｅｃｔ\u3000ｈｏｒｓｅ ｂａｔｔｅｒｙ');

    const stored = (await userRow(user.email))!.passwordHash;
    expect(stored.startsWith(CURRENT_PARAMETERS)).toBe(true);
    await expectSignedIn(user.email, 'correct horse battery');
  });

  it('does not rewrite a hash that already has today’s parameters', async () => {
    const user = await signUpUser(ctx.app);
    const before = (await userRow(user.email))!.passwordHash;
    expect(before.startsWith(CURRENT_PARAMETERS)).toBe(true);

    await expectSignedIn(user.email, user.password);

    expect((await userRow(user.email))!.passwordHash).toBe(before);
  });
});
