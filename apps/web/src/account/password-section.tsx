import { useRef, useState } from 'react';
import { validateFields } from '@todo/shared/field-errors';
import { loadAuthSchemas } from '../app/shared-schemas';
import { Button } from '../components/button';
import { ErrorSummary } from '../components/error-summary';
import { FormError } from '../components/form-error';
import { PasswordField } from '../components/password-field';
import { useFocusFirstError } from '../components/use-focus-first-error';
import { useFormSubmit } from '../components/use-form-submit';
import * as accountApi from './account-api';
import { SettingsSection } from './settings-section';

export const PASSWORD_CHANGED_MESSAGE = 'Password changed. Your other devices were signed out.';

interface PasswordSectionProps {
  announce: (text: string) => void;
  onChanged: () => void;
}

/** Changing the password, which signs out every other device: whoever knew the old one is shut out. */
export function PasswordSection({ announce, onChanged }: PasswordSectionProps) {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const formRef = useRef<HTMLFormElement>(null);
  const formErrorRef = useRef<HTMLParagraphElement>(null);
  const { errors, formError, busy, onSubmit } = useFormSubmit({
    validate: async () =>
      validateFields((await loadAuthSchemas()).changePasswordBodySchema, {
        current_password: currentPassword,
        new_password: newPassword,
      }),
    submit: async () => {
      await accountApi.changePassword(currentPassword, newPassword);
      setCurrentPassword('');
      setNewPassword('');
      announce(PASSWORD_CHANGED_MESSAGE);
      onChanged();
    },
    fieldForCode: { invalid_credentials: 'current_password', password_too_common: 'new_password' },
  });
  useFocusFirstError(formRef, errors, formErrorRef);

  return (
    <SettingsSection title="Password">
      <p className="settings__note">Changing your password signs out all your other devices.</p>
      <FormError message={formError} ref={formErrorRef} />
      <ErrorSummary errors={errors} formRef={formRef} />
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <PasswordField
          label="Current password"
          name="current_password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={setCurrentPassword}
          error={errors.current_password}
        />
        <PasswordField
          label="New password"
          name="new_password"
          autoComplete="new-password"
          value={newPassword}
          onChange={setNewPassword}
          error={errors.new_password}
          hint="At least 8 characters. A long phrase is easiest to remember."
        />
        <Button type="submit" busy={busy} busyLabel="Changing password…">
          Change password
        </Button>
      </form>
    </SettingsSection>
  );
}
