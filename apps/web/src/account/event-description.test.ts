import { describe, expect, it } from 'vitest';
import { describeEvent, UNKNOWN_EVENT } from './event-description';

describe('describeEvent', () => {
  it.each([
    ['signin_success', 'Signed in'],
    ['signin_failure', 'Wrong password'],
    ['signout', 'Signed out'],
    ['password_change', 'Password changed'],
    ['signin_throttled', 'Too many attempts'],
    ['access_denied', 'Access denied'],
    ['profile_updated', 'Name changed'],
  ])('calls %s "%s"', (code, words) => {
    expect(describeEvent(code)).toBe(words);
  });

  // Every AuthEventName in apps/api/src/auth/audit-log.ts.
  it.each([
    'signup',
    'signin_success',
    'signin_failure',
    'signin_throttled',
    'signout',
    'signout_all',
    'session_revoked',
    'password_change',
    'account_delete',
    'profile_updated',
    'revoked_token_use',
    'access_denied',
  ])('has words of its own for the API event %s', (code) => {
    expect(describeEvent(code)).not.toBe(UNKNOWN_EVENT);
    expect(describeEvent(code)).not.toContain('_');
  });

  it.each(['email_changed', 'toString', '__proto__'])('gives the unknown code %s a sentence, not the code', (code) => {
    expect(describeEvent(code)).toBe(UNKNOWN_EVENT);
  });
});
