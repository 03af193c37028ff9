import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

type CommonProps = {
  label: string;
  error?: string | undefined;
  hint?: string;
  /** Shown after the input, inside the field's row: a show/hide button, for instance. */
  trailing?: ReactNode;
};

type InputFieldProps = CommonProps &
  InputHTMLAttributes<HTMLInputElement> & { multiline?: false; ref?: Ref<HTMLInputElement> };
type TextareaFieldProps = CommonProps &
  TextareaHTMLAttributes<HTMLTextAreaElement> & { multiline: true; ref?: Ref<HTMLTextAreaElement> };

/**
 * A labelled input whose error sits next to it: marked aria-invalid and tied to the input with
 * aria-describedby, so a screen reader reads the sentence when the field gets focus.
 */
export function Field(props: InputFieldProps | TextareaFieldProps) {
  const { label, error, hint, trailing, id: givenId, ...rest } = props;
  const generatedId = useId();
  const id = givenId ?? generatedId;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  // dir="auto": what people type in Arabic or Hebrew reads right to left, and the rest left to right.
  const shared = { id, dir: 'auto', 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy };

  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="field__row">
        {rest.multiline ? (
          <textarea {...withoutMultiline(rest)} {...shared} ref={(props as TextareaFieldProps).ref} />
        ) : (
          <input {...withoutMultiline(rest)} {...shared} ref={(props as InputFieldProps).ref} />
        )}
        {trailing}
      </div>
      {hint && !error && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

function withoutMultiline<T extends { multiline?: boolean; ref?: unknown }>(props: T): Omit<T, 'multiline' | 'ref'> {
  const { multiline: _multiline, ref: _ref, ...rest } = props;
  return rest;
}

type SelectFieldProps = CommonProps &
  SelectHTMLAttributes<HTMLSelectElement> & { options: readonly { value: string; label: string }[] };

/** The same labelled field around a native <select>: a phone shows its own picker. */
export function SelectField({ label, error, hint, trailing, id: givenId, options, ...rest }: SelectFieldProps) {
  const generatedId = useId();
  const id = givenId ?? generatedId;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="field__row">
        <select {...rest} id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        {trailing}
      </div>
      {hint && !error && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}
