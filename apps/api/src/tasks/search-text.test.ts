import { describe, expect, it } from 'vitest';
import { containsPattern, foldForSearch, searchWords } from './search-text.js';

describe('foldForSearch', () => {
  it.each([
    ['Straße', 'strasse'],
    ['STRASSE', 'strasse'],
    ['GROẞ', 'gross'],
    ['ΟΔΟΣ', 'οδοσ'],
    ['οδός', 'οδόσ'],
    ['Cafe\u0301', 'café'],
    ['ﬁle', 'file'],
    ['МОЛОКО', 'молоко'],
  ])('folds %s to %s', (text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });
});

describe('searchWords and containsPattern', () => {
  it('splits on any whitespace and drops the empty words', () => {
    expect(searchWords('  Buy\tMILK\u3000now ')).toEqual(['buy', 'milk', 'now']);
    expect(searchWords('   ')).toEqual([]);
    expect(searchWords(undefined)).toEqual([]);
  });

  it('escapes the LIKE metacharacters', () => {
    expect(containsPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });
});
