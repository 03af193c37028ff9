/** Characters as the server counts them: Unicode code points, so an emoji is one, not two. */
export function codePointLength(value: string): number {
  let length = 0;
  for (const _ of value) length++;
  return length;
}
