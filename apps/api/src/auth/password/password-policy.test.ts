import { dictionary } from '@zxcvbn-ts/language-common';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '@todo/shared/errors';
import { AppError } from '../../errors.js';
import { normalizePassword } from './password-hash.js';
import { assertAcceptablePassword } from './password-policy.js';

const PASSWORD_TOO_COMMON = errorCatalogue.password_too_common.message;

const EMAIL = 'averylongname@example.com';

/** The AppError assertAcceptablePassword throws, or undefined when it accepts the password. */
function refusalOf(password: string, email = EMAIL): AppError | undefined {
  try {
    assertAcceptablePassword(password, email);
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

// No `fields`: the contract keeps those for validation_failed; clients map the code to the password input.
const tooCommon = () => ({ status: 400, code: 'password_too_common', message: PASSWORD_TOO_COMMON, fields: undefined });

describe('assertAcceptablePassword', () => {
  it('says "This password is too common, please choose another"', () => {
    expect(PASSWORD_TOO_COMMON).toBe('This password is too common, please choose another');
  });

  it('refuses at least 10,000 distinct breached passwords of an allowed length', () => {
    const candidates = [
      ...new Set(dictionary['passwords-common'].filter((p) => [...p].length >= 8 && [...p].length <= 128)),
    ];
    const refused = candidates.filter((password) => refusalOf(password, 'someone@example.com') !== undefined);
    expect(refused.length).toBeGreaterThanOrEqual(10_000);
  });

  it.each([
    ['password1'],
    ['qwerty123'],
    ['iloveyou1'],
    ['Password1'],
    ['PASSWORD1'],
    ['QwErTy123'],
    ['ｐａｓｓｗｏｒｄ１'],
  ])('refuses %j as too common', (password) => {
    expect(refusalOf(password)).toMatchObject(tooCommon());
  });

  it.each([
    ['a space before it', ' password123'],
    ['a space after it', 'password123 '],
    ['spaces on both sides', '  qwerty123  '],
    ['a tab and a line break around it', '\tiloveyou1\n'],
    ['a no-break space before it (NFKC makes it a space)', '\u00A0password1'],
    ['an ideographic space after it', 'password1\u3000'],
    ['capitals and a space', ' PASSWORD1'],
  ])('refuses a common password with %s', (_case, password) => {
    expect(refusalOf(password)).toMatchObject(tooCommon());
  });

  it.each([
    ['the email with spaces around it', ` ${EMAIL} `],
    ['the local part with a space after it', 'averylongname '],
  ])('refuses %s', (_case, password) => {
    expect(refusalOf(password)).toMatchObject(tooCommon());
  });

  it('accepts a common password with more inside it than spaces around it', () => {
    expect(refusalOf('pass word123')).toBeUndefined();
  });

  it.each([
    ['the email', EMAIL],
    ['the email in capitals', EMAIL.toUpperCase()],
    ['the local part of the email', 'averylongname'],
    ['the local part in another letter case', 'AVeryLongName'],
  ])('refuses %s', (_case, password) => {
    expect(refusalOf(password)).toMatchObject(tooCommon());
  });

  it('names no field, since the contract keeps `fields` for validation_failed', () => {
    const refusal = refusalOf('password1');
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal?.fields).toBeUndefined();
  });

  it.each([['correct horse battery'], ['averylongname!'], ['Zoë’s pässwörd 😀']])('accepts %j', (password) => {
    expect(refusalOf(password)).toBeUndefined();
  });
});

describe('normalizePassword', () => {
  it.each([
    ['full-width letters and an ideographic space', 'ｃｏｒｒｅｃｔ\u3000ｈｏｒｓｅ', 'correct horse'],
    ['a ligature', '\uFB01nal answer', 'final answer'],
    ['a decomposed accent', 'cafe\u0301 cre\u0300me', 'caf\u00e9 cr\u00e8me'],
    ['full-width digits', 'pin １２３４', 'pin 1234'],
  ])('maps %s to NFKC', (_case, typed, normalized) => {
    expect(normalizePassword(typed)).toBe(normalized);
  });

  it('leaves an NFKC password unchanged', () => {
    expect(normalizePassword('correct horse battery')).toBe('correct horse battery');
  });
});
