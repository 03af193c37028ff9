import { useRef, useState, type FormEvent } from 'react';
import { ApiError, NETWORK_ERROR_MESSAGE } from '../api/client';

export type FieldErrors = Record<string, string>;

/**
 * The life of a form submission: client checks first, then the server, whose `fields` land next to
 * the inputs and whose other errors become one form message. What was typed is never cleared here.
 */
export function useFormSubmit(
  validate: () => FieldErrors,
  submit: () => Promise<void>,
  /** Error codes that belong next to one field, e.g. { email_taken: 'email' }. */
  fieldForCode: Record<string, string> = {},
) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // A ref, not state: a second click can arrive before React re-renders the disabled button.
  const inFlight = useRef(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    setFormError(undefined);
    const clientErrors = validate();
    setErrors(clientErrors);
    if (Object.keys(clientErrors).length > 0) return;
    inFlight.current = true;
    setBusy(true);
    try {
      await submit();
    } catch (error) {
      const field = error instanceof ApiError ? fieldForCode[error.code] : undefined;
      if (error instanceof ApiError && field) setErrors({ [field]: error.message });
      else if (error instanceof ApiError && Object.keys(error.fields).length > 0) setErrors(error.fields);
      else setFormError(error instanceof ApiError ? error.message : NETWORK_ERROR_MESSAGE);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  return { errors, formError, busy, onSubmit };
}
