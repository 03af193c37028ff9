import { dictionary } from '@zxcvbn-ts/language-common';
import { fail } from '../../errors.js';
import { normalizePassword } from './password-hash.js';

// About 18,000 of the most common leaked passwords (the zxcvbn-ts list, shipped in node_modules, so
// the check works offline). Shorter ones are left out: the length rule already refuses them.
const commonPasswords = new Set(dictionary['passwords-common'].filter((password) => password.length >= 8));

/**
 * NIST SP 800-63B: no composition rules, but refuse passwords attackers try first, including the
 * account's own email or its local part. The length rules live in the request schema.
 */
export function assertAcceptablePassword(password: string, email: string): void {
  const typed = normalizePassword(password).toLowerCase();
  const localPart = (email.split('@')[0] ?? '').toLowerCase();
  // Spaces around a common password do not make it uncommon: " password123" is tried as early.
  for (const candidate of new Set([typed, typed.trim()])) {
    if (commonPasswords.has(candidate) || candidate === email.toLowerCase() || candidate === localPart) {
      // No `fields`: the contract keeps those for validation_failed; clients map this code to the password input.
      throw fail('password_too_common');
    }
  }
}
