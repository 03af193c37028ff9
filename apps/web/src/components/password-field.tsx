import { useState, type Ref } from 'react';
import { Field } from './field';

interface PasswordFieldProps {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  autoComplete: 'current-password' | 'new-password';
  hint?: string;
  /** "Password" unless a form has two: "Current password", "New password". */
  label?: string;
  name?: string;
  ref?: Ref<HTMLInputElement>;
}

/** A password input with a show/hide toggle, so people can check what they typed on a phone keyboard. */
export function PasswordField({
  value,
  onChange,
  error,
  autoComplete,
  hint,
  label = 'Password',
  name = 'password',
  ref,
}: PasswordFieldProps) {
  const [visible, setVisible] = useState(false);
  const what = label.toLowerCase();
  return (
    <Field
      label={label}
      name={name}
      ref={ref}
      type={visible ? 'text' : 'password'}
      autoComplete={autoComplete}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
      {...(hint && { hint })}
      trailing={
        <button
          type="button"
          className="button button--ghost field__toggle"
          aria-pressed={visible}
          onClick={() => setVisible(!visible)}
        >
          {/* Short on screen, whole for a screen reader: the name is "Show password" / "Hide new password". */}
          <span aria-hidden="true">{visible ? 'Hide' : 'Show'}</span>
          <span className="visually-hidden">{visible ? `Hide ${what}` : `Show ${what}`}</span>
        </button>
      }
    />
  );
}
