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

// What shows nothing on screen: whitespace, controls, format characters (zero-width space, soft hyphen,
// bidi marks), the other default-ignorable characters (Hangul fillers, variation selectors) and the
// blank Braille pattern. A character outside this class is one a person can see.
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** True when the text shows something: a name or a title made only of invisible characters is blank. */
export function hasVisibleCharacter(value: string): boolean {
  return VISIBLE.test(value);
}

// C0 and C1 controls and DEL; PostgreSQL cannot store NUL in text at all. Text that may run over
// several lines (a description) keeps tab, line feed and carriage return.
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_LINE_BREAKS = /[^\P{Cc}\t\n\r]/u;

/** False when the text holds a control character; `multiline` text may hold tabs and line breaks. */
export function hasNoControlCharacter(value: string, { multiline = false } = {}): boolean {
  return !(multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(value);
}

export function maxCodePoints(max: number) {
  return (value: string) => codePointLength(value) <= max;
}

/** A query-string whole number in [min, max], with one sentence for every way it can be wrong. */
export function wholeNumberParam(min: number, max: number, fallback: number, message: string) {
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback);
}
