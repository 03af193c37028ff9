import { LIMITS } from './limits.js';
import { textField } from './text.js';

/** local@domain with a dot in the domain and no spaces: what the contract calls an email address. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const INVALID_EMAIL_MESSAGE = 'Please enter a valid email';

/** A new address (sign-up): trimmed and lower-cased first, so the checks see what is stored. */
export const emailSchema = textField(INVALID_EMAIL_MESSAGE, INVALID_EMAIL_MESSAGE)
  .trim()
  .toLowerCase()
  .max(LIMITS.emailMax, INVALID_EMAIL_MESSAGE)
  .regex(EMAIL_PATTERN, INVALID_EMAIL_MESSAGE);
