import { Field } from '../components/field';

interface NameFieldProps {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}

/** The person's name, as sign-up asks for it and the settings page changes it: autofilled as a name. */
export function NameField({ value, onChange, error }: NameFieldProps) {
  return (
    <Field
      label="Name"
      name="name"
      autoComplete="name"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
    />
  );
}
