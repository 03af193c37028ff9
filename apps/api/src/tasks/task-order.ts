import type { TaskSort } from '@todo/shared/task-schemas';
import { asc, desc, sql, type SQL } from 'drizzle-orm';
import { dueKey, priorityRank, tasks } from '../db/schema.js';

/**
 * The four sorts. Each is a sort value and the id that breaks its ties, read in order from its own index
 * (schema.ts), so a page after a cursor starts where the index says and costs the same at row 100 as at
 * row 100,000. `value` is also selected, as text where the column's precision is finer than JavaScript's
 * (created_at holds microseconds), so a cursor carries the exact value.
 */
interface Order {
  value: SQL;
  /** Newest first for `created`; every other sort ascends. */
  descending: boolean;
  /** Turns the value a cursor holds back into one the database compares exactly. */
  cursorValue: (value: unknown) => SQL;
}

const orders: Record<TaskSort, Order> = {
  created: {
    value: sql`${tasks.createdAt}`,
    descending: true,
    cursorValue: (value) => sql`${value}::timestamptz`,
  },
  due: { value: dueKey(tasks.dueAt), descending: false, cursorValue: (value) => dueKey(sql`${value}::timestamptz`) },
  priority: { value: priorityRank(tasks.priority), descending: false, cursorValue: (value) => sql`${value}::int` },
  title: { value: sql`${tasks.title}`, descending: false, cursorValue: (value) => sql`${value}::text` },
};

export function orderBy(sort: TaskSort): SQL[] {
  const { value, descending } = orders[sort];
  return descending ? [desc(value), desc(tasks.id)] : [asc(value), asc(tasks.id)];
}

/** Rows after the cursor's row, in this sort: one row comparison, which the index serves as a range. */
export function afterPosition(sort: TaskSort, position: { value: unknown; id: unknown }): SQL {
  const { value, descending, cursorValue } = orders[sort];
  const bound = sql`(${cursorValue(position.value)}, ${position.id}::int)`;
  return descending ? sql`(${value}, ${tasks.id}) < ${bound}` : sql`(${value}, ${tasks.id}) > ${bound}`;
}

/**
 * The sort value as it goes into a cursor: exact text for timestamps (null for "no due date", which the
 * index holds as 'infinity'), the rank for priority, the title itself.
 */
export function positionValue(sort: TaskSort): SQL<string | number | null> {
  if (sort === 'created')
    return sql<string>`to_char(${tasks.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  if (sort === 'due')
    return sql<string | null>`to_char(${tasks.dueAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  if (sort === 'priority') return sql<number>`${priorityRank(tasks.priority)}`;
  return sql<string>`${tasks.title}`;
}
