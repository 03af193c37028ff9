import { LIMITS } from '@todo/shared/limits';
import {
  listTasksQuerySchema,
  type DueFilter,
  type Priority,
  type TaskCounts,
  type TaskSort,
} from '@todo/shared/task-schemas';
import { isInDueWindow } from './due-date';
import type { Task } from './tasks-api';

export type Status = 'all' | 'pending' | 'completed';

/** What the list shows: the page's URL query (?status=&q=&priority=&tag=&due=&sort=), read and checked. */
export interface TaskView {
  status: Status;
  q: string;
  priority: Priority | undefined;
  tag: string | undefined;
  due: DueFilter | undefined;
  sort: TaskSort;
}

const VIEW_KEYS = ['status', 'q', 'priority', 'tag', 'due', 'sort'] as const;
type ViewKey = (typeof VIEW_KEYS)[number];

/**
 * The view a URL asks for. Each parameter is checked with the API's own rules, one at a time, and one
 * that fails (an old link, a typo) is dropped rather than breaking the page.
 */
export function readView(params: URLSearchParams): TaskView {
  const view: TaskView = { status: 'all', q: '', priority: undefined, tag: undefined, due: undefined, sort: 'created' };
  for (const key of VIEW_KEYS) {
    const raw = params.get(key);
    if (raw === null) continue;
    const parsed = listTasksQuerySchema.safeParse({ [key]: raw });
    if (!parsed.success) continue;
    if (key === 'q') view.q = raw;
    else Object.assign(view, { [key]: parsed.data[key] });
  }
  return view;
}

/** The URL query with `changes` applied; defaults are left out, so a plain list has a plain URL. */
export function writeView(params: URLSearchParams, changes: Partial<TaskView>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes) as [ViewKey, string | undefined][]) {
    const isDefault =
      value === undefined ||
      value === '' ||
      (key === 'status' && value === 'all') ||
      (key === 'sort' && value === 'created');
    if (isDefault) next.delete(key);
    else next.set(key, value);
  }
  return next;
}

export function viewKey(view: TaskView): string {
  return JSON.stringify(VIEW_KEYS.map((key) => view[key] ?? ''));
}

export function hasNarrowingFilter(view: TaskView): boolean {
  return view.q.trim() !== '' || !!view.priority || !!view.tag || !!view.due || view.status !== 'all';
}

const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The list request's query for a view: a first page of `limit` rows. */
export function listQuery(view: TaskView, limit: number = LIMITS.listLimitDefault): URLSearchParams {
  const query = countsQuery(view);
  if (view.status !== 'all') query.set('status', view.status);
  if (view.due) query.set('due', view.due);
  // "Today" and "this week" are the browser's calendar days; the other filters need no time zone.
  if (view.due === 'today' || view.due === 'week') query.set('tz', browserTimeZone());
  if (view.sort !== 'created') query.set('sort', view.sort);
  query.set('limit', String(limit));
  return query;
}

/** The counts request's query: the filters counts honour (search, tag, priority). */
export function countsQuery(view: TaskView): URLSearchParams {
  const query = new URLSearchParams();
  if (view.q.trim()) query.set('q', view.q);
  if (view.tag) query.set('tag', view.tag);
  if (view.priority) query.set('priority', view.priority);
  return query;
}

// The page's own estimate of the server's search, for rows it changed itself (the server decided the rest).
function matchesSearch(task: Task, q: string): boolean {
  const fold = (text: string) => text.toLocaleLowerCase();
  const title = fold(task.title);
  const description = fold(task.description ?? '');
  return q
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => title.includes(fold(word)) || description.includes(fold(word)));
}

const isOverdue = (task: Task, now: Date) =>
  !task.completed && task.due_at !== null && new Date(task.due_at).getTime() < now.getTime();

/** Does a task the page changed or added still belong to the counts' filters (search, tag, priority)? */
function matchesCountsFilters(task: Task, view: TaskView): boolean {
  return (
    (!view.priority || task.priority === view.priority) &&
    (!view.tag || task.tags.includes(view.tag)) &&
    matchesSearch(task, view.q)
  );
}

/** Does a task the page changed or added still belong in the list it shows? */
export function matchesView(task: Task, view: TaskView, now: Date): boolean {
  if (view.status === 'pending' && task.completed) return false;
  if (view.status === 'completed' && !task.completed) return false;
  if (view.due === 'overdue' && !isOverdue(task, now)) return false;
  if (view.due === 'none' && task.due_at !== null) return false;
  if ((view.due === 'today' || view.due === 'week') && !isInDueWindow(task.due_at, view.due, now)) return false;
  return matchesCountsFilters(task, view);
}

const PRIORITY_RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

/** The API's order for each sort, to place a task the page added among the rows it has. */
export function compareTasks(sort: TaskSort): (a: Task, b: Task) => number {
  switch (sort) {
    case 'due':
      return (a, b) => {
        if (a.due_at === b.due_at) return a.id - b.id;
        if (a.due_at === null) return 1;
        if (b.due_at === null) return -1;
        return new Date(a.due_at).getTime() - new Date(b.due_at).getTime() || a.id - b.id;
      };
    case 'priority':
      return (a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.id - b.id;
    case 'title':
      return (a, b) => a.title.localeCompare(b.title) || a.id - b.id;
    case 'created':
      return (a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id;
  }
}

/**
 * `rows` with `task` where the sort puts it. When it would come after the last row and more pages
 * follow, it is left for those pages to bring (they start after the last row, so it comes exactly once).
 */
export function insertTask(rows: Task[], task: Task, sort: TaskSort, morePages: boolean): Task[] {
  const compare = compareTasks(sort);
  const index = rows.findIndex((row) => compare(task, row) < 0);
  if (index === -1) return morePages ? rows : [...rows, task];
  return [...rows.slice(0, index), task, ...rows.slice(index)];
}

/** How the counts change when `before` becomes `after` (either missing: added or deleted). */
export function countsDelta(before: Task | undefined, after: Task | undefined, view: TaskView, now: Date): TaskCounts {
  const contribution = (task: Task | undefined): TaskCounts =>
    task && matchesCountsFilters(task, view)
      ? {
          all: 1,
          pending: task.completed ? 0 : 1,
          completed: task.completed ? 1 : 0,
          overdue: isOverdue(task, now) ? 1 : 0,
        }
      : { all: 0, pending: 0, completed: 0, overdue: 0 };
  const [was, is] = [contribution(before), contribution(after)];
  return {
    all: is.all - was.all,
    pending: is.pending - was.pending,
    completed: is.completed - was.completed,
    overdue: is.overdue - was.overdue,
  };
}

export function addCounts(counts: TaskCounts, delta: TaskCounts): TaskCounts {
  return {
    all: counts.all + delta.all,
    pending: counts.pending + delta.pending,
    completed: counts.completed + delta.completed,
    overdue: counts.overdue + delta.overdue,
  };
}
