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

  it.each(['email_changed', 'toString', '__proto__'])('gives the unknown code %s a sentence, not the code', (code) => {
    expect(describeEvent(code)).toBe(UNKNOWN_EVENT);
  });
});
