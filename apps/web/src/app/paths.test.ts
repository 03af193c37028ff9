import { describe, expect, it } from 'vitest';
import { HOME_PATH, safeReturnPath } from './paths';

// Node's URL is the WHATWG parser the browser uses; the browser test (apps/web/e2e/return-path.test.ts)
// checks the same cases end to end in Chromium.
const ORIGIN = 'http://127.0.0.1:3000';

describe('safeReturnPath', () => {
  // Each a way to write another site that starts with one slash, before or after the parser has resolved it.
  it.each([
    ['nothing', null],
    ['an empty string', ''],
    ['a path without a leading slash', 'dashboard'],
    ['a protocol-relative URL', '//evil.example/steal'],
    ['a backslash after the slash', '/\\evil.example'],
    ['a tab between the slashes', '/\t/evil.example'],
    ['an absolute URL', 'https://evil.example/'],
    ['this site as an absolute URL', `${ORIGIN}/dashboard`],
    ['a dot segment before two slashes, /.//', '/.//evil.example'],
    ['a double-dot segment before two slashes, /..//', '/..//evil.example'],
    ['an encoded dot segment, /%2e//', '/%2e//evil.example'],
    ['an encoded double-dot segment, /%2E%2E//', '/%2E%2E//evil.example'],
    ['a dot segment before a backslash, /./\\', '/./\\evil.example'],
    ['a double-dot segment before a backslash, /../\\', '/../\\evil.example'],
    ['a dot segment further in, /dashboard/..//', '/dashboard/..//evil.example'],
    ['a tab after a dot segment', '/./\t/evil.example'],
  ])('sends %s to /dashboard', (_case, next) => {
    expect(safeReturnPath(next, ORIGIN)).toBe(HOME_PATH);
  });

  it.each([
    ['/dashboard', '/dashboard'],
    ['/dashboard?from=mail#top', '/dashboard?from=mail#top'],
    ['/auth/../dashboard', '/dashboard'],
    ['/./dashboard', '/dashboard'],
    ['/.%2F/evil.example', '/.%2F/evil.example'],
    ['/dashboard#//evil.example', '/dashboard#//evil.example'],
  ])('keeps %s, a path on this site, as the parser resolves it: %s', (next, expected) => {
    expect(safeReturnPath(next, ORIGIN)).toBe(expected);
  });
});
