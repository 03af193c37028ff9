/**
 * Calendar days in a time zone, for `due=today` and `due=week`. The instants come from Intl's offsets,
 * so a day across a daylight-saving change is 23 or 25 hours long, as it is on the wall clock.
 */

/** The wall-clock date of `instant` in `timeZone`. */
function zonedDate(instant: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' })
    .formatToParts(instant)
    .reduce<Record<string, string>>((found, part) => ({ ...found, [part.type]: part.value }), {});
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })
    .formatToParts(instant)
    .reduce<Record<string, number>>((found, part) => ({ ...found, [part.type]: Number(part.value) }), {});
  const wallClock = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wallClock - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The first instant of a wall-clock date in `timeZone` (its midnight, or the first minute after a gap). */
function startOfDate(year: number, month: number, day: number, timeZone: string): Date {
  const midnightUtc = Date.UTC(year, month - 1, day);
  // The offset at the guess is right unless a change falls between the guess and the real midnight;
  // a second look at the corrected instant settles it.
  let guess = midnightUtc - offsetAt(new Date(midnightUtc), timeZone);
  guess = midnightUtc - offsetAt(new Date(guess), timeZone);
  // In a zone whose clocks skip midnight, the day starts at the first instant that shows this date. A
  // date a zone skipped altogether (Samoa's 30 December 2011) starts where the next one does.
  const wanted = new Date(midnightUtc).getUTCDate();
  for (let step = 0; step < 96 && zonedDate(new Date(guess), timeZone).day !== wanted; step++) guess += 15 * 60_000;
  return new Date(guess);
}

/** Today in `timeZone` as [its start, the start of the day `days` after it). */
export function zonedDays(now: Date, timeZone: string, days: number): { start: Date; end: Date } {
  const { year, month, day } = zonedDate(now, timeZone);
  return { start: startOfDate(year, month, day, timeZone), end: startOfDate(year, month, day + days, timeZone) };
}
