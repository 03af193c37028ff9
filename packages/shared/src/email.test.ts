/// <reference types="node" />
import { domainToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EMAIL_PATTERN, emailSchema, INVALID_EMAIL_MESSAGE, normalizeEmail, signInEmailSchema } from './email.js';
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

// Spellings of josé@bücher.de a person could not tell apart: each must be the one address.
const NORMAL = 'josé@xn--bcher-kva.de';
const sameAddress: Array<[string, string]> = [
  ['the normal form', NORMAL],
  ['NFC (precomposed é) with a Unicode domain', 'josé@bücher.de'],
  ['NFD (e + combining accent) in the local part', 'jose\u0301@bücher.de'],
  ['NFD in the domain', 'josé@bu\u0308cher.de'],
  ['capitals, in the local part and the domain', 'JOSÉ@BÜCHER.DE'],
  ['the domain in punycode', 'josé@xn--bcher-kva.de'],
  ['a trailing dot on the domain', 'josé@bücher.de.'],
  ['a trailing dot on the punycode domain', 'josé@xn--bcher-kva.de.'],
  ['a full-width dot in the domain', 'josé@bücher\uFF0Ede'],
  ['an ideographic full stop in the domain', 'josé@bücher\u3002de'],
  ['full-width letters in the domain', 'josé@ｂüｃｈｅｒ.de'],
  ['surrounding spaces', '  josé@bücher.de \n'],
];

describe('normalizeEmail', () => {
  it.each(sameAddress)('gives %s the one spelling', (_case, typed) => {
    expect(normalizeEmail(typed)).toBe(NORMAL);
  });

  it.each([
    ['a zero-width space', 'jo\u200Bse@example.com'],
    ['a soft hyphen', 'jo\u00ADse@example.com'],
    ['a zero-width joiner', 'jo\u200Dse@example.com'],
    ['a word joiner', 'jose\u2060@example.com'],
    ['a right-to-left override', 'jose\u202E@example.com'],
    ['a byte order mark inside', 'jo\uFEFFse@example.com'],
    ['a Hangul filler', 'jose\u3164@example.com'],
    ['a variation selector', 'jose\uFE0F@example.com'],
    ['a zero-width space in the domain', 'jose@exa\u200Bmple.com'],
    ['a soft hyphen in the domain', 'jose@exam\u00ADple.com'],
    ['NUL', 'jose\u0000@example.com'],
    ['a C0 control', 'jose\u0007@example.com'],
    ['DEL', 'jose\u007F@example.com'],
    ['a C1 control', 'jose\u0085@example.com'],
    ['a lone surrogate', 'jose\uD800@example.com'],
    ['an NFKC ligature (ﬁ) in the local part', '\uFB01nn@example.com'],
    ['full-width letters in the local part', 'ｊｏｓｅ@example.com'],
    ['a superscript digit in the local part', 'jose\u00B2@example.com'],
    ['two trailing dots', 'jose@example.com..'],
    ['an empty label in the domain', 'jose@example..com'],
    ['a port after a Unicode domain', 'jose@bücher.de:80'],
    ['a path after a Unicode domain', 'jose@bücher.de/x'],
    ['a percent-escape in a Unicode domain', 'jose@b%C3%BCcher.d\u00E9'],
    ['a Unicode domain IDNA refuses', 'jose@bücher.123'],
  ])('refuses an address with %s', (_case, typed) => {
    expect(normalizeEmail(typed)).toBeUndefined();
    const result = emailSchema.safeParse(typed);
    expect(result.success).toBe(false);
    expect(new Set(result.error?.issues.map((issue) => issue.message))).toEqual(new Set([INVALID_EMAIL_MESSAGE]));
  });

  it('folds an NFKC ligature in the domain, as IDNA does', () => {
    expect(normalizeEmail('ann@\uFB01nance.example')).toBe('ann@finance.example');
  });

  it('keeps an ASCII domain as typed, lower-cased', () => {
    expect(normalizeEmail('Ann@Mail.Example.COM')).toBe('ann@mail.example.com');
    expect(normalizeEmail('ann@xn--zz.example')).toBe('ann@xn--zz.example');
  });

  it('keeps a Unicode local part that NFKC leaves alone, in NFC', () => {
    expect(normalizeEmail('Zoë.Straße@example.com')).toBe('zoë.straße@example.com');
    expect(normalizeEmail('用户@例え.テスト')).toBe('用户@xn--r8jz45g.xn--zckzah');
  });

  it('drops a byte order mark before the address, as trim drops whitespace', () => {
    expect(normalizeEmail('\uFEFFann@example.com')).toBe('ann@example.com');
  });
});

describe("normalizeEmail's domains", () => {
  // The browser has no node:url; the URL parser the schema uses instead must give node's answer.
  it.each([
    ['bücher.de'],
    ['BÜCHER.de'],
    ['bu\u0308cher.de'],
    ['faß.de'],
    ['\uFB01nance.example'],
    ['例え.テスト'],
    ['ｅｘａｍｐｌｅ.ｃｏｍ'],
    ['example\u3002com'],
    ['straße.münchen.example'],
    ['ελληνικά.example'],
    ['пример.рф'],
  ])('match node:url domainToASCII for %s', (domain) => {
    expect(normalizeEmail(`ann@${domain}`)).toBe(`ann@${domainToASCII(domain)}`);
  });
});

describe('emailSchema and look-alike spellings', () => {
  it.each(sameAddress)('stores %s as the normal form', (_case, typed) => {
    expect(emailSchema.parse(typed)).toBe(NORMAL);
  });

  it('measures the length of the stored (ASCII) domain, which can be far longer than the typed one', () => {
    const typed = `${'a'.repeat(160)}@日本語のドメイン名です.中文域名测试一下.한국어도메인이름.example`;
    expect(typed.length).toBeLessThan(LIMITS.emailMax);
    expect(normalizeEmail(typed)!.length).toBeGreaterThan(LIMITS.emailMax);
    expect(emailSchema.safeParse(typed).success).toBe(false);
  });
});

describe('signInEmailSchema', () => {
  it.each(sameAddress)('signs in with %s as the normal form', (_case, typed) => {
    expect(signInEmailSchema.parse(typed)).toBe(NORMAL);
  });

  it('refuses invisible and control characters with the address sentence', () => {
    for (const typed of ['ann\u200B@example.com', 'ann\u0000@example.com', '\uFB01@example.com']) {
      const result = signInEmailSchema.safeParse(typed);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.message)).toEqual([INVALID_EMAIL_MESSAGE]);
    }
  });

  it('still asks for an email when there is none', () => {
    expect(signInEmailSchema.safeParse('   ').error?.issues.map((issue) => issue.message)).toEqual([
      'Email is required',
    ]);
  });
});
