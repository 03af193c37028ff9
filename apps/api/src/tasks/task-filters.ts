import type { DueFilter, Priority } from '@todo/shared/task-schemas';
import { and, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { dueKey, tasks } from '../db/schema.js';
import { containsPattern, searchWords } from './search-text.js';
import { zonedDays } from './zoned-day.js';

/** The filters of the list and of the counts, as the query string gives them (after the shared schema). */
export interface TaskFilters {
  status?: 'all' | 'pending' | 'completed';
  q?: string | undefined;
  priority?: Priority | undefined;
  tag?: string | undefined;
  due?: DueFilter | undefined;
  tz: string;
}

/**
 * Not completed and due before `now`: what the list's `due=overdue` and the counts' `overdue` mean. On
 * the plain column, which the counts index holds (an expression there would not spare reading the table).
 */
export const isOverdue = (now: Date) => and(eq(tasks.completed, false), lt(tasks.dueAt, now));

/**
 * The WHERE of a list or a count: the owner always, then each filter given. Due dates are compared
 * through the same expression as the `due` index (schema.ts), so the index serves them.
 */
export function taskConditions(ownerId: string, filters: TaskFilters, now: Date): SQL {
  const conditions: (SQL | undefined)[] = [eq(tasks.userId, ownerId)];
  if (filters.status === 'pending') conditions.push(eq(tasks.completed, false));
  if (filters.status === 'completed') conditions.push(eq(tasks.completed, true));
  // Each word on its own must be in the title or in the description, never across the two.
  for (const word of searchWords(filters.q)) {
    const pattern = containsPattern(word);
    conditions.push(
      sql`(${tasks.searchTitle} like ${pattern} escape '\\' or ${tasks.searchDescription} like ${pattern} escape '\\')`,
    );
  }
  if (filters.priority) conditions.push(eq(tasks.priority, filters.priority));
  if (filters.tag) conditions.push(sql`${tasks.tags} @> array[${filters.tag}]::text[]`);
  if (filters.due) conditions.push(dueCondition(filters.due, filters.tz, now));
  return and(...conditions)!;
}

function dueCondition(due: DueFilter, timeZone: string, now: Date): SQL | undefined {
  if (due === 'overdue') return isOverdue(now);
  if (due === 'none') return isNull(tasks.dueAt);
  // today: the current calendar day in the zone; week: from the start of today to the end of the 7th day.
  const { start, end } = zonedDays(now, timeZone, due === 'today' ? 1 : 7);
  return sql`${dueKey(tasks.dueAt)} >= ${start} and ${dueKey(tasks.dueAt)} < ${end}`;
}
