import { fail } from '../../errors.js';
import { invalidTokenError } from '../session/tokens.js';
import type { AuthUser } from '../session/authenticate.js';
import { findUserById } from '../users.js';
import type { PasswordDeps } from './password-deps.js';
import { assertHashQueueRoom, verifyPassword } from './password-hash.js';

/** Re-checks the signed-in person's password before a sensitive change; throws when it is wrong. */
export type ConfirmPassword = (caller: AuthUser, password: string) => Promise<void>;

/**
 * Wrong answers count toward the same per-account throttle as sign-in, so a stolen session cannot be
 * used to guess the password.
 */
export function createConfirmPassword(deps: Pick<PasswordDeps, 'db' | 'throttle'>): ConfirmPassword {
  return async (caller, password) => {
    const user = await findUserById(deps.db, caller.id);
    if (!user) throw invalidTokenError();
    assertHashQueueRoom(); // a full queue refuses the attempt before the throttle counts it
    await deps.throttle.begin(user.email);
    if (!(await verifyPassword(user.passwordHash, password))) {
      throw fail('invalid_credentials', { message: 'Current password is incorrect' });
    }
    await deps.throttle.succeeded(user.email);
  };
}
