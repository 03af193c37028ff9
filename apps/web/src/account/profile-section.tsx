import { useRef, useState } from 'react';
import { validateFields } from '@todo/shared/field-errors';
import { loadAuthSchemas } from '../app/shared-schemas';
import type { User } from '../auth/auth-api';
import { useAuth } from '../auth/auth-context';
import { NameField } from '../auth/name-field';
import { Button } from '../components/button';
import { FormError } from '../components/form-error';
import { useFocusFirstError } from '../components/use-focus-first-error';
import { useFormSubmit } from '../components/use-form-submit';
import * as accountApi from './account-api';
import { SettingsSection } from './settings-section';

interface ProfileSectionProps {
  user: User;
  announce: (text: string) => void;
  onChanged: () => void;
}

/** The name, which the person may change; the email is shown as it is (changing it comes later). */
export function ProfileSection({ user, announce, onChanged }: ProfileSectionProps) {
  const { updateUser } = useAuth();
  const [name, setName] = useState(user.name);
  const formRef = useRef<HTMLFormElement>(null);
  const formErrorRef = useRef<HTMLParagraphElement>(null);
  const { errors, formError, busy, onSubmit } = useFormSubmit({
    validate: async () => validateFields((await loadAuthSchemas()).updateProfileBodySchema, { name }),
    submit: async () => {
      const saved = await accountApi.updateName(name.trim());
      // The top bar reads the same user, so the new name shows there at once.
      updateUser(saved);
      setName(saved.name);
      announce('Name saved');
      onChanged();
    },
  });
  useFocusFirstError(formRef, errors, formErrorRef);

  return (
    <SettingsSection title="Profile">
      <FormError message={formError} ref={formErrorRef} />
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <NameField value={name} onChange={setName} error={errors.name} />
        <Button type="submit" busy={busy} busyLabel="Saving…">
          Save
        </Button>
      </form>
      <dl className="settings__facts">
        <div>
          <dt>Email</dt>
          <dd dir="auto">{user.email}</dd>
        </div>
      </dl>
    </SettingsSection>
  );
}
