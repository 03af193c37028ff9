import { useEffect, type RefObject } from 'react';

/** After errors appear, moves focus to the first field marked invalid, as a keyboard user would want. */
export function useFocusFirstError(formRef: RefObject<HTMLFormElement | null>, errors: Record<string, string>): void {
  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [formRef, errors]);
}
