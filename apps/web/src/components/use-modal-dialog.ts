import { useEffect, type RefObject } from 'react';

/**
 * Shows a <dialog> as a modal for as long as the component holding it is mounted: the platform traps
 * focus and makes the page behind it inert. Focus starts on `initialFocus` and, when the dialog goes,
 * returns to whatever had it before, if that is still in the page to take it (a deleted task's button
 * is not; the list then moves the focus on itself).
 */
export function useModalDialog(
  dialogRef: RefObject<HTMLDialogElement | null>,
  initialFocus: RefObject<HTMLElement | null>,
): void {
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const opener = document.activeElement;
    if (!dialog.open) dialog.showModal();
    initialFocus.current?.focus();
    return () => {
      dialog.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, [dialogRef, initialFocus]);
}
