import { useId, useRef, useState } from 'react';
import { validateFields } from '@todo/shared/field-errors';
import { loadAuthSchemas } from '../app/shared-schemas';
import { useAuth } from '../auth/auth-context';
import { Button } from '../components/button';
import { FormError } from '../components/form-error';
import { PasswordField } from '../components/password-field';
import { useFocusFirstError } from '../components/use-focus-first-error';
import { useFormSubmit } from '../components/use-form-submit';
import { useModalDialog } from '../components/use-modal-dialog';
import * as accountApi from './account-api';
import { SettingsSection } from './settings-section';

export const DELETE_WARNING =
  'Your account, all of your tasks and your sessions on every device will be deleted. This cannot be undone.';

/** Deleting the account, behind a dialog that says what goes with it and asks for the password. */
export function DeleteAccountSection() {
  const [confirming, setConfirming] = useState(false);
  return (
    <SettingsSection title="Delete account">
      <p className="settings__note">Deleting your account deletes all of your tasks and signs out every device.</p>
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Delete account
      </Button>
      {confirming && <DeleteAccountDialog onCancel={() => setConfirming(false)} />}
    </SettingsSection>
  );
}

/** A modal <dialog> (see useModalDialog): focus starts on the password and returns to the opener. */
function DeleteAccountDialog({ onCancel }: { onCancel: () => void }) {
  const { accountDeleted } = useAuth();
  const [password, setPassword] = useState('');
  const dialogRef = useRef<HTMLDialogElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const formErrorRef = useRef<HTMLParagraphElement>(null);
  const titleId = useId();
  const messageId = useId();
  useModalDialog(dialogRef, passwordRef);
  const { errors, formError, busy, onSubmit } = useFormSubmit({
    validate: async () => validateFields((await loadAuthSchemas()).deleteAccountBodySchema, { password }),
    submit: async () => {
      await accountApi.deleteAccount(password);
      // The page's guard then sends the person to sign-up, where the sentence says why.
      accountDeleted();
    },
    fieldForCode: { invalid_credentials: 'password' },
  });
  useFocusFirstError(formRef, errors, formErrorRef);

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={messageId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={titleId}>Delete your account?</h2>
      <p id={messageId}>{DELETE_WARNING}</p>
      <FormError message={formError} ref={formErrorRef} />
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <PasswordField
          ref={passwordRef}
          value={password}
          onChange={setPassword}
          error={errors.password}
          autoComplete="current-password"
          hint="Enter your password to confirm."
        />
        <div className="actions">
          <Button type="submit" variant="danger" busy={busy} busyLabel="Deleting account…">
            Delete account
          </Button>
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        </div>
      </form>
    </dialog>
  );
}
