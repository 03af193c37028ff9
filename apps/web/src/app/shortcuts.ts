/** The dashboard's keyboard shortcuts, in the order the shortcuts list shows them. */
export const SHORTCUTS = [
  { key: 'n', description: 'Add a new task' },
  { key: '/', description: 'Search tasks' },
  { key: '?', description: 'Show keyboard shortcuts' },
] as const;

export type ShortcutKey = (typeof SHORTCUTS)[number]['key'];

/** The parts of a KeyboardEvent that decide whether it is a shortcut. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  isComposing?: boolean;
  /** What had focus: an element, or anything else a test passes. */
  target: unknown;
}

const NON_TEXT_INPUTS = ['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'];

/**
 * Whether a key press belongs to a field the person is typing in (where "n" and "/" are characters),
 * rather than to the page. Read from the element's tag and type, so it also works outside a browser.
 */
export function isTyping(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const element = target as { tagName?: string; type?: string; isContentEditable?: boolean };
  if (element.isContentEditable) return true;
  if (element.tagName === 'TEXTAREA' || element.tagName === 'SELECT') return true;
  return element.tagName === 'INPUT' && !NON_TEXT_INPUTS.includes(element.type ?? 'text');
}

/**
 * The shortcut a key press stands for, if any. Never while typing, and never with Ctrl, Meta or Alt
 * held: those belong to the browser and the system (Ctrl+N opens a window). Shift is allowed, as "?"
 * needs it on most layouts.
 */
export function shortcutOf(press: KeyPress): ShortcutKey | undefined {
  if (press.ctrlKey || press.metaKey || press.altKey || press.isComposing || isTyping(press.target)) return undefined;
  return SHORTCUTS.find((shortcut) => shortcut.key === press.key)?.key;
}
