import { useRef, useState } from 'react';
import { validateFields } from '@todo/shared/field-errors';
import { createTaskBodySchema } from '@todo/shared/task-schemas';
import { Button } from '../components/button';
import { Field } from '../components/field';
import { FormError } from '../components/form-error';
import { useFocusFirstError } from '../components/use-focus-first-error';
import { useFormSubmit } from '../components/use-form-submit';
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
}

/** Title and description: the add form at the top of the list, and each task's edit-in-place form. */
export function TaskForm({
  onSubmit,
  submitLabel,
  initial,
  onCancel,
  resetOnSuccess = false,
  autoFocus = false,
  initialError,
}: TaskFormProps) {
  const [title, setTitle] = useState(initial?.title ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const formRef = useRef<HTMLFormElement>(null);
  const {
    errors,
    formError,
    busy,
    onSubmit: handleSubmit,
  } = useFormSubmit({
    validate: () => validateFields(createTaskBodySchema, { title, description }),
    submit: async () => {
      await onSubmit({ title: title.trim(), description: description.trim() || null });
      if (resetOnSuccess) {
        setTitle('');
        setDescription('');
      }
    },
    initialError,
  });
  useFocusFirstError(formRef, errors);

  return (
    <form ref={formRef} className="task-form" onSubmit={handleSubmit} noValidate>
      <FormError message={formError} />
      <Field
        label="Title"
        name="title"
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        error={errors.title}
        autoComplete="off"
        autoFocus={autoFocus}
      />
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
    </form>
  );
}
