import { recordAuthEvent } from '../audit-log.js';
import type { ChangePasswordBody } from '@todo/shared/auth-schemas';
import type { RequestMeta } from '../request-meta.js';
import type { AuthUser } from '../session/authenticate.js';
import { revokeUserSessions } from '../session/session-store.js';
import { setPasswordHash } from '../users.js';
import type { ConfirmPassword } from './confirm-password.js';
import type { PasswordDeps } from './password-deps.js';
import { hashPassword } from './password-hash.js';
import { assertAcceptablePassword } from './password-policy.js';

/** Changes the password and signs out every other session: whoever knew the old one is shut out. */
export async function changePassword(
  deps: PasswordDeps & { confirmPassword: ConfirmPassword },
  caller: AuthUser,
  input: ChangePasswordBody,
  meta: RequestMeta,
): Promise<void> {
  await deps.confirmPassword(caller, input.current_password);
  assertAcceptablePassword(input.new_password, caller.email);
  const passwordHash = await hashPassword(input.new_password);
  // One transaction: the new password never stands while the other sessions are still live.
  const revoked = await deps.db.transaction(async (tx) => {
    await setPasswordHash(tx, caller.id, passwordHash);
    await recordAuthEvent(tx, 'password_change', { userId: caller.id }, meta);
    return revokeUserSessions(tx, caller.id, caller.sessionId);
  });
  deps.liveness.forget(revoked);
}
