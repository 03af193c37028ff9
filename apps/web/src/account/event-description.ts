/**
 * What each security event is called on the settings page, by the API's event code (its AuthEventName).
 * A code the page does not know yet gets a plain sentence too: the code itself is never shown.
 */
const DESCRIPTIONS: Record<string, string> = {
  signup: 'Account created',
  signin_success: 'Signed in',
  signin_failure: 'Wrong password',
  signin_throttled: 'Too many attempts',
  signout: 'Signed out',
  signout_all: 'Signed out of other devices',
  session_revoked: 'A device was signed out',
  password_change: 'Password changed',
  account_delete: 'Account deleted',
  profile_updated: 'Name changed',
  revoked_token_use: 'A signed-out device tried to connect',
  access_denied: 'Access denied',
};

export const UNKNOWN_EVENT = 'Other account activity';

export function describeEvent(code: string): string {
  return Object.hasOwn(DESCRIPTIONS, code) ? DESCRIPTIONS[code]! : UNKNOWN_EVENT;
}
