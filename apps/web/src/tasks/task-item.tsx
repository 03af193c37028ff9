import { useEffect, useRef, useState } from 'react';
import { Button } from '../components/button';
import { ConfirmDialog } from '../components/confirm-dialog';
import { DeleteIcon, EditIcon } from './task-action-icons';
import { TaskDescription } from './task-description';
import { describeDue } from './due-date';
import { inputOf, type Task, type TaskInput } from './tasks-api';
import { TaskForm } from './task-form';
import { editTaskDraft, forgetTaskDraft, readTaskDraft } from './task-draft';

interface TaskItemProps {
  task: Task;
  /** Now, as the page last looked: due dates are told relative to it. */
  now: Date;
  onToggle: (task: Task) => void;
  /** Shows the edit at once; rejects (after rolling it back) when the server refused it. */
  onEdit: (task: Task, input: TaskInput) => Promise<void>;
  onDelete: (task: Task) => void;
  /** Shows the tasks carrying this tag. */
  onTag: (tag: string) => void;
}

const REPEAT_TEXT = { daily: 'Repeats daily', weekly: 'Repeats weekly', monthly: 'Repeats monthly' } as const;

export function TaskItem({ task, now, onToggle, onEdit, onDelete, onTag }: TaskItemProps) {
  // The edit form closes at once (the change shows optimistically); if the server refuses, it opens
  // again with what was typed and why.
  // An edit left unsaved when the session ended opens again, as typed, once the person is back.
  const draftKey = editTaskDraft(task.id);
  const [editing, setEditing] = useState<{ draft: TaskInput; error?: unknown } | undefined>(() =>
    readTaskDraft(draftKey) ? { draft: inputOf(task) } : undefined,
  );
  const [confirming, setConfirming] = useState(false);
  const checkboxId = `task-${task.id}`;
  const titleId = `task-${task.id}-title`;
  const pending = task.id < 0; // not yet confirmed by the server
  // Set when the edit form closes by the person's choice (Save, Cancel, Escape): the focus goes back to
  // the task's checkbox rather than falling to <body> with the removed form.
  const focusAfterEdit = useRef(false);
  const checkboxRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (editing || !focusAfterEdit.current) return;
    focusAfterEdit.current = false;
    checkboxRef.current?.focus();
  }, [editing]);

  function closeEdit() {
    focusAfterEdit.current = true;
    setEditing(undefined);
  }

  if (editing) {
    return (
      <li className="task task--editing">
        <TaskForm
          submitLabel="Save"
          initial={editing.draft}
          initialError={editing.error}
          autoFocus
          draftKey={draftKey}
          label={`Edit “${task.title}”`}
          onCancel={() => {
            forgetTaskDraft(draftKey);
            closeEdit();
          }}
          onSubmit={async (input) => {
            closeEdit();
            onEdit(task, input).then(
              () => forgetTaskDraft(draftKey),
              (error: unknown) => setEditing({ draft: input, error }),
            );
          }}
        />
      </li>
    );
  }

  const due = task.due_at ? describeDue(task.due_at, task.completed, now) : undefined;
  const hasDetails = due || task.priority !== 'medium' || task.recurrence || task.tags.length > 0;

  return (
    <li className={`task${task.completed ? ' task--done' : ''}`} aria-busy={pending || undefined}>
      <div className="task__main">
        {/* The native checkbox stays (keyboard, screen readers) but is invisible and 44 px square,
            a full touch target; the box people see is drawn by the span after it. */}
        <span className="task__check">
          <input
            ref={checkboxRef}
            id={checkboxId}
            type="checkbox"
            aria-labelledby={titleId}
            checked={task.completed}
            disabled={pending}
            onChange={() => onToggle(task)}
          />
          <span className="task__box" aria-hidden="true" />
        </span>
        <div className="task__text">
          {/* Named by the title but not bound to it: a click on the words (to select them, say) must not
              tick the task; only the checkbox does. */}
          <label id={titleId} className="task__title" dir="auto">
            {task.title}
          </label>
          {task.description && <TaskDescription text={task.description} />}
          {hasDetails && (
            <div className="task__details">
              {due && (
                // Overdue is said in words as well as in colour.
                <span className={`task__due${due.overdue ? ' task__due--overdue' : ''}`}>
                  <span className="visually-hidden">Due: </span>
                  <time dateTime={task.due_at ?? undefined} title={due.full}>
                    {due.text}
                  </time>
                </span>
              )}
              {task.priority !== 'medium' && (
                <span className={`task__priority task__priority--${task.priority}`}>
                  {task.priority === 'high' ? 'High priority' : 'Low priority'}
                </span>
              )}
              {task.recurrence && <span className="task__repeat">{REPEAT_TEXT[task.recurrence]}</span>}
              {task.tags.map((tag) => (
                <button key={tag} type="button" className="tag-button" onClick={() => onTag(tag)}>
                  <span className="tag-button__chip">
                    <span className="visually-hidden">Show tasks tagged </span>
                    <bdi dir="auto">{tag}</bdi>
                  </span>
                </button>
              ))}
            </div>
          )}
        </div>
      </div>
      {/* On a phone only the icons show, so the actions fit beside the title; the words stay the names. */}
      <div className="task__actions">
        <Button
          variant="ghost"
          className="task__action"
          onClick={() => setEditing({ draft: inputOf(task) })}
          disabled={pending}
        >
          <EditIcon />
          <span className="task__action-label">Edit</span>
        </Button>
        <Button
          variant="ghost"
          className="task__action button--danger-text"
          onClick={() => setConfirming(true)}
          disabled={pending}
        >
          <DeleteIcon />
          <span className="task__action-label">Delete</span>
        </Button>
      </div>
      {confirming && (
        <ConfirmDialog
          title="Delete task?"
          message={`“${task.title}” will be deleted. You can undo this for a few seconds afterwards.`}
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
