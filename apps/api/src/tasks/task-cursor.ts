import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { fail } from '../errors.js';

/**
 * Cursors for keyset paging. A cursor carries the sort key of the last row a page showed, and a MAC over
 * that key, the owner and the query's filters and sort, so it is opaque to clients and cannot be
 * altered, moved to another user, or reused with another query without the server noticing. The limit
 * is left out on purpose: a client may change it between pages.
 */

export type CursorKey = Buffer;
/** The last row's position: its sort value (null for "no due date") and its id. */
export interface CursorPosition {
  value: string | number | null;
  id: number;
}

/** The cursor key, derived from the signing secret so that no other use of the secret can forge one. */
export function deriveCursorKey(secret: string): CursorKey {
  return Buffer.from(hkdfSync('sha256', secret, '', 'todo task list cursor v1', 32));
}

function mac(key: CursorKey, ownerId: string, query: string, payload: string): Buffer {
  return createHmac('sha256', key).update(`${ownerId}\n${query}\n${payload}`).digest();
}

/** `query` is the canonical form of the filters and sort (see task-list.ts), never the raw URL. */
export function encodeCursor(key: CursorKey, ownerId: string, query: string, position: CursorPosition): string {
  const payload = Buffer.from(JSON.stringify([position.value, position.id])).toString('base64url');
  return `${payload}.${mac(key, ownerId, query, payload).toString('base64url')}`;
}

const invalidCursor = () => fail('invalid_cursor');

/** The position a cursor holds; 400 invalid_cursor when it was not made for this owner and query. */
export function decodeCursor(key: CursorKey, ownerId: string, query: string, cursor: string): CursorPosition {
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined) throw invalidCursor();
  // Compared as text, so no other spelling of the same bytes (base64's unused last bits) passes.
  const expected = Buffer.from(mac(key, ownerId, query, payload).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
  // Signed by us, so well formed; checked anyway, as a last line should a key ever leak.
  const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  if (!Array.isArray(decoded) || decoded.length !== 2 || !Number.isSafeInteger(decoded[1])) throw invalidCursor();
  const [value, id] = decoded as [unknown, number];
  if (value !== null && typeof value !== 'string' && typeof value !== 'number') throw invalidCursor();
  return { value, id };
}
