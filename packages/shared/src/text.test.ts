import { describe, expect, it } from 'vitest';
import {
  codePointLength,
  hasNoControlCharacter,
  hasVisibleCharacter,
  maxCodePoints,
  textField,
  wholeNumberParam,
} from './text.js';

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 1], // precomposed U+00E9
    ['e\u0301', 2], // e + combining acute accent: two code points, one character on screen
    ['😀', 1], // astral: two UTF-16 units, one code point
    ['𝔸𝔹', 2],
    ['👍🏽', 2], // thumbs up + skin tone modifier
    ['日本語', 3],
  ])('counts %j as %i code points', (value, expected) => {
    expect(codePointLength(value)).toBe(expected);
  });

  it('counts an astral character once where String.length counts it twice', () => {
    const value = '😀'.repeat(200);
    expect(value.length).toBe(400);
    expect(codePointLength(value)).toBe(200);
  });
});

describe('maxCodePoints', () => {
  it('accepts exactly the maximum and refuses one more', () => {
    expect(maxCodePoints(3)('😀😀😀')).toBe(true);
    expect(maxCodePoints(3)('😀😀😀😀')).toBe(false);
  });
});

describe('textField', () => {
  const field = textField('Name is required', 'Name must be text');

  it.each([
    ['missing', undefined, 'Name is required'],
    ['null', null, 'Name is required'],
    ['a number', 42, 'Name must be text'],
    ['an object', {}, 'Name must be text'],
  ])('answers %s with its own sentence', (_case, input, message) => {
    const result = field.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });
});

describe('wholeNumberParam', () => {
  const param = wholeNumberParam(1, 500, 100, 'Limit must be a whole number from 1 to 500');

  it('falls back when absent and coerces a query string', () => {
    expect(param.parse(undefined)).toBe(100);
    expect(param.parse('42')).toBe(42);
  });

  it.each(['0', '501', '1.5', 'ten'])('refuses %j with the one sentence', (input) => {
    const result = param.safeParse(input);
    expect(result.success).toBe(false);
    expect(new Set(result.error?.issues.map((issue) => issue.message))).toEqual(
      new Set(['Limit must be a whole number from 1 to 500']),
    );
  });
});

describe('hasVisibleCharacter', () => {
  it.each([
    ['a letter', 'a'],
    ['a letter among invisible ones', '\u200Ba\u200B'],
    ['an emoji made with zero-width joiners', '👨\u200D👩\u200D👧'],
    ['a combining accent alone', '\u0301'],
    ['a CJK character', '名'],
    ['a digit', '7'],
  ])('is true for %s', (_case, value) => {
    expect(hasVisibleCharacter(value)).toBe(true);
  });

  it.each([
    ['nothing', ''],
    ['spaces, tabs and line breaks', ' \t\n\r'],
    ['no-break and ideographic spaces', '\u00A0\u3000'],
    ['a zero-width space', '\u200B'],
    ['zero-width joiners and non-joiners', '\u200C\u200D'],
    ['a soft hyphen', '\u00AD'],
    ['a word joiner and a byte order mark', '\u2060\uFEFF'],
    ['bidi marks and overrides', '\u200E\u200F\u202E'],
    ['Hangul fillers', '\u3164\u115F\u1160\uFFA0'],
    ['a variation selector', '\uFE0F'],
    ['a blank Braille pattern', '\u2800'],
    ['a Mongolian vowel separator', '\u180E'],
    ['tag characters', '\u{E0041}\u{E007F}'],
    ['NUL and other controls', '\u0000\u0007\u007F\u0085'],
  ])('is false for %s', (_case, value) => {
    expect(hasVisibleCharacter(value)).toBe(false);
  });
});

describe('hasNoControlCharacter', () => {
  it.each([
    ['NUL', '\u0000'],
    ['BEL (C0)', 'a\u0007b'],
    ['ESC (C0)', 'a\u001B[31m'],
    ['DEL', 'a\u007F'],
    ['NEL (C1)', 'a\u0085b'],
    ['a tab', 'a\tb'],
    ['a line feed', 'a\nb'],
  ])('is false for text with %s', (_case, value) => {
    expect(hasNoControlCharacter(value)).toBe(false);
  });

  it.each([
    ['a tab', 'a\tb'],
    ['a line feed', 'a\nb'],
    ['a carriage return and line feed', 'a\r\nb'],
  ])('lets multiline text keep %s', (_case, value) => {
    expect(hasNoControlCharacter(value, { multiline: true })).toBe(true);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['ESC', 'a\u001Bb'],
    ['NEL', 'a\u0085b'],
  ])('refuses %s even in multiline text', (_case, value) => {
    expect(hasNoControlCharacter(value, { multiline: true })).toBe(false);
  });

  it('lets format characters through: they belong inside words (ZWJ, ZWNJ, bidi marks)', () => {
    expect(hasNoControlCharacter('می\u200Cخواهم 👨\u200D👩 \u200F')).toBe(true);
  });
});
