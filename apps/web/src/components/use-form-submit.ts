import { useRef, useState, type FormEvent } from 'react';
import { ApiError, NETWORK_ERROR_MESSAGE } from '../api/client';

export type FieldErrors = Record<string, string>;

interface FormSubmitOptions {
  /** The client's checks; may be async, as the shared schemas load on first use. */
  validate: () => FieldErrors | Promise<FieldErrors>;
  submit: () => Promise<void>;
  /** Error codes that belong next to one field, e.g. { email_taken: 'email' }. */
  fieldForCode?: Record<string, string>;
  /** An error to show from the start, as if the last submit had just failed (a rolled-back edit). */
  initialError?: unknown;
}

interface ShownError {
  errors: FieldErrors;
  formError?: string;
}

/** Where a failure is shown: next to one field, next to each field the server named, or over the form. */
function showError(error: unknown, fieldForCode: Record<string, string>): ShownError {
  if (!(error instanceof ApiError)) return { errors: {}, formError: NETWORK_ERROR_MESSAGE };
  const field = fieldForCode[error.code];
  if (field) return { errors: { [field]: error.message } };
  if (Object.keys(error.fields).length > 0) return { errors: error.fields };
  return { errors: {}, formError: error.message };
}

/**
 * The life of a form submission: client checks first, then the server, whose `fields` land next to
 * the inputs and whose other errors become one form message. What was typed is never cleared here.
 */
export function useFormSubmit({ validate, submit, fieldForCode = {}, initialError }: FormSubmitOptions) {
  const [shown, setShown] = useState<ShownError>(() =>
    initialError === undefined ? { errors: {} } : showError(initialError, fieldForCode),
  );
  const [busy, setBusy] = useState(false);
  // A ref, not state: a second click can arrive before React re-renders the disabled button.
  const inFlight = useRef(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const clientErrors = await validate();
      setShown({ errors: clientErrors });
      if (Object.keys(clientErrors).length > 0) return;
      setBusy(true);
      await submit();
    } catch (error) {
      setShown(showError(error, fieldForCode));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  return { errors: shown.errors, formError: shown.formError, busy, onSubmit };
}
