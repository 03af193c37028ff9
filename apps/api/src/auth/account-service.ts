import { eq } from 'drizzle-orm';
import { users } from '../db/schema.js';
import { AppError } from '../errors.js';
import { recordAuthEvent, type RequestMeta } from './audit-log.js';
import type { ChangePasswordBody } from './auth-schemas.js';
import { findUserById, updatePasswordHash, type AuthDeps } from './auth-service.js';
import type { AuthUser } from './authenticate.js';
import { verifyPassword } from './password.js';
import { assertAcceptablePassword, normalizePassword } from './password-policy.js';
import { invalidTokenError } from './tokens.js';

/**
 * Re-checks the caller's password before a sensitive change. Wrong answers count toward the same
 * per-account throttle as sign-in, so a stolen session cannot be used to guess the password.
 */
async function confirmPassword(deps: AuthDeps, caller: AuthUser, password: string, field: string): Promise<void> {
  const user = await findUserById(deps.db, caller.id);
  if (!user) throw invalidTokenError();
  const { hasFailures } = await deps.throttle.assertMayTry(user.email);
  if (!(await verifyPassword(user.passwordHash, normalizePassword(password)))) {
    await deps.throttle.recordFailure(user.email);
    const message = 'Current password is incorrect';
    throw new AppError(400, 'invalid_credentials', message, { [field]: message });
  }
  if (hasFailures) await deps.throttle.recordSuccess(user.email);
}

/** Changes the password and signs out every other session: whoever knew the old one is shut out. */
export async function changePassword(deps: AuthDeps, caller: AuthUser, input: ChangePasswordBody, meta: RequestMeta): Promise<void> {
  await confirmPassword(deps, caller, input.current_password, 'current_password');
  assertAcceptablePassword(input.new_password, caller.email, 'new_password');
  await updatePasswordHash(deps.db, caller.id, normalizePassword(input.new_password));
  await deps.liveness.revokeAll(caller.id, caller.sessionId);
  await recordAuthEvent(deps.db, 'password_change', { userId: caller.id }, meta);
}

/** Deletes the account; its sessions and tasks go with it (ON DELETE CASCADE) in the same transaction. */
export async function deleteAccount(deps: AuthDeps, caller: AuthUser, password: string, meta: RequestMeta): Promise<void> {
  await confirmPassword(deps, caller, password, 'password');
  await deps.db.transaction(async (tx) => {
    await tx.delete(users).where(eq(users.id, caller.id));
    await recordAuthEvent(tx, 'account_delete', { userId: caller.id, email: caller.email }, meta);
  });
  deps.liveness.forgetUser(caller.id);
}
