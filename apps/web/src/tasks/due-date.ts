/**
 * Due dates as people see and type them: in the browser's time zone, against today's calendar.
 * A date typed without a time means "by the end of that day", stored as 23:59:59.999 local time; that
 * exact millisecond is what a time input can never produce, so it reads back as "no time given".
 */

const DAY_MS = 24 * 60 * 60 * 1000;

function isAllDay(date: Date): boolean {
  return (
    date.getHours() === 23 && date.getMinutes() === 59 && date.getSeconds() === 59 && date.getMilliseconds() === 999
  );
}

const pad = (value: number) => String(value).padStart(2, '0');

/** The local calendar day `date` falls on, as a count of days from `now`'s day (0 today, 1 tomorrow, -2 …). */
export function daysFromToday(date: Date, now: Date): number {
  const dayOf = (moment: Date) => new Date(moment.getFullYear(), moment.getMonth(), moment.getDate()).getTime();
  // Rounded: a day with a daylight-saving change is 23 or 25 hours long.
  return Math.round((dayOf(date) - dayOf(now)) / DAY_MS);
}

/** The start of today in the browser's time zone. */
export function startOfToday(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

export interface DueText {
  /** "Today 17:00", "Tomorrow", "Overdue · 2 days", "Fri 09:30", "12 Mar". */
  text: string;
  overdue: boolean;
  /** The whole date and time, for a tooltip and a screen reader's second look. */
  full: string;
}

export function describeDue(dueAt: string, completed: boolean, now: Date): DueText {
  const due = new Date(dueAt);
  const allDay = isAllDay(due);
  const time = allDay ? '' : ` ${pad(due.getHours())}:${pad(due.getMinutes())}`;
  const days = daysFromToday(due, now);
  const full = new Intl.DateTimeFormat(undefined, {
    dateStyle: 'full',
    ...(allDay ? {} : { timeStyle: 'short' }),
  }).format(due);
  const overdue = !completed && due.getTime() < now.getTime();
  if (overdue) {
    const late = days === 0 ? `Today${time}` : `${-days} ${days === -1 ? 'day' : 'days'}`;
    return { text: `Overdue · ${late}`, overdue, full };
  }
  let day: string;
  if (days === 0) day = 'Today';
  else if (days === 1) day = 'Tomorrow';
  else if (days === -1) day = 'Yesterday';
  else if (days > 1 && days < 7) day = new Intl.DateTimeFormat(undefined, { weekday: 'short' }).format(due);
  else {
    day = new Intl.DateTimeFormat(undefined, {
      day: 'numeric',
      month: 'short',
      ...(due.getFullYear() !== now.getFullYear() && { year: 'numeric' }),
    }).format(due);
  }
  return { text: `${day}${time}`, overdue, full };
}

/** The date and time inputs' values ("2026-03-12", "17:00" or "") for a stored due date. */
export function dueInputsOf(dueAt: string | null): { date: string; time: string } {
  if (!dueAt) return { date: '', time: '' };
  const due = new Date(dueAt);
  const date = `${due.getFullYear()}-${pad(due.getMonth() + 1)}-${pad(due.getDate())}`;
  return { date, time: isAllDay(due) ? '' : `${pad(due.getHours())}:${pad(due.getMinutes())}` };
}

/**
 * The due date the inputs describe, as an ISO timestamp: null when both are empty, undefined when they
 * do not make a date (a time without a date).
 */
export function dueAtOf(date: string, time: string): string | null | undefined {
  if (!date) return time ? undefined : null;
  const day = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(date);
  const clock = time ? /^(\d{2}):(\d{2})(?::(\d{2}))?/.exec(time) : null;
  if (!day || (time && !clock)) return undefined;
  const [year, month, dayOfMonth] = [Number(day[1]), Number(day[2]), Number(day[3])];
  const due = clock
    ? new Date(year, month - 1, dayOfMonth, Number(clock[1]), Number(clock[2]))
    : new Date(year, month - 1, dayOfMonth, 23, 59, 59, 999);
  if (Number.isNaN(due.getTime()) || due.getDate() !== dayOfMonth) return undefined;
  return due.toISOString();
}

/** Is `dueAt` within `due` filter's window, as the API counts it in the browser's time zone? */
export function isInDueWindow(dueAt: string | null, window: 'today' | 'week', now: Date): boolean {
  if (!dueAt) return false;
  const start = startOfToday(now);
  const end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + (window === 'today' ? 1 : 7));
  const due = new Date(dueAt).getTime();
  return due >= start.getTime() && due < end.getTime();
}
