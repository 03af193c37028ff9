import { useEffect, useRef } from 'react';
import { shortcutOf, type ShortcutKey } from './shortcuts';

/**
 * Runs the action bound to a shortcut key pressed anywhere on the page (see `shortcutOf` for when a key
 * counts). Not while a modal dialog is open: the page behind it is not for now.
 */
export function useShortcuts(actions: Record<ShortcutKey, () => void>): void {
  const actionsRef = useRef(actions);
  actionsRef.current = actions;

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const shortcut = shortcutOf(event);
      if (!shortcut || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      event.preventDefault(); // the key does its job here, and types nothing into the field it focuses
      actionsRef.current[shortcut]();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
