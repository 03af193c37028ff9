/**
 * Whether the keyboard focus has fallen to <body> (as it does when the focused element is removed) or
 * sits on a control that was disabled under it, where no key does anything.
 */
export function isFocusLost(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected || active.matches(':disabled');
}
