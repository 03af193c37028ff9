import { useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { validateFields } from '@todo/shared/field-errors';
import { createTaskBodySchema, TASK_SENTENCES, type Priority, type Recurrence } from '@todo/shared/task-schemas';
import { Button } from '../components/button';
import { Field, SelectField } from '../components/field';
import { ErrorSummary } from '../components/error-summary';
import { FormError } from '../components/form-error';
import { useFocusFirstError } from '../components/use-focus-first-error';
import { useFormSubmit, type FieldErrors } from '../components/use-form-submit';
import { useResubmitWhenOnline } from '../components/use-resubmit-when-online';
import { useWideScreen } from '../components/use-wide-screen';
import { dueAtOf, dueInputsOf } from './due-date';
import { addTags, TagsField } from './tags-field';
import { useKeepTaskDraft, useRestoredTaskDraft } from './task-draft';
import type { TaskInput } from './tasks-api';

interface TaskFormProps {
  /** Resolves once the change is accepted (optimistically); rejects to keep the form as typed. */
  onSubmit: (input: TaskInput) => Promise<void>;
  submitLabel: string;
  initial?: TaskInput;
  onCancel?: () => void;
  /** Clears the inputs after a successful submit: right for "add", wrong for "edit". */
  resetOnSuccess?: boolean;
  autoFocus?: boolean;
  /** Shown from the start: why the last save of these values was refused. */
  initialError?: unknown;
  /** Where the typed title and description are kept until saved (see task-draft.ts). */
  draftKey?: string;
  /** The form's accessible name, e.g. Edit “Buy milk”, when it is one of many on the page. */
  label?: string;
  /** The title input, for whoever must move the focus there (a keyboard shortcut). */
  titleRef?: RefObject<HTMLInputElement | null>;
  /**
   * The add form: on a phone, one row of title and submit, with the rest behind "Add details", so the
   * list starts high on the screen. A wider screen has the room to show every field.
   */
  quickAdd?: boolean;
}

const PRIORITY_OPTIONS = [
  { value: 'low', label: 'Low' },
  { value: 'medium', label: 'Medium' },
  { value: 'high', label: 'High' },
] as const;

const REPEAT_OPTIONS = [
  { value: '', label: 'Does not repeat' },
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly' },
  { value: 'monthly', label: 'Monthly' },
] as const;

/** The fields behind "More options": an error on one of them opens it, so the error is seen. */
const OPTION_FIELDS = ['due_at', 'priority', 'tags', 'recurrence'];

const EMPTY: TaskInput = { title: '', description: null, priority: 'medium', tags: [], due_at: null, recurrence: null };

/**
 * A task's fields: the add form at the top of the list, and each task's edit-in-place form. Title and
 * description show at once (on a phone's add form, behind "Add details"); due date, priority, tags and
 * repeat sit behind "More options".
 */
export function TaskForm({
  onSubmit,
  submitLabel,
  initial = EMPTY,
  onCancel,
  resetOnSuccess = false,
  autoFocus = false,
  initialError,
  draftKey,
  label,
  titleRef,
  quickAdd = false,
}: TaskFormProps) {
  const initialDue = dueInputsOf(initial.due_at);
  const restored = useRestoredTaskDraft(draftKey);
  const [title, setTitle] = useState(restored?.title ?? initial.title);
  const [description, setDescription] = useState(restored?.description ?? initial.description ?? '');
  useKeepTaskDraft(draftKey, title, description);
  const [priority, setPriority] = useState<Priority>(initial.priority);
  const [tags, setTags] = useState(initial.tags);
  const [tagDraft, setTagDraft] = useState('');
  const [dueDate, setDueDate] = useState(initialDue.date);
  const [dueTime, setDueTime] = useState(initialDue.time);
  const [recurrence, setRecurrence] = useState<Recurrence | null>(initial.recurrence);
  const [optionsOpen, setOptionsOpen] = useState(false);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const optionsId = useId();
  const detailsId = useId();
  const wide = useWideScreen();
  const oneRow = quickAdd && !wide;
  const formRef = useRef<HTMLFormElement>(null);
  const formErrorRef = useRef<HTMLParagraphElement>(null);
  const ownTitleRef = useRef<HTMLInputElement>(null);
  const titleInput = titleRef ?? ownTitleRef;

  /** What would be sent; the due date stays exactly as stored unless its inputs were changed. */
  function readInput(): { input: TaskInput; errors: FieldErrors } {
    const errors: FieldErrors = {};
    const dueChanged = dueDate !== initialDue.date || dueTime !== initialDue.time;
    const dueAt = dueChanged ? dueAtOf(dueDate, dueTime) : initial.due_at;
    if (dueAt === undefined) errors.due_at = TASK_SENTENCES.dueAt;
    // A tag still in the box is added, not dropped.
    const withDraft = addTags(tags, tagDraft.split(','));
    if (withDraft.problem) errors.tags = withDraft.problem;
    const input: TaskInput = {
      title: title.trim(),
      description: description.trim() || null,
      priority,
      tags: withDraft.tags,
      due_at: dueAt ?? null,
      recurrence,
    };
    return { input, errors };
  }

  const {
    errors,
    formError,
    busy,
    onSubmit: handleSubmit,
  } = useFormSubmit({
    validate: () => {
      const { input, errors: own } = readInput();
      return { ...validateFields(createTaskBodySchema, { ...input, title, description }), ...own };
    },
    submit: async () => {
      const { input } = readInput();
      setTags(input.tags);
      setTagDraft('');
      await onSubmit(input);
      if (resetOnSuccess) {
        setTitle('');
        setDescription('');
        setPriority('medium');
        setTags([]);
        setDueDate('');
        setDueTime('');
        setRecurrence(null);
        titleInput.current?.focus(); // ready for the next task; the busy button had lost the focus
      }
    },
    initialError,
  });
  useFocusFirstError(formRef, errors, formErrorRef);
  useResubmitWhenOnline(formRef, formError);
  const showOptions = optionsOpen || OPTION_FIELDS.some((field) => errors[field]);
  // Like "More options", an error behind "Add details" opens it, so the error is seen.
  const showDetails = detailsOpen || showOptions || Boolean(errors.description);

  /** Escape backs out of an edit, as it does out of a dialog; the add form has nothing to cancel. */
  function cancelOnEscape(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key !== 'Escape' || !onCancel || event.nativeEvent.isComposing) return;
    event.preventDefault();
    onCancel();
  }

  const titleField = (
    <Field
      ref={titleInput}
      label="Title"
      name="title"
      value={title}
      onChange={(event) => setTitle(event.target.value)}
      error={errors.title}
      autoComplete="off"
      autoFocus={autoFocus}
      {...(oneRow && { placeholder: 'Add a task' })}
    />
  );
  const detailFields = (
    <>
      <Field
        multiline
        label="Description"
        name="description"
        rows={2}
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        error={errors.description}
        hint="Optional"
      />
      <button
        type="button"
        className="disclosure"
        aria-expanded={showOptions}
        aria-controls={optionsId}
        onClick={() => setOptionsOpen(!showOptions)}
      >
        <span className="disclosure__marker" aria-hidden="true" />
        More options
      </button>
      <div id={optionsId} className="task-form__options" hidden={!showOptions}>
        {showOptions && (
          <>
            <div className="task-form__due">
              <Field
                label="Due date"
                name="due_date"
                type="date"
                value={dueDate}
                onChange={(event) => setDueDate(event.target.value)}
                error={errors.due_at}
              />
              <Field
                label="Due time"
                name="due_time"
                type="time"
                value={dueTime}
                onChange={(event) => setDueTime(event.target.value)}
                hint="Optional: the end of the day if left empty"
              />
            </div>
            <SelectField
              label="Priority"
              name="priority"
              value={priority}
              onChange={(event) => setPriority(event.target.value as Priority)}
              options={PRIORITY_OPTIONS}
              error={errors.priority}
            />
            <TagsField
              tags={tags}
              onChange={setTags}
              draft={tagDraft}
              onDraftChange={setTagDraft}
              error={errors.tags}
            />
            <SelectField
              label="Repeat"
              name="recurrence"
              value={recurrence ?? ''}
              onChange={(event) => setRecurrence((event.target.value || null) as Recurrence | null)}
              options={REPEAT_OPTIONS}
              error={errors.recurrence}
              hint={TASK_SENTENCES.recurrenceNeedsDue}
            />
          </>
        )}
      </div>
    </>
  );
  const actions = (
    <div className="actions">
      <Button type="submit" busy={busy}>
        {submitLabel}
      </Button>
      {onCancel && (
        <Button variant="secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      )}
    </div>
  );

  // The order on screen is the order in the page, so Tab goes where the eye does.
  return (
    <form
      ref={formRef}
      className={`task-form${oneRow ? ' task-form--one-row' : ''}`}
      onSubmit={handleSubmit}
      onKeyDown={cancelOnEscape}
      aria-label={label}
      noValidate
    >
      <FormError message={formError} ref={formErrorRef} />
      <ErrorSummary errors={errors} formRef={formRef} />
      {oneRow ? (
        <>
          <div className="task-form__row">
            {titleField}
            {actions}
          </div>
          <button
            type="button"
            className="disclosure"
            aria-expanded={showDetails}
            aria-controls={detailsId}
            onClick={() => setDetailsOpen(!showDetails)}
          >
            <span className="disclosure__marker" aria-hidden="true" />
            Add details
          </button>
          <div id={detailsId} className="task-form__details" hidden={!showDetails}>
            {showDetails && detailFields}
          </div>
        </>
      ) : (
        <>
          {titleField}
          {detailFields}
          {actions}
        </>
      )}
    </form>
  );
}
