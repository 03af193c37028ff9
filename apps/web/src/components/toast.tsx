import { useEffect, useRef, useState } from 'react';
import { Button } from './button';

export interface ToastMessage {
  /** A new id restarts the timer, even for the same words. */
  id: number;
  text: string;
  action?: { label: string; onAction: () => void };
  /** How long it stays, in ms. */
  durationMs: number;
}

interface ToastRegionProps {
  toast: ToastMessage | undefined;
  onClose: () => void;
}

/**
 * A short message at the foot of the screen ("Task deleted", with Undo), announced politely by a screen
 * reader. The live region is always in the page, so its messages are read as they arrive. The timer stops
 * while the pointer or the keyboard focus is on the message, so nobody loses an Undo while reaching for it.
 */
export function ToastRegion({ toast, onClose }: ToastRegionProps) {
  const [held, setHeld] = useState(false);
  const remaining = useRef(0);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    remaining.current = toast?.durationMs ?? 0;
    setHeld(false); // a new message gets its whole time, whatever the pointer did to the last one
  }, [toast]);

  useEffect(() => {
    if (!toast || held) return;
    const started = Date.now();
    const timer = setTimeout(() => onCloseRef.current(), remaining.current);
    return () => {
      clearTimeout(timer);
      remaining.current = Math.max(0, remaining.current - (Date.now() - started));
    };
  }, [toast, held]);

  return (
    <div
      className="toast-region"
      role="status"
      aria-live="polite"
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) setHeld(false);
      }}
    >
      {toast && (
        <div className="toast" key={toast.id}>
          <span className="toast__text">{toast.text}</span>
          {toast.action && (
            <Button
              variant="secondary"
              className="toast__action"
              onClick={() => {
                toast.action?.onAction();
                onClose();
              }}
            >
              {toast.action.label}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
