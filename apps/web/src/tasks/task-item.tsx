import { useState } from 'react';
import { Button } from '../components/button';
import { ConfirmDialog } from '../components/confirm-dialog';
import type { Task, TaskInput } from './tasks-api';
import { TaskForm } from './task-form';

interface TaskItemProps {
  task: Task;
  onToggle: (task: Task) => void;
  /** Shows the edit at once; rejects (after rolling it back) when the server refused it. */
  onEdit: (task: Task, input: TaskInput) => Promise<void>;
  onDelete: (task: Task) => void;
}

export function TaskItem({ task, onToggle, onEdit, onDelete }: TaskItemProps) {
  // The edit form closes at once (the change shows optimistically); if the server refuses, it opens
  // again with what was typed and why.
  const [editing, setEditing] = useState<{ draft: TaskInput; error?: unknown } | undefined>();
  const [confirming, setConfirming] = useState(false);
  const checkboxId = `task-${task.id}`;
  const pending = task.id < 0; // not yet confirmed by the server

  if (editing) {
    return (
      <li className="task task--editing">
        <TaskForm
          submitLabel="Save"
          initial={editing.draft}
          initialError={editing.error}
          autoFocus
          onCancel={() => setEditing(undefined)}
          onSubmit={async (input) => {
            setEditing(undefined);
            onEdit(task, input).catch((error: unknown) => setEditing({ draft: input, error }));
          }}
        />
      </li>
    );
  }

  return (
    <li className={`task${task.completed ? ' task--done' : ''}`} aria-busy={pending || undefined}>
      <div className="task__main">
        {/* The native checkbox stays (keyboard, screen readers) but is invisible and 44 px square,
            a full touch target; the box people see is drawn by the span after it. */}
        <span className="task__check">
          <input
            id={checkboxId}
            type="checkbox"
            checked={task.completed}
            disabled={pending}
            onChange={() => onToggle(task)}
          />
          <span className="task__box" aria-hidden="true" />
        </span>
        <div className="task__text">
          <label htmlFor={checkboxId} className="task__title">
            {task.title}
          </label>
          {task.description && <p className="task__description">{task.description}</p>}
        </div>
      </div>
      <div className="task__actions">
        <Button
          variant="ghost"
          onClick={() => setEditing({ draft: { title: task.title, description: task.description } })}
          disabled={pending}
        >
          Edit
        </Button>
        <Button variant="ghost" className="button--danger-text" onClick={() => setConfirming(true)} disabled={pending}>
          Delete
        </Button>
      </div>
      {confirming && (
        <ConfirmDialog
          title="Delete task?"
          message={`“${task.title}” will be deleted. This cannot be undone.`}
          confirmLabel="Delete"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            onDelete(task);
          }}
        />
      )}
    </li>
  );
}
