import { describe, expect, it } from 'vitest';
import { pageTitle } from './page-title';

describe('pageTitle', () => {
  it('puts the page first and the app after it', () => {
    expect(pageTitle('Sign in')).toBe('Sign in – Todo');
  });
});
