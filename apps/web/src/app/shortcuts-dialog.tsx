import { useId, useRef } from 'react';
import { Button } from '../components/button';
import { useModalDialog } from '../components/use-modal-dialog';
import { SHORTCUTS } from './shortcuts';

/** The list of keyboard shortcuts ("?"): a modal dialog that Escape or Close dismisses, focus going back. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useModalDialog(ref, closeRef);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>Keyboard shortcuts</h2>
      <dl className="shortcuts">
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.key} className="shortcuts__row">
            <dt>
              <kbd>{shortcut.key}</kbd>
            </dt>
            <dd>{shortcut.description}</dd>
          </div>
        ))}
      </dl>
      <div className="actions">
        <Button variant="secondary" onClick={onClose} ref={closeRef}>
          Close
        </Button>
      </div>
    </dialog>
  );
}
