import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, NETWORK_ERROR_MESSAGE } from '../api/client';
import { useAuth } from '../auth/auth-context';
import { Button } from '../components/button';
import { FormError } from '../components/form-error';
import * as tasksApi from './tasks-api';
import type { Task, TaskInput } from './tasks-api';
import { TaskForm } from './task-form';
import { TaskList, type Filter } from './task-list';

const FILTERS: { value: Filter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'completed', label: 'Completed' },
];

const newestFirst = (a: Task, b: Task) => b.created_at.localeCompare(a.created_at) || b.id - a.id;
function mergeTasks(loaded: Task[], current: Task[]): Task[] {
  const ids = new Set(loaded.map((task) => task.id));
  return [...loaded, ...current.filter((task) => !ids.has(task.id))].sort(newestFirst);
}

const reasonOf = (error: unknown) => (error instanceof ApiError ? error.message : NETWORK_ERROR_MESSAGE);

export function TasksPage() {
  const { state, signOut } = useAuth();
  const user = state.status === 'signed-in' ? state.user : undefined;
  const [tasks, setTasks] = useState<Task[]>();
  const [loadError, setLoadError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [filter, setFilter] = useState<Filter>('all');
  const [signingOut, setSigningOut] = useState(false);
  const toggling = useRef(new Set<number>());

  const load = useCallback(() => {
    if (!user) return;
    setLoadError(undefined);
    tasksApi.listTasks(user.id).then(
      // Tasks added while the list was loading are kept, not overwritten by the older answer.
      (loaded) => setTasks((current) => (current ? mergeTasks(loaded, current) : loaded)),
      (error) => setLoadError(reasonOf(error)),
    );
  }, [user]);
  useEffect(load, [load]);

  if (!user) return null;
  const userId = user.id;
  const replace = (id: number, next: Task) => setTasks((list) => list?.map((task) => (task.id === id ? next : task)));

  // Adding shows the task at once; the form stays filled and busy until the server accepts it.
  async function addTask(input: TaskInput) {
    const now = new Date().toISOString();
    const draft: Task = {
      id: -Date.now(),
      user_id: userId,
      completed: false,
      created_at: now,
      updated_at: now,
      ...input,
    };
    setMessage(undefined);
    setTasks((list) => [draft, ...(list ?? [])]);
    try {
      replace(draft.id, await tasksApi.createTask(userId, input));
    } catch (error) {
      setTasks((list) => list?.filter((task) => task.id !== draft.id));
      throw error;
    }
  }

  function toggle(task: Task) {
    // The server flips on each request; a second click before the first answer would race it.
    if (toggling.current.has(task.id)) return;
    toggling.current.add(task.id);
    setMessage(undefined);
    replace(task.id, { ...task, completed: !task.completed });
    tasksApi
      .toggleTask(userId, task.id)
      .then(
        (saved) => replace(task.id, saved),
        (error) => {
          replace(task.id, task);
          setMessage(`Could not update “${task.title}”. ${reasonOf(error)}`);
        },
      )
      .finally(() => toggling.current.delete(task.id));
  }

  async function edit(task: Task, input: TaskInput) {
    setMessage(undefined);
    replace(task.id, { ...task, ...input });
    try {
      replace(task.id, await tasksApi.updateTask(userId, task.id, input));
    } catch (error) {
      replace(task.id, task);
      throw error;
    }
  }

  function remove(task: Task) {
    setMessage(undefined);
    setTasks((list) => list?.filter((other) => other.id !== task.id));
    tasksApi.deleteTask(userId, task.id).catch((error) => {
      setTasks((list) => [...(list ?? []), task].sort(newestFirst));
      setMessage(`Could not delete “${task.title}”. ${reasonOf(error)}`);
    });
  }

  // The guard on this page sends a signed-out visitor to /auth/signin once the state changes.
  async function handleSignOut() {
    setSigningOut(true);
    setMessage(undefined);
    try {
      await signOut();
    } catch (error) {
      setMessage(`Could not sign out. ${reasonOf(error)}`);
      setSigningOut(false);
    }
  }

  const pendingCount = tasks?.filter((task) => !task.completed).length ?? 0;
  const completedCount = (tasks?.length ?? 0) - pendingCount;
  const visible = (tasks ?? []).filter((task) =>
    filter === 'all' ? true : filter === 'completed' ? task.completed : !task.completed,
  );

  return (
    <div className="app">
      <header className="topbar">
        <p className="brand">✓ Todo</p>
        <div className="topbar__user">
          <span className="topbar__name">{user.name}</span>
          <Button variant="secondary" onClick={handleSignOut} busy={signingOut} busyLabel="Signing out…">
            Sign out
          </Button>
        </div>
      </header>
      <main className="page">
        <h1>My tasks</h1>
        <section className="card" aria-labelledby="add-task-heading">
          <h2 id="add-task-heading" className="visually-hidden">
            Add a task
          </h2>
          <TaskForm submitLabel="Add task" onSubmit={addTask} resetOnSuccess />
        </section>

        <section aria-labelledby="list-heading" className="list-section">
          <h2 id="list-heading" className="visually-hidden">
            Your tasks
          </h2>
          <div className="toolbar">
            <div role="group" aria-label="Filter tasks" className="filters">
              {FILTERS.map(({ value, label }) => (
                <button
                  key={value}
                  type="button"
                  className="filter"
                  aria-pressed={filter === value}
                  onClick={() => setFilter(value)}
                >
                  {label}
                </button>
              ))}
            </div>
            {tasks && (
              <p className="counts" aria-live="polite">
                {tasks.length} {tasks.length === 1 ? 'task' : 'tasks'} · {pendingCount} pending · {completedCount}{' '}
                completed
              </p>
            )}
          </div>
          <FormError message={message ?? loadError} />
          {loadError && (
            <Button variant="secondary" onClick={load}>
              Try again
            </Button>
          )}
          {tasks === undefined && !loadError && <p role="status">Loading your tasks…</p>}
          {tasks && <TaskList tasks={visible} filter={filter} onToggle={toggle} onEdit={edit} onDelete={remove} />}
        </section>
      </main>
    </div>
  );
}
