import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useSearchParams } from 'react-router';
import { ApiError, isNetworkError, NETWORK_ERROR_MESSAGE } from '../api/client';
import { useBackOnline } from '../api/connection';
import { focusPageHeading, PageHeading } from '../app/page-heading';
import { ShortcutsDialog } from '../app/shortcuts-dialog';
import { TopBar } from '../app/top-bar';
import { useShortcuts } from '../app/use-shortcuts';
import { useAuth } from '../auth/auth-context';
import type { User } from '../auth/auth-api';
import { Button } from '../components/button';
import { ConfirmDialog } from '../components/confirm-dialog';
import { isFocusLost } from '../components/focus-lost';
import { FormError } from '../components/form-error';
import { TaskListSkeleton } from '../components/skeleton';
import { ToastRegion, type ToastMessage } from '../components/toast';
import { reasonOf } from '../api/reason';
import * as tasksApi from './tasks-api';
import { inputOf, type Task, type TaskInput } from './tasks-api';
import { TaskFilters, StatusFilter } from './task-filters';
import { ADD_TASK_DRAFT } from './task-draft';
import { TaskForm } from './task-form';
import { TaskList } from './task-list';
import { TaskSearch } from './task-search';
import { focusTask } from './use-list-focus';
import { countsDelta, hasNarrowingFilter, readView, writeView, type TaskView } from './task-view';
import { useTags } from './use-tags';
import { useTaskCounts } from './use-task-counts';
import { useTaskList } from './use-task-list';

/** How long "Task deleted" and its Undo stay. */
const UNDO_MS = 5_000;
const NOTE_MS = 4_000;

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The time the page tells due dates against, moved on each minute so "Today 17:00" turns "Overdue". */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function emptyText(view: TaskView): string {
  if (hasNarrowingFilter({ ...view, status: 'all' })) return 'No tasks match the search and filters';
  if (view.status === 'pending') return 'No pending tasks';
  if (view.status === 'completed') return 'No completed tasks';
  return 'No tasks yet';
}

/** Clearing deletes every completed task, also those a search or filter hides: the question says so. */
function clearQuestion(narrowed: boolean, completed: number): string {
  const which = narrowed
    ? 'Every completed task, also those the search and filters hide,'
    : plural(completed, 'completed task', 'completed tasks');
  return `${which} will be deleted. This cannot be undone.`;
}

export function TasksPage() {
  const { state } = useAuth();
  if (state.status !== 'signed-in') return null;
  return <Dashboard user={state.user} />;
}

