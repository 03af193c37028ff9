import { useCallback, useEffect, useRef, useState } from 'react';
import { reasonOf } from '../api/reason';
import * as tasksApi from './tasks-api';
import type { Task } from './tasks-api';
import { insertTask, listQuery, matchesView, viewKey, type TaskView } from './task-view';

interface ListState {
  rows: Task[];
  /** The first page has arrived. */
  loaded: boolean;
  /** The next page's path (from the `Link` header), while more rows follow. */
  next: string | undefined;
  loadingMore: boolean;
  /** Why the first page could not be loaded. */
  loadError: string | undefined;
  /** Why the last following page could not be loaded. */
  moreError: string | undefined;
  /** Rows this page added or changed: the server filtered the others, the page checks these itself. */
  changed: ReadonlySet<number>;
  /** Rows added here since the first page was asked for: an older answer must not drop them. */
  added: ReadonlySet<number>;
  /** The rows are the last view's, shown until the new view's first page arrives. */
  stale: boolean;
}

const FRESH: ListState = {
  rows: [],
  loaded: false,
  next: undefined,
  loadingMore: false,
  loadError: undefined,
  moreError: undefined,
  changed: new Set(),
  added: new Set(),
  stale: false,
};

const withChanged = (changed: ReadonlySet<number>, ids: number[]) => new Set([...changed, ...ids]);

/**
 * The rows of one view of the list, a page at a time: the first page when the view changes, then each
 * following page on request (the `Link` header's cursor, so a page costs the same at row 100 or 10,000).
 * Answers that arrive for a view the person has already left are dropped.
 */
export function useTaskList(userId: string, view: TaskView, now: Date) {
  const [state, setState] = useState<ListState>(FRESH);
  const key = viewKey(view);
  const generation = useRef(0);
  const loadingMore = useRef(false);
  const current = useRef({ state, view });
  current.current = { state, view };

  const loadFirst = useCallback(() => {
    const gen = ++generation.current;
    const { view } = current.current;
    loadingMore.current = false;
    setState((list) => ({ ...list, loadError: undefined, next: undefined, loadingMore: false }));
    tasksApi.listTasks(userId, listQuery(view)).then(
      (page) => {
        if (gen !== generation.current) return;
        setState((list) => {
          // Tasks added while the page was loading are kept, not overwritten by the older answer.
          const ids = new Set(page.tasks.map((task) => task.id));
          let rows = page.tasks;
          for (const task of list.rows.filter((row) => list.added.has(row.id) && !ids.has(row.id))) {
            rows = insertTask(rows, task, view.sort, page.next !== undefined);
          }
          return { ...FRESH, rows, loaded: true, next: page.next, changed: list.added, added: list.added };
        });
      },
      (error: unknown) => {
        if (gen === generation.current) setState((list) => ({ ...list, loadError: reasonOf(error) }));
      },
    );
  }, [userId]);

  // A new view keeps the last one's rows on screen (marked stale) until its own first page arrives.
  useEffect(() => {
    setState((list) => ({ ...list, stale: list.loaded, added: new Set() }));
    loadFirst();
  }, [key, loadFirst]);

  const loadMore = useCallback(() => {
    const { next } = current.current.state;
    if (!next || loadingMore.current) return;
    loadingMore.current = true;
    const gen = generation.current;
    setState((list) => ({ ...list, loadingMore: true, moreError: undefined }));
    tasksApi.listPage(next).then(
      (page) => {
        if (gen !== generation.current) return;
        loadingMore.current = false;
        setState((list) => {
          const ids = new Set(list.rows.map((task) => task.id));
          const rows = [...list.rows, ...page.tasks.filter((task) => !ids.has(task.id))];
          return { ...list, rows, next: page.next, loadingMore: false };
        });
      },
      (error: unknown) => {
        if (gen !== generation.current) return;
        loadingMore.current = false;
        setState((list) => ({ ...list, loadingMore: false, moreError: reasonOf(error) }));
      },
    );
  }, []);

  /** Adds a task where the view's sort puts it (or leaves it to a later page that will bring it). */
  const insert = useCallback((task: Task) => {
    setState((list) => {
      if (list.rows.some((row) => row.id === task.id)) return list;
      const rows = insertTask(list.rows, task, current.current.view.sort, list.next !== undefined);
      return {
        ...list,
        rows,
        changed: withChanged(list.changed, [task.id]),
        added: withChanged(list.added, [task.id]),
      };
    });
  }, []);

  /** Puts `next` in the place of the row with `id` (a draft's id, when the server gave it its own). */
  const replace = useCallback((id: number, next: Task) => {
    setState((list) => ({
      ...list,
      rows: list.rows.filter((row) => row.id !== next.id || row.id === id).map((row) => (row.id === id ? next : row)),
      changed: withChanged(list.changed, [id, next.id]),
      added: list.added.has(id) ? withChanged(list.added, [next.id]) : list.added,
    }));
  }, []);

  const remove = useCallback((predicate: (task: Task) => boolean) => {
    setState((list) => ({ ...list, rows: list.rows.filter((row) => !predicate(row)) }));
  }, []);

  const visible = state.rows.filter((task) => !state.changed.has(task.id) || matchesView(task, view, now));
  return { ...state, visible, loadFirst, loadMore, insert, replace, remove };
}
