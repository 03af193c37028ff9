import { useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { signInBodySchema } from '@todo/shared/auth-schemas';
import { validateFields } from '@todo/shared/field-errors';
import { Button } from '../components/button';
import { ErrorSummary } from '../components/error-summary';
import { FormError } from '../components/form-error';
import { PasswordField } from '../components/password-field';
import { useFocusFirstError } from '../components/use-focus-first-error';
import { useFormSubmit } from '../components/use-form-submit';
import { useAuth } from './auth-context';
import { AuthLayout } from './auth-layout';
import { EmailField } from './email-field';

export function SignInPage() {
  const { state, signIn } = useAuth();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const formRef = useRef<HTMLFormElement>(null);
  const formErrorRef = useRef<HTMLParagraphElement>(null);
  const { errors, formError, busy, onSubmit } = useFormSubmit({
    validate: () => validateFields(signInBodySchema, { email, password }),
    submit: () => signIn(email.trim(), password),
  });
  useFocusFirstError(formRef, errors, formErrorRef);
  const sessionMessage = state.status === 'signed-out' ? state.message : undefined;
  const next = params.get('next');

  return (
    <AuthLayout title="Sign in">
      {sessionMessage && !formError && (
        <p className="notice" role="status">
          {sessionMessage}
        </p>
      )}
      <FormError message={formError} ref={formErrorRef} />
      <ErrorSummary errors={errors} formRef={formRef} />
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <EmailField value={email} onChange={setEmail} error={errors.email} autoComplete="username" />
        <PasswordField
          value={password}
          onChange={setPassword}
          error={errors.password}
          autoComplete="current-password"
        />
        <Button type="submit" busy={busy} busyLabel="Signing in…" className="button--block">
          Sign in
        </Button>
      </form>
      <p className="switch">
        New here? <Link to={next ? `/auth/signup?next=${encodeURIComponent(next)}` : '/auth/signup'}>Sign up</Link>
      </p>
    </AuthLayout>
  );
}