function Dashboard({ user }: { user: User }) {
  const userId = user.id;
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => readView(params), [params]);
  const now = useNow();
  const list = useTaskList(userId, view, now);
  const counts = useTaskCounts(userId, view);
  const tags = useTags(userId);
  const [message, setMessage] = useState<string>();
  const [toast, setToast] = useState<ToastMessage>();
  const [confirmingClear, setConfirmingClear] = useState(false);
  const [clearing, setClearing] = useState(false);
  const narrowed = hasNarrowingFilter({ ...view, status: 'all' });
  // Open at first when the URL narrows or sorts the list; a filter set later (a tag pressed) opens it too.
  const [filtersOpen, setFiltersOpen] = useState(narrowed || view.sort !== 'created');
  useEffect(() => {
    if (narrowed) setFiltersOpen(true);
  }, [narrowed]);
  const toggling = useRef(new Set<number>());
  // Toggles and deletions that failed for want of a connection, by task id: how to send each again.
  const unsent = useRef(new Map<number, (task: Task) => void>());
  // Back online: what failed for want of a connection is sent again, and what said so is dropped.
  useBackOnline(() => {
    setMessage((shown) => (shown?.endsWith(NETWORK_ERROR_MESSAGE) ? undefined : shown));
    if (list.loadError) list.loadFirst();
    if (counts.error) counts.refresh();
    const resends = [...unsent.current];
    unsent.current.clear();
    for (const [id, send] of resends) {
      const row = list.rows.find((task) => task.id === id);
      if (row) send(row);
    }
  });
  const toastIds = useRef(0);
  const [showingShortcuts, setShowingShortcuts] = useState(false);
  const newTitleRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  useShortcuts({
    n: () => newTitleRef.current?.focus(),
    '/': () => {
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    '?': () => setShowingShortcuts(true),
  });

  const changeView = useCallback(
    (changes: Partial<TaskView>, options: { replace?: boolean } = {}) =>
      setParams((current) => writeView(current, changes), { replace: options.replace ?? false }),
    [setParams],
  );
  const showToast = (text: string, durationMs = NOTE_MS, action?: ToastMessage['action']) =>
    setToast({ id: ++toastIds.current, text, durationMs, ...(action && { action }) });

  /** Shows `after` in place of `before` in the counts at once; the returned function settles it. */
  function showChange(before: Task | undefined, after: Task | undefined) {
    const delta = countsDelta(before, after, view, new Date());
    const settle = counts.change(delta);
    return {
      settle: () => {
        settle();
        tags.refresh();
      },
      rollBack: () => counts.undo(delta),
    };
  }

  // Adding shows the task at once; the form stays filled and busy until the server accepts it.
  async function addTask(input: TaskInput) {
    const stamp = new Date().toISOString();
    const draft: Task = {
      id: -Date.now(),
      user_id: userId,
      completed: false,
      completed_at: null,
      created_at: stamp,
      updated_at: stamp,
      ...input,
    };
    setMessage(undefined);
    list.insert(draft);
    const change = showChange(undefined, draft);
    try {
      list.replace(draft.id, await tasksApi.createTask(userId, input));
    } catch (error) {
      list.remove((task) => task.id === draft.id);
      change.rollBack();
      throw error;
    } finally {
      change.settle();
    }
  }

  /** Completing a repeating task makes its next occurrence on the server: the page fetches it to show it. */
  async function showNextOccurrence(completed: Task) {
    const newest = await tasksApi.listTasks(userId, new URLSearchParams({ limit: '10' }));
    for (const task of newest.tasks) {
      const isNext = !task.completed && task.title === completed.title && task.recurrence === completed.recurrence;
      if (isNext && task.id > completed.id) list.insert(task);
    }
  }

  /**
   * `resend` is for a toggle sent again after the connection came back: the first one may have reached
   * the server before the connection broke, so it says which state is wanted instead of flipping again.
   */
  function toggle(task: Task, resend = false) {
    // The server flips on each request; a second click before the first answer would race it.
    if (toggling.current.has(task.id)) return;
    toggling.current.add(task.id);
    unsent.current.delete(task.id);
    setMessage(undefined);
    const flipped = { ...task, completed: !task.completed };
    list.replace(task.id, flipped);
    const change = showChange(task, flipped);
    (resend
      ? tasksApi.updateTask(userId, task.id, { completed: flipped.completed })
      : tasksApi.toggleTask(userId, task.id)
    )
      .then(
        async (saved) => {
          list.replace(task.id, saved);
          if (saved.completed && saved.recurrence) await showNextOccurrence(saved);
        },
        (error) => {
          list.replace(task.id, task);
          change.rollBack();
          setMessage(`Could not update “${task.title}”. ${reasonOf(error)}`);
          if (isNetworkError(error)) unsent.current.set(task.id, (row) => toggle(row, true));
        },
      )
      .catch(() => {}) // the next occurrence shows on the next load if it could not be fetched now
      .finally(() => {
        toggling.current.delete(task.id);
        change.settle();
      });
  }

  async function edit(task: Task, input: TaskInput) {
    setMessage(undefined);
    const edited = { ...task, ...input };
    list.replace(task.id, edited);
    const change = showChange(task, edited);
    try {
      list.replace(task.id, await tasksApi.updateTask(userId, task.id, input));
    } catch (error) {
      list.replace(task.id, task);
      change.rollBack();
      throw error;
    } finally {
      change.settle();
    }
  }

  /**
   * Re-creates a deleted task from what the page had. A completed task is completed again, and only then
   * given its repeat back, so restoring it makes no second "next occurrence".
   */
  async function restore(task: Task, deleted: Promise<boolean>) {
    if (!(await deleted)) return; // the deletion failed, and the task is back already
    const settle = counts.change({ all: 0, pending: 0, completed: 0, overdue: 0 });
    try {
      const repeatLater = task.completed && task.recurrence !== null;
      let restored = await tasksApi.createTask(userId, {
        ...inputOf(task),
        recurrence: repeatLater ? null : task.recurrence,
      });
      if (task.completed) restored = await tasksApi.updateTask(userId, restored.id, { completed: true });
      if (repeatLater) restored = await tasksApi.updateTask(userId, restored.id, { recurrence: task.recurrence });
      // Drawn at once, so the focus can go to it: the Undo button that had it went with its message.
      flushSync(() => list.insert(restored));
      if (isFocusLost() && !focusTask(restored.id)) focusPageHeading();
      showToast('Task restored');
    } catch (error) {
      setMessage(`Could not restore “${task.title}”. ${reasonOf(error)}`);
      if (isFocusLost()) focusPageHeading();
    } finally {
      settle();
      tags.refresh();
    }
  }

  /** `resend` is for a deletion sent again after the connection came back: the first may have arrived. */
  function remove(task: Task, resend = false) {
    unsent.current.delete(task.id);
    setMessage(undefined);
    list.remove((other) => other.id === task.id);
    const change = showChange(task, undefined);
    const deleted = tasksApi.deleteTask(userId, task.id).then(
      () => true,
      (error: unknown) => {
        if (resend && error instanceof ApiError && error.code === 'task_not_found') return true;
        list.insert(task);
        change.rollBack();
        setToast(undefined);
        setMessage(`Could not delete “${task.title}”. ${reasonOf(error)}`);
        if (isNetworkError(error)) unsent.current.set(task.id, (row) => remove(row, true));
        return false;
      },
    );
    void deleted.finally(change.settle);
    showToast('Task deleted', UNDO_MS, { label: 'Undo', onAction: () => void restore(task, deleted) });
  }

  async function clearCompleted() {
    setConfirmingClear(false);
    setClearing(true);
    setMessage(undefined);
    const settle = counts.change({ all: 0, pending: 0, completed: 0, overdue: 0 });
    try {
      const deleted = await tasksApi.deleteCompletedTasks(userId);
      list.remove((task) => task.completed);
      showToast(`Deleted ${plural(deleted, 'completed task', 'completed tasks')}`);
    } catch (error) {
      setMessage(`Could not clear the completed tasks. ${reasonOf(error)}`);
    } finally {
      setClearing(false);
      settle();
      tags.refresh();
      // The busy "Clear completed" button let go of the focus, and it is gone when nothing is left to clear.
      if (isFocusLost()) focusPageHeading();
    }
  }

  const shown = counts.counts;
  const firstLoad = !list.loaded && list.rows.length === 0 && !list.loadError;

  return (
    <div className="app">
      <TopBar user={user} onSignOutError={setMessage} />
      <main className="page">
        <PageHeading>My tasks</PageHeading>
        <section className="card" aria-labelledby="add-task-heading">
          <h2 id="add-task-heading" className="visually-hidden">
            Add a task
          </h2>
          <TaskForm
            submitLabel="Add task"
            onSubmit={addTask}
            resetOnSuccess
            draftKey={ADD_TASK_DRAFT}
            titleRef={newTitleRef}
            quickAdd
          />
        </section>

        <section
          aria-labelledby="list-heading"
          className="list-section"
          aria-busy={list.stale || firstLoad || undefined}
        >
          <h2 id="list-heading" className="visually-hidden">
            Your tasks
          </h2>
          <TaskSearch value={view.q} onSearch={(q) => changeView({ q }, { replace: true })} inputRef={searchRef} />
          <div className="toolbar">
            <StatusFilter view={view} onChange={changeView} />
            {shown && list.loaded && (
              // Counted by the server for the search and filters (not from the rows loaded so far).
              <p className="counts" aria-live="polite">
                <span>
                  {plural(shown.all, 'task', 'tasks')} · {shown.pending} pending · {shown.completed} completed
                </span>
                {shown.overdue > 0 && <span className="counts__overdue"> · {shown.overdue} overdue</span>}
              </p>
            )}
          </div>
          <details
            className="filters-panel"
            open={filtersOpen}
            onToggle={(event) => setFiltersOpen(event.currentTarget.open)}
          >
            <summary>Filters and sort</summary>
            {/* Drawn only while open: nothing hidden sits in the tab order or the accessibility tree. */}
            {filtersOpen && <TaskFilters view={view} tags={tags.tags} onChange={changeView} />}
          </details>
          {counts.error && !shown && (
            <p className="counts">
              Counts unavailable. {counts.error}{' '}
              <Button variant="ghost" onClick={counts.refresh}>
                Try again
              </Button>
            </p>
          )}
          {shown && shown.completed > 0 && (
            <div className="list-actions">
              <Button
                variant="secondary"
                onClick={() => setConfirmingClear(true)}
                busy={clearing}
                busyLabel="Clearing…"
              >
                Clear completed
              </Button>
            </div>
          )}
          <FormError message={message ?? list.loadError} />
          {list.loadError && (
            <Button variant="secondary" onClick={list.loadFirst}>
              Try again
            </Button>
          )}
          {firstLoad && <TaskListSkeleton />}
          {(list.loaded || list.rows.length > 0) && (
            <TaskList
              tasks={list.visible}
              now={now}
              emptyText={emptyText(view)}
              onToggle={toggle}
              onEdit={edit}
              onDelete={remove}
              onTag={(tag) => changeView({ tag })}
              hasMore={list.next !== undefined}
              loadingMore={list.loadingMore}
              moreError={list.moreError}
              onLoadMore={list.loadMore}
              onEmptied={focusPageHeading}
            />
          )}
        </section>
      </main>
      <ToastRegion toast={toast} onClose={() => setToast(undefined)} />
      {confirmingClear && (
        <ConfirmDialog
          title="Clear completed tasks?"
          message={clearQuestion(narrowed, shown?.completed ?? 0)}
          confirmLabel="Delete"
          onCancel={() => setConfirmingClear(false)}
          onConfirm={() => void clearCompleted()}
        />
      )}
      {showingShortcuts && <ShortcutsDialog onClose={() => setShowingShortcuts(false)} />}
    </div>
  );
}
