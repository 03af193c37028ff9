import { useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { validateFields } from '@todo/shared/field-errors';
import { loadAuthSchemas } from '../app/shared-schemas';
import { Button } from '../components/button';
import { ErrorSummary } from '../components/error-summary';
import { FormError } from '../components/form-error';
import { PasswordField } from '../components/password-field';
import { useFocusFirstError } from '../components/use-focus-first-error';
import { useFormSubmit } from '../components/use-form-submit';
import { useAuth } from './auth-context';
import { AuthLayout } from './auth-layout';
import { EmailField } from './email-field';
import { NameField } from './name-field';

export function SignUpPage() {
  const { state, signUp } = useAuth();
  const [params] = useSearchParams();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const formRef = useRef<HTMLFormElement>(null);
  const formErrorRef = useRef<HTMLParagraphElement>(null);
  const { errors, formError, busy, onSubmit } = useFormSubmit({
    validate: async () => validateFields((await loadAuthSchemas()).signUpBodySchema, { name, email, password }),
    submit: () => signUp(name.trim(), email.trim(), password),
    fieldForCode: { email_taken: 'email', password_too_common: 'password' },
  });
  useFocusFirstError(formRef, errors, formErrorRef);
  const next = params.get('next');

  return (
    <AuthLayout title="Create your account">
      {state.status === 'signed-out' && state.accountDeleted && !formError && (
        <p className="notice" role="status">
          {state.message}
        </p>
      )}
      <FormError message={formError} ref={formErrorRef} />
      <ErrorSummary errors={errors} formRef={formRef} />
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <NameField value={name} onChange={setName} error={errors.name} />
        <EmailField value={email} onChange={setEmail} error={errors.email} autoComplete="email" />
        <PasswordField
          value={password}
          onChange={setPassword}
          error={errors.password}
          autoComplete="new-password"
          hint="At least 8 characters. A long phrase is easiest to remember."
        />
        <Button type="submit" busy={busy} busyLabel="Creating account…" className="button--block">
          Sign up
        </Button>
      </form>
      <p className="switch">
        Already have an account?{' '}
        <Link to={next ? `/auth/signin?next=${encodeURIComponent(next)}` : '/auth/signin'}>Sign in</Link>
      </p>
    </AuthLayout>
  );
}
