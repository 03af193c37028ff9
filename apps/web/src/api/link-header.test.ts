import { describe, expect, it } from 'vitest';
import { nextLinkPath } from './link-header';

describe('nextLinkPath', () => {
  it('reads the next page of a list', () => {
    expect(nextLinkPath('</api/u/tasks?limit=100&cursor=abc>; rel="next"')).toBe('/api/u/tasks?limit=100&cursor=abc');
  });

  it('finds rel=next among other links, quoted or not', () => {
    expect(nextLinkPath('</a?page=1>; rel="prev", </a?page=3>; rel=next')).toBe('/a?page=3');
  });

  it.each([
    ['no header', null],
    ['an empty header', ''],
    ['only a previous page', '</a?page=1>; rel="prev"'],
    ['another site', '<https://evil.example/a>; rel="next"'],
    ['a protocol-relative address', '<//evil.example/a>; rel="next"'],
    ['no angle brackets', '/a?page=3; rel="next"'],
  ])('answers nothing for %s', (_case, header) => {
    expect(nextLinkPath(header)).toBeUndefined();
  });
});
