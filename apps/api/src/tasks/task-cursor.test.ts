import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { decodeCursor, deriveCursorKey, encodeCursor } from './task-cursor.js';

const key = deriveCursorKey('a secret of at least thirty-two characters, for tests');
const query = '["all","","","","","UTC","created"]';

function expectInvalid(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_cursor');
    return;
  }
  throw new Error('the cursor was accepted');
}

describe('task cursors', () => {
  it.each([
    ['a timestamp', '2026-01-01T00:00:00.123456Z'],
    ['no due date', null],
    ['a rank', 2],
    ['a title with any characters', 'Ünïcode "quotes" . dots'],
  ])('carry %s and an id back unchanged', (_case, value) => {
    const cursor = encodeCursor(key, 'owner', query, { value, id: 42 });
    expect(decodeCursor(key, 'owner', query, cursor)).toEqual({ value, id: 42 });
  });

  it('are refused for another owner, another query or under another key', () => {
    const cursor = encodeCursor(key, 'owner', query, { value: 'x', id: 1 });
    expectInvalid(() => decodeCursor(key, 'someone else', query, cursor));
    expectInvalid(() => decodeCursor(key, 'owner', query.replace('created', 'title'), cursor));
    expectInvalid(() =>
      decodeCursor(deriveCursorKey('another secret of at least thirty-two chars'), 'owner', query, cursor),
    );
  });

  it('are refused when any character is changed', () => {
    const cursor = encodeCursor(key, 'owner', query, { value: 'x', id: 1 });
    for (let i = 0; i < cursor.length; i++) {
      const changed = cursor.slice(0, i) + (cursor[i] === 'A' ? 'B' : 'A') + cursor.slice(i + 1);
      expectInvalid(() => decodeCursor(key, 'owner', query, changed));
    }
  });

  it.each(['', '.', 'abc', 'a.b.c', '!!.!!'])('are refused when malformed: %j', (cursor) => {
    expectInvalid(() => decodeCursor(key, 'owner', query, cursor));
  });
});
