import type { FieldErrors } from '../components/use-form-submit';
import { codePointLength } from '../text-length';

/** The server's title and description rules, checked before sending. */
export function validateTask(title: string, description: string): FieldErrors {
  const errors: FieldErrors = {};
  const trimmedTitle = title.trim();
  if (!trimmedTitle) errors.title = 'Title is required';
  else if (codePointLength(trimmedTitle) > 200) errors.title = 'Title must be 200 characters or less';
  if (codePointLength(description.trim()) > 1000) errors.description = 'Description must be 1000 characters or less';
  return errors;
}
