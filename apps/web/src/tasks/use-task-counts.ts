import { useCallback, useEffect, useRef, useState } from 'react';
import { reasonOf } from '../api/reason';
import * as tasksApi from './tasks-api';
import type { TaskCounts } from './tasks-api';
import { addCounts, countsQuery, type TaskView } from './task-view';

/**
 * The counts the server gives for the view's search, tag and priority (never counted from the rows the
 * page happens to have). A change shows in them at once, as a known difference; once the change is
 * settled they are asked for again. An answer is dropped if a change was made or was still on its way
 * when it came back, so a stale answer never undoes what the person just did.
 */
export function useTaskCounts(userId: string, view: TaskView) {
  const [counts, setCounts] = useState<TaskCounts>();
  const [error, setError] = useState<string>();
  const query = countsQuery(view).toString();
  const requests = useRef(0);
  const epoch = useRef(0);
  const unsettled = useRef(0);

  const refresh = useCallback(() => {
    const request = ++requests.current;
    const sent = epoch.current;
    tasksApi.countTasks(userId, new URLSearchParams(query)).then(
      (fresh) => {
        if (request !== requests.current) return;
        setError(undefined);
        setCounts((shown) =>
          shown === undefined || (sent === epoch.current && unsettled.current === 0) ? fresh : shown,
        );
      },
      (failure: unknown) => {
        if (request === requests.current) setError(reasonOf(failure));
      },
    );
  }, [userId, query]);

  // Another search or filter: the last counts stay until the new ones arrive.
  useEffect(refresh, [refresh]);

  /** Shows a change at once; call the returned function when the server has answered. */
  const change = useCallback(
    (delta: TaskCounts) => {
      epoch.current++;
      unsettled.current++;
      setCounts((shown) => shown && addCounts(shown, delta));
      let settled = false;
      return () => {
        if (settled) return;
        settled = true;
        unsettled.current--;
        refresh();
      };
    },
    [refresh],
  );

  /** Takes back a difference shown by `change` (the server refused the change). */
  const undo = useCallback((delta: TaskCounts) => {
    epoch.current++;
    const negated = { all: -delta.all, pending: -delta.pending, completed: -delta.completed, overdue: -delta.overdue };
    setCounts((shown) => shown && addCounts(shown, negated));
  }, []);

  return { counts, error, refresh, change, undo };
}
