import type { Recurrence } from '@todo/shared/task-schemas';

const DAY_MS = 86_400_000;

/**
 * When the next occurrence of a repeating task is due: the interval added to the previous due date in
 * UTC. A month is a calendar month, and a day that month lacks becomes its last (31 January → 28 or 29
 * February), taken from the previous due date each time, so a task due on the 31st drifts no further.
 */
export function nextDueAt(previous: Date, recurrence: Recurrence): Date {
  if (recurrence === 'daily') return new Date(previous.getTime() + DAY_MS);
  if (recurrence === 'weekly') return new Date(previous.getTime() + 7 * DAY_MS);
  const year = previous.getUTCFullYear();
  const month = previous.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const next = new Date(previous.getTime());
  next.setUTCFullYear(year, month, Math.min(previous.getUTCDate(), lastDay));
  return next;
}
