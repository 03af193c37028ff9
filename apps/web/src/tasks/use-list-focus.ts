import { useEffect, useRef, type FocusEvent } from 'react';
import { isFocusLost } from '../components/focus-lost';
import type { Task } from './tasks-api';

/** The checkbox of a task: the control that names it, and where the focus goes to "be on" a task. */
export function focusTask(id: number): boolean {
  const checkbox = document.getElementById(`task-${id}`);
  checkbox?.focus();
  return checkbox !== null && document.activeElement === checkbox;
}

/**
 * Keeps the keyboard focus in the list when the task holding it goes away (deleted, or no longer in the
 * view after a toggle or an edit): it moves to the task that took its place, to the one before when it
 * was the last, or to `onEmpty` when none is left. Without this it would fall to <body>.
 */
export function useListFocus(tasks: Task[], onEmpty: () => void) {
  const focused = useRef<{ id: number; index: number } | undefined>(undefined);
  const onEmptyRef = useRef(onEmpty);
  onEmptyRef.current = onEmpty;

  useEffect(() => {
    const last = focused.current;
    if (!last || tasks.some((task) => task.id === last.id)) return;
    focused.current = undefined;
    if (!isFocusLost()) return;
    const neighbour = tasks[last.index] ?? tasks[last.index - 1];
    if (!neighbour || !focusTask(neighbour.id)) onEmptyRef.current();
  }, [tasks]);

  function onFocus(event: FocusEvent<HTMLElement>) {
    let item: Element | null = event.target;
    while (item && item.parentElement !== event.currentTarget) item = item.parentElement;
    const index = item ? Array.prototype.indexOf.call(event.currentTarget.children, item) : -1;
    const task = tasks[index];
    focused.current = task && { id: task.id, index };
  }

  function onBlur(event: FocusEvent<HTMLElement>) {
    // Focus moved on elsewhere by the person; a removed element blurs with no related target.
    if (event.relatedTarget && !event.currentTarget.contains(event.relatedTarget)) focused.current = undefined;
  }

  return { onFocus, onBlur };
}
