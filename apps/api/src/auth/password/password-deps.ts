import type { SigninThrottle } from '../../rate-limit/signin-throttle.js';
import type { SessionDeps } from '../session/session-deps.js';

/** What the password capability needs: sessions to open, and the per-account throttle. */
export interface PasswordDeps extends SessionDeps {
  throttle: SigninThrottle;
}
