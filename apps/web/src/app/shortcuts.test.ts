import { describe, expect, it } from 'vitest';
import { isTyping, shortcutOf, type KeyPress } from './shortcuts';

const onPage = { tagName: 'BODY' };
const press = (key: string, changes: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: onPage,
  ...changes,
});

describe('shortcutOf', () => {
  it.each(['n', '/', '?'])('knows "%s" pressed on the page', (key) => {
    expect(shortcutOf(press(key))).toBe(key);
  });

  it('ignores keys that are no shortcut, and a capital N', () => {
    expect(shortcutOf(press('x'))).toBeUndefined();
    expect(shortcutOf(press('N'))).toBeUndefined();
  });

  it.each([
    ['Ctrl', { ctrlKey: true }],
    ['Meta', { metaKey: true }],
    ['Alt', { altKey: true }],
    ['an IME composition', { isComposing: true }],
  ])('ignores a shortcut key with %s', (_name, changes) => {
    expect(shortcutOf(press('n', changes))).toBeUndefined();
  });

  it.each([
    ['a text input', { tagName: 'INPUT', type: 'text' }],
    ['a search input', { tagName: 'INPUT', type: 'search' }],
    ['a textarea', { tagName: 'TEXTAREA' }],
    ['a select', { tagName: 'SELECT' }],
    ['a contenteditable element', { tagName: 'DIV', isContentEditable: true }],
  ])('ignores a shortcut key typed in %s', (_name, target) => {
    expect(shortcutOf(press('/', { target }))).toBeUndefined();
  });
});

describe('isTyping', () => {
  it('does not count a checkbox or a button as typing', () => {
    expect(isTyping({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTyping({ tagName: 'BUTTON', type: 'submit' })).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});
