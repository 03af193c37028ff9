import { useEffect, type RefObject } from 'react';

/**
 * After a failed submit, moves focus to the first field marked invalid, as a keyboard user would want,
 * or, when no field is to blame, to the form's message. `errors` is a new object after every submit,
 * so the same failure twice moves the focus twice.
 */
export function useFocusFirstError(
  formRef: RefObject<HTMLFormElement | null>,
  errors: Record<string, string>,
  formErrorRef?: RefObject<HTMLElement | null>,
): void {
  useEffect(() => {
    const hasFieldErrors = Object.keys(errors).length > 0;
    const field = hasFieldErrors ? formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') : null;
    (field ?? formErrorRef?.current)?.focus();
  }, [formRef, errors, formErrorRef]);
}
