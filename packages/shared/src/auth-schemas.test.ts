import { describe, expect, it } from 'vitest';
import {
  changePasswordBodySchema,
  listEventsQuerySchema,
  sessionPathSchema,
  signInBodySchema,
  signUpBodySchema,
} from './auth-schemas.js';
import { validateFields } from './field-errors.js';

const valid = { name: 'Ada', email: 'ada@example.com', password: 'correct horse' };

describe('signUpBodySchema', () => {
  it('trims the name and trims and lower-cases the email; the password is kept as typed', () => {
    expect(signUpBodySchema.parse({ name: '  Ada ', email: ' Ada@Example.com ', password: ' secret 12 ' })).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
      password: ' secret 12 ',
    });
  });

  it.each([
    [
      'an empty body',
      {},
      {
        name: 'Name is required',
        email: 'Please enter a valid email',
        password: 'Password must be at least 8 characters',
      },
    ],
    ['a blank name', { ...valid, name: '   ' }, { name: 'Name is required' }],
    ['a name of zero-width spaces', { ...valid, name: '\u200B\u200B' }, { name: 'Name is required' }],
    ['a name of a soft hyphen and a Hangul filler', { ...valid, name: ' \u00AD\u3164 ' }, { name: 'Name is required' }],
    ['a name with NUL', { ...valid, name: 'Ada\u0000' }, { name: 'Name must not contain control characters' }],
    ['a name of NUL alone', { ...valid, name: '\u0000' }, { name: 'Name must not contain control characters' }],
    ['a name with an escape', { ...valid, name: 'Ada\u001B[2J' }, { name: 'Name must not contain control characters' }],
    [
      'a name with a line feed inside',
      { ...valid, name: 'Ada\nLovelace' },
      { name: 'Name must not contain control characters' },
    ],
    ['a name of 101 characters', { ...valid, name: 'é'.repeat(101) }, { name: 'Name must be 100 characters or less' }],
    ['a name that is not text', { ...valid, name: 7 }, { name: 'Name must be text' }],
    [
      'an email of 255 characters',
      { ...valid, email: `${'a'.repeat(243)}@example.com` },
      { email: 'Please enter a valid email' },
    ],
    [
      'a password of 7 characters',
      { ...valid, password: '1234567' },
      { password: 'Password must be at least 8 characters' },
    ],
    [
      'a password of 129 characters',
      { ...valid, password: 'x'.repeat(129) },
      { password: 'Password must be 128 characters or less' },
    ],
    ['a password that is not text', { ...valid, password: 12345678 }, { password: 'Password must be text' }],
  ])('names each field wrong in %s with its sentence', (_case, body, fields) => {
    expect(validateFields(signUpBodySchema, body)).toEqual(fields);
  });

  it('counts the password in code points: 8 emoji are enough, 129 are too many', () => {
    expect(validateFields(signUpBodySchema, { ...valid, password: '😀'.repeat(8) })).toEqual({});
    expect(validateFields(signUpBodySchema, { ...valid, password: '😀'.repeat(128) })).toEqual({});
    expect(validateFields(signUpBodySchema, { ...valid, password: '😀'.repeat(129) })).toEqual({
      password: 'Password must be 128 characters or less',
    });
  });
});

describe('sessionPathSchema', () => {
  it('refuses a session id with a control character', () => {
    expect(validateFields(sessionPathSchema, { sessionId: 'a\u0000b' })).toEqual({
      sessionId: 'Session id must not contain control characters',
    });
    expect(validateFields(sessionPathSchema, { sessionId: 'not-a-session' })).toEqual({});
  });
});

describe('signInBodySchema', () => {
  it.each([
    ['an empty body', {}, { email: 'Email is required', password: 'Password is required' }],
    ['blank fields', { email: '  ', password: '' }, { email: 'Email is required', password: 'Password is required' }],
    [
      'fields that are not text',
      { email: 1, password: false },
      { email: 'Email must be text', password: 'Password must be text' },
    ],
  ])('names each field wrong in %s with its sentence', (_case, body, fields) => {
    expect(validateFields(signInBodySchema, body)).toEqual(fields);
  });

  it('normalises the address as sign-up does, and refuses invisible and control characters in it', () => {
    expect(signInBodySchema.parse({ email: ' JOSE\u0301@BÜCHER.DE. ', password: 'x' }).email).toBe(
      'josé@xn--bcher-kva.de',
    );
    expect(validateFields(signInBodySchema, { email: 'ada\u200B@example.com', password: 'x' })).toEqual({
      email: 'Please enter a valid email',
    });
    expect(validateFields(signInBodySchema, { email: 'ada\u0000@example.com', password: 'x' })).toEqual({
      email: 'Please enter a valid email',
    });
  });

  it('trims and lower-cases the email as sign-up stores it; the password is kept as typed', () => {
    expect(signInBodySchema.parse({ email: ' Ada@Example.COM ', password: ' ' })).toEqual({
      email: 'ada@example.com',
      password: ' ',
    });
  });

  // An address sign-up would refuse can belong to no account: it is refused before any state is kept.
  it.each([
    ['no @', 'ada'],
    ['no dot in the domain', 'ada@example'],
    ['a space inside', 'ada lovelace@example.com'],
    ['255 characters', `${'a'.repeat(243)}@example.com`],
    ['60 KB', `${'a'.repeat(60_000)}@example.com`],
  ])('refuses an email with %s with the sign-up sentence', (_case, email) => {
    expect(validateFields(signInBodySchema, { email, password: 'x' })).toEqual({ email: 'Please enter a valid email' });
  });
});

describe('changePasswordBodySchema', () => {
  it('asks for the current password and checks the new one like a sign-up password', () => {
    expect(validateFields(changePasswordBodySchema, { new_password: 'short' })).toEqual({
      current_password: 'Current password is required',
      new_password: 'Password must be at least 8 characters',
    });
  });

  it.each([
    ['the same password', 'correct horse battery', 'correct horse battery'],
    [
      'the same password typed in full-width (NFKC)',
      'correct horse battery',
      'ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ',
    ],
  ])('refuses %s as the new one, naming new_password', (_case, current, next) => {
    expect(validateFields(changePasswordBodySchema, { current_password: current, new_password: next })).toEqual({
      new_password: 'The new password must differ from the current one',
    });
  });

  it('accepts a new password that differs only in letter case', () => {
    const body = { current_password: 'correct horse battery', new_password: 'Correct Horse Battery' };
    expect(validateFields(changePasswordBodySchema, body)).toEqual({});
  });
});

describe('listEventsQuerySchema', () => {
  it('defaults the limit to 100 and refuses more than 500', () => {
    expect(listEventsQuerySchema.parse({})).toEqual({ limit: 100 });
    expect(validateFields(listEventsQuerySchema, { limit: '501' })).toEqual({
      limit: 'Limit must be a whole number from 1 to 500',
    });
  });
});
