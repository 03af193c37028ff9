import { z } from 'zod';

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
