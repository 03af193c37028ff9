import { z } from 'zod';

// Field schemas both apps build their request schemas from, each failure with a sentence of our own.

/** Length in Unicode code points, as people count characters (and as PostgreSQL's char_length does). */
export function codePointLength(value: string): number {
  let length = 0;
  for (const _ of value) length++;
  return length;
}

/** A string field whose messages name it: `missing` when absent or null, `wrongType` for other types. */
export function textField(missing: string, wrongType: string) {
  return z.string({ error: (issue) => (issue.input === undefined || issue.input === null ? missing : wrongType) });
}

export function maxCodePoints(max: number) {
  return (value: string) => codePointLength(value) <= max;
}

/** A query-string whole number in [min, max], with one sentence for every way it can be wrong. */
export function wholeNumberParam(min: number, max: number, fallback: number, message: string) {
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback);
}
