import { useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { validateFields } from '@todo/shared/field-errors';
import { ApiError } from '../api/client';
import { hasDrafts } from '../app/drafts';
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
import { useSecondsLeft } from './use-seconds-left';

export const SIGNED_OUT_MESSAGE = 'You have signed out.';
export const DRAFT_KEPT_MESSAGE = 'Sign in to carry on; your draft is kept.';

/** A 429 with `Retry-After`: the server's sentence, and when signing in is allowed again. */
interface Throttle {
  message: string;
  until: number;
}

const seconds = (count: number) => `${count} ${count === 1 ? 'second' : 'seconds'}`;

export function SignInPage() {
  const { state, signIn } = useAuth();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [throttle, setThrottle] = useState<Throttle>();
  const secondsLeft = useSecondsLeft(throttle?.until);
  const throttled = throttle !== undefined && secondsLeft > 0;
  const formRef = useRef<HTMLFormElement>(null);
  const formErrorRef = useRef<HTMLParagraphElement>(null);
  const { errors, formError, busy, onSubmit } = useFormSubmit({
    validate: async () => validateFields((await loadAuthSchemas()).signInBodySchema, { email, password }),
    submit: async () => {
      setThrottle(undefined);
      try {
        await signIn(email.trim(), password);
      } catch (error) {
        // Shown here with its countdown, rather than as a plain form error.
        if (!(error instanceof ApiError) || error.status !== 429 || !error.retryAfterSeconds) throw error;
        setThrottle({ message: error.message, until: Date.now() + error.retryAfterSeconds * 1000 });
      }
    },
  });
  useFocusFirstError(formRef, errors, formErrorRef);
  const sessionMessage = state.status === 'signed-out' ? state.message : undefined;
  const signedOutByChoice = state.status === 'signed-out' && state.byChoice;
  const next = params.get('next');
  const quiet = formError !== undefined || throttled;

  return (
    <AuthLayout title="Sign in">
      {sessionMessage && !quiet && (
        <p className="notice" role="status">
          {sessionMessage}
        </p>
      )}
      {/* Also without a sentence from the server: a cookie the browser itself let expire sends none. */}
      {!signedOutByChoice && !quiet && hasDrafts() && (
        <p className="notice" role="status">
          {DRAFT_KEPT_MESSAGE}
        </p>
      )}
      {signedOutByChoice && !quiet && (
        <p className="notice" role="status">
          {SIGNED_OUT_MESSAGE}
        </p>
      )}
      <FormError message={throttled ? throttle.message : formError} ref={formErrorRef} />
      <ErrorSummary errors={errors} formRef={formRef} />
      {throttled && (
        // Not a live region: a screen reader is told the sentence above once, not every second.
        <p className="notice">You can sign in again in {seconds(secondsLeft)}.</p>
      )}
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <EmailField value={email} onChange={setEmail} error={errors.email} autoComplete="username" />
        <PasswordField
          value={password}
          onChange={setPassword}
          error={errors.password}
          autoComplete="current-password"
        />
        <Button type="submit" busy={busy} busyLabel="Signing in…" className="button--block" disabled={throttled}>
          Sign in
        </Button>
      </form>
      <p className="switch">
        New here? <Link to={next ? `/auth/signup?next=${encodeURIComponent(next)}` : '/auth/signup'}>Sign up</Link>
      </p>
    </AuthLayout>
  );
}
