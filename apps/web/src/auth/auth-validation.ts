import type { FieldErrors } from '../components/use-form-submit';
import { codePointLength } from '../text-length';

// The server's rules, checked early so people hear about them without a round trip.
// The server stays the authority: it checks all of this again.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateSignUp(name: string, email: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  const trimmedName = name.trim();
  if (!trimmedName) errors.name = 'Name is required';
  else if (codePointLength(trimmedName) > 100) errors.name = 'Name must be 100 characters or less';
  const trimmedEmail = email.trim();
  if (!EMAIL_PATTERN.test(trimmedEmail) || trimmedEmail.length > 254) errors.email = 'Please enter a valid email';
  if (codePointLength(password) < 8) errors.password = 'Password must be at least 8 characters';
  else if (codePointLength(password) > 128) errors.password = 'Password must be 128 characters or less';
  return errors;
}

export function validateSignIn(email: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!email.trim()) errors.email = 'Email is required';
  if (!password) errors.password = 'Password is required';
  return errors;
}
