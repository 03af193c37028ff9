import { describe, expect, it } from 'vitest';
import { codePointLength, maxCodePoints, textField, wholeNumberParam } from './text.js';

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
