import { useState } from 'react';
import { Field } from './field';

interface PasswordFieldProps {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  autoComplete: 'current-password' | 'new-password';
  hint?: string;
}

/** A password input with a show/hide toggle, so people can check what they typed on a phone keyboard. */
export function PasswordField({ value, onChange, error, autoComplete, hint }: PasswordFieldProps) {
  const [visible, setVisible] = useState(false);
  return (
    <Field
      label="Password"
      name="password"
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
          {/* Short on screen, whole for a screen reader: the name is "Show password" / "Hide password". */}
          <span aria-hidden="true">{visible ? 'Hide' : 'Show'}</span>
          <span className="visually-hidden">{visible ? 'Hide password' : 'Show password'}</span>
        </button>
      }
    />
  );
}
