import { describe, expect, it } from 'vitest';
import { EMAIL_PATTERN, emailSchema, INVALID_EMAIL_MESSAGE } from './email.js';
import { LIMITS } from './limits.js';

// 254 characters in all: the longest address the contract accepts.
const longest = `${'a'.repeat(64)}@${'b'.repeat(185)}.com`;

describe('emailSchema', () => {
  it('trims and lower-cases what it accepts, as the address is stored', () => {
    expect(emailSchema.parse('  Ada@Example.COM \n')).toBe('ada@example.com');
  });

  it(`accepts ${LIMITS.emailMax} characters and refuses one more`, () => {
    expect(longest).toHaveLength(LIMITS.emailMax);
    expect(emailSchema.safeParse(longest).success).toBe(true);
    const result = emailSchema.safeParse(`a${longest}`);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Please enter a valid email');
  });

  it('counts the length after trimming', () => {
    expect(emailSchema.safeParse(`   ${longest}   `).success).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['no @', 'ada.example.com'],
    ['no dot in the domain', 'ada@example'],
    ['a space inside', 'ada lovelace@example.com'],
    ['two @', 'ada@@example.com'],
    ['nothing before @', '@example.com'],
    ['missing', undefined],
    ['null', null],
    ['not text', 42],
  ])('refuses %s with the one sentence', (_case, input) => {
    const result = emailSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(new Set(result.error?.issues.map((issue) => issue.message))).toEqual(new Set([INVALID_EMAIL_MESSAGE]));
  });

  it('keeps the pattern the contract describes: local@domain.tld, no spaces', () => {
    expect(EMAIL_PATTERN.test('a@b.c')).toBe(true);
    expect(EMAIL_PATTERN.test('a@b')).toBe(false);
  });
});
