import type { TaskCounts, TaskCountsQuery, ListTasksQuery } from '@todo/shared/task-schemas';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { taskCounts, tasks, taskTagCounts } from '../db/schema.js';
import type { TaskFields } from './task-schemas.js';
import { decodeCursor, encodeCursor, type CursorKey, type CursorPosition } from './task-cursor.js';
import { isOverdue, taskConditions } from './task-filters.js';
import { afterPosition, orderBy, positionValue } from './task-order.js';
import { searchWords } from './search-text.js';

export interface TaskPage {
  tasks: TaskFields[];
  /** Where the next page starts, when more rows follow this one. */
  nextCursor: string | undefined;
}

/** The filters and sort a cursor is bound to, one spelling for one meaning (the limit is not part of it). */
function canonicalQuery(query: ListTasksQuery): string {
  const { status, q, priority, tag, due, tz, sort } = query;
  return JSON.stringify([status, searchWords(q).join(' '), priority ?? '', tag ?? '', due ?? '', tz, sort]);
}

const isDefaultShape = (query: ListTasksQuery) =>
  query.sort === 'created' && !query.q && !query.priority && !query.tag && !query.due;

/**
 * One page of the owner's tasks, in the query's sort, after its cursor or at its offset. One row more than
 * the limit is read to learn whether another page follows. Hot path: the first and following pages of the
 * plain list (any status, newest first) are prepared once per database; filtered lists are built per call.
 */
export async function listTasks(
  db: Db,
  cursorKey: CursorKey,
  ownerId: string,
  query: ListTasksQuery,
  now = new Date(),
): Promise<TaskPage> {
  const fingerprint = canonicalQuery(query);
  const position = query.cursor === undefined ? undefined : decodeCursor(cursorKey, ownerId, fingerprint, query.cursor);
  const rows = isDefaultShape(query)
    ? await plainList(db, query.status, position !== undefined).execute({
        ownerId,
        limit: query.limit + 1,
        offset: query.offset ?? 0,
        after: position?.value ?? null,
        afterId: position?.id ?? 0,
      })
    : await filteredList(db, ownerId, query, position, now);
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  const nextCursor =
    more && last ? encodeCursor(cursorKey, ownerId, fingerprint, { value: last.position, id: last.id }) : undefined;
  return { tasks: page.map(({ position: _position, ...task }) => task), nextCursor };
}

// The columns a task's JSON needs (TaskFields) and the sort value for the cursor. Hot path: the folded
// search copies would double the text read for nothing.
const listedColumns = {
  id: tasks.id,
  userId: tasks.userId,
  title: tasks.title,
  description: tasks.description,
  completed: tasks.completed,
  priority: tasks.priority,
  tags: tasks.tags,
  dueAt: tasks.dueAt,
  recurrence: tasks.recurrence,
  completedAt: tasks.completedAt,
  createdAt: tasks.createdAt,
  updatedAt: tasks.updatedAt,
};
const selection = (query: Pick<ListTasksQuery, 'sort'>) => ({ ...listedColumns, position: positionValue(query.sort) });

function filteredList(db: Db, ownerId: string, query: ListTasksQuery, position: CursorPosition | undefined, now: Date) {
  const where: SQL[] = [taskConditions(ownerId, query, now)];
  if (position) where.push(afterPosition(query.sort, position));
  return db
    .select(selection(query))
    .from(tasks)
    .where(and(...where))
    .orderBy(...orderBy(query.sort))
    .limit(query.limit + 1)
    .offset(query.offset ?? 0);
}

const plainLists = new WeakMap<Db, Map<string, ReturnType<typeof preparePlainList>>>();

function plainList(db: Db, status: ListTasksQuery['status'], afterCursor: boolean) {
  let prepared = plainLists.get(db);
  if (!prepared) plainLists.set(db, (prepared = new Map<string, ReturnType<typeof preparePlainList>>()));
  const name = `list_tasks_${status}${afterCursor ? '_after' : ''}`;
  let statement = prepared.get(name);
  if (!statement) prepared.set(name, (statement = preparePlainList(db, name, status, afterCursor)));
  return statement;
}

function preparePlainList(db: Db, name: string, status: ListTasksQuery['status'], afterCursor: boolean) {
  const where: SQL[] = [eq(tasks.userId, sql.placeholder('ownerId'))];
  if (status === 'pending') where.push(eq(tasks.completed, false));
  if (status === 'completed') where.push(eq(tasks.completed, true));
  if (afterCursor)
    where.push(afterPosition('created', { value: sql.placeholder('after'), id: sql.placeholder('afterId') }));
  return db
    .select(selection({ sort: 'created' }))
    .from(tasks)
    .where(and(...where))
    .orderBy(...orderBy('created'))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare(name);
}

/**
 * How many of the owner's tasks there are in all, pending, completed and overdue, under the filters given.
 * Unfiltered (what the web app asks after every change) they come from the counters the triggers keep
 * and a count of the overdue ones alone; a search, tag or priority counts the tasks it matches.
 */
export async function countTasks(
  db: Db,
  ownerId: string,
  query: TaskCountsQuery,
  now = new Date(),
): Promise<TaskCounts> {
  if (!query.q && !query.tag && !query.priority) {
    const overdueCount = db
      .select({ count: sql<number>`count(*)::int` })
      .from(tasks)
      .where(and(eq(tasks.userId, ownerId), isOverdue(now)));
    const [counts] = await db
      .select({
        all: sql<number>`coalesce(max(${taskCounts.total}), 0)::int`,
        completed: sql<number>`coalesce(max(${taskCounts.completed}), 0)::int`,
        overdue: sql<number>`(${overdueCount})`,
      })
      .from(taskCounts)
      .where(eq(taskCounts.userId, ownerId));
    const { all, completed, overdue } = counts!;
    return { all, pending: all - completed, completed, overdue };
  }
  const [counts] = await db
    .select({
      all: sql<number>`count(*)::int`,
      pending: sql<number>`(count(*) filter (where not ${tasks.completed}))::int`,
      completed: sql<number>`(count(*) filter (where ${tasks.completed}))::int`,
      overdue: sql<number>`(count(*) filter (where ${isOverdue(now)}))::int`,
    })
    .from(tasks)
    .where(taskConditions(ownerId, query, now));
  return counts!;
}

/** The owner's tags with how many tasks carry each, most used first, ties A-Z: the triggers' counters. */
export function listTags(db: Db, ownerId: string): Promise<{ tag: string; count: number }[]> {
  return db
    .select({ tag: taskTagCounts.tag, count: taskTagCounts.count })
    .from(taskTagCounts)
    .where(eq(taskTagCounts.userId, ownerId))
    .orderBy(desc(taskTagCounts.count), asc(taskTagCounts.tag));
}
