import { randomUUID } from 'node:crypto';
import { eq, inArray, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password/password-hash.js';
import { users } from '../../src/db/schema.js';
import { postSignIn, signUpUser, useTestApp } from '../support/test-app.js';

const ctx = useTestApp();

const PASSWORD = 'correct horse battery';
const INVALID_EMAIL = {
  error: 'Please enter a valid email',
  code: 'validation_failed',
  fields: { email: 'Please enter a valid email' },
};

/** A fresh address in the three scripts the spellings below play with: josé-…@bücher.de. */
function freshAddress() {
  const tag = randomUUID().slice(0, 8);
  return { tag, local: `josé-${tag}`, normal: `josé-${tag}@xn--bcher-kva.de` };
}

// Ways to write one mailbox that a person cannot tell apart: each must reach the one account.
const sameAddress: Array<[string, (local: string) => string]> = [
  ['NFC with a Unicode domain', (local) => `${local}@bücher.de`],
  ['NFD (e + combining accent)', (local) => `${local.normalize('NFD')}@bu\u0308cher.de`],
  ['capitals', (local) => `${local.toUpperCase()}@BÜCHER.DE`],
  ['the punycode domain', (local) => `${local}@xn--bcher-kva.de`],
  ['a trailing dot on the domain', (local) => `${local}@bücher.de.`],
  ['full-width letters and dot in the domain', (local) => `${local}@ｂüｃｈｅｒ\uFF0Ede`],
];

// Spellings that only imitate the address: refused wherever an email enters.
const imitations: Array<[string, (local: string) => string]> = [
  ['a zero-width space', (local) => `${local}\u200B@bücher.de`],
  ['a soft hyphen', (local) => `jo\u00AD${local.slice(2)}@bücher.de`],
  ['a zero-width joiner in the domain', (local) => `${local}@bü\u200Dcher.de`],
  ['an NFKC ligature (ﬁ)', (local) => `${local}\uFB01@bücher.de`],
  ['full-width letters in the local part', (local) => `ｊｏｓé${local.slice(4)}@bücher.de`],
  ['NUL', (local) => `${local}\u0000@bücher.de`],
  ['a C0 control', (local) => `${local}\u001B@bücher.de`],
];

const signUp = (email: string, name = 'Look Alike') =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { name, email, password: PASSWORD } });

async function rowsFor(emails: string[]) {
  return ctx.database.db.select().from(users).where(inArray(users.email, emails));
}

/** Every account whose address holds this test's tag, however it is spelled. */
async function rowsTagged(tag: string) {
  return ctx.database.db
    .select()
    .from(users)
    .where(like(users.email, `%${tag}%`));
}

describe('POST /api/auth/signup with another spelling of a registered address', () => {
  it.each(sameAddress)('answers 400 email_taken for %s and stores no second account', async (_case, spell) => {
    const { tag, local, normal } = freshAddress();
    const first = await signUp(`${local}@bücher.de`);
    expect(first.statusCode).toBe(201);
    expect(first.json().user.email).toBe(normal);

    const second = await signUp(spell(local));
    expect(second.statusCode).toBe(400);
    expect(second.json()).toEqual({ error: 'Email already registered', code: 'email_taken' });
    expect(await rowsTagged(tag)).toHaveLength(1);
  });

  it.each(sameAddress)('stores %s in the normal form when it signs up first', async (_case, spell) => {
    const { local, normal } = freshAddress();
    const response = await signUp(spell(local));
    expect(response.statusCode).toBe(201);
    expect(response.json().user.email).toBe(normal);
    expect(await rowsFor([normal])).toHaveLength(1);
  });

  it.each(imitations)('answers 400 validation_failed for an address with %s', async (_case, spell) => {
    const { tag, local } = freshAddress();
    const response = await signUp(spell(local));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(INVALID_EMAIL);
    expect(await rowsTagged(tag)).toEqual([]);
  });
});

describe('POST /api/auth/signin with another spelling of the address', () => {
  it.each(sameAddress)('signs in to the same account with %s', async (_case, spell) => {
    const { local } = freshAddress();
    const user = await signUpUser(ctx.app, { email: `${local}@bücher.de`, password: PASSWORD });
    const response = await postSignIn(ctx.app, spell(local), PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toMatchObject({ id: user.id, email: user.email });
  });

  it.each(imitations)('answers 400 validation_failed for an address with %s', async (_case, spell) => {
    const { local } = freshAddress();
    await signUpUser(ctx.app, { email: `${local}@bücher.de`, password: PASSWORD });
    const response = await postSignIn(ctx.app, spell(local), PASSWORD);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(INVALID_EMAIL);
  });
});

// Rows written before normalisation, as an older server stored what was typed (trimmed, lower-cased).
const legacySpellings: Array<[string, (local: string) => string]> = [
  ['NFD in the local part', (local) => `${local.normalize('NFD')}@xn--bcher-kva.de`],
  ['a Unicode domain', (local) => `${local}@bücher.de`],
  ['NFD everywhere and a Unicode domain', (local) => `${local}@bücher.de`.normalize('NFD')],
  ['a trailing dot', (local) => `${local}@xn--bcher-kva.de.`],
  ['a Unicode domain with a trailing dot', (local) => `${local}@bücher.de.`],
];

describe('an account stored by an older server under a spelling that is not the normal form', () => {
  async function insertLegacyUser(email: string) {
    const [row] = await ctx.database.db
      .insert(users)
      .values({ email, name: 'Legacy', passwordHash: await hashPassword(PASSWORD) })
      .returning();
    return row!;
  }

  it.each(legacySpellings)('with %s still signs in, by every spelling of it', async (_case, stored) => {
    const { local } = freshAddress();
    const legacy = await insertLegacyUser(stored(local));
    for (const [, spell] of [...sameAddress, ['as stored', stored] as const]) {
      const response = await postSignIn(ctx.app, spell(local), PASSWORD);
      expect(response.statusCode).toBe(200);
      expect(response.json().user.id).toBe(legacy.id);
    }
    const [unchanged] = await ctx.database.db.select().from(users).where(eq(users.id, legacy.id));
    expect(unchanged!.email).toBe(stored(local));
  });

  it.each(legacySpellings)('with %s keeps its address: signing up again is email_taken', async (_case, stored) => {
    const { tag, local } = freshAddress();
    await insertLegacyUser(stored(local));
    for (const [, spell] of sameAddress) {
      const response = await signUp(spell(local));
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('email_taken');
    }
    expect(await rowsTagged(tag)).toHaveLength(1);
  });

  it('in normal form is the one signed in to when an older spelling of it is stored too', async () => {
    const { local, normal } = freshAddress();
    await insertLegacyUser(`${local.normalize('NFD')}@bücher.de`);
    const current = await insertLegacyUser(normal);
    const response = await postSignIn(ctx.app, `${local}@bücher.de`, PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json().user.id).toBe(current.id);
  });
});
