import { Field } from '../components/field';

interface EmailFieldProps {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  /** "username" on sign-in, where password managers look for the account name; "email" on sign-up. */
  autoComplete: 'username' | 'email';
}

/** The email input both auth forms use: an email keyboard on phones, and autofill from the browser. */
export function EmailField({ value, onChange, error, autoComplete }: EmailFieldProps) {
  return (
    <Field
      label="Email"
      name="email"
      type="email"
      autoComplete={autoComplete}
      inputMode="email"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
    />
  );
}
