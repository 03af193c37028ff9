import { eq, sql } from 'drizzle-orm';
import { users } from '../db/schema.js';
import { AppError } from '../errors.js';
import { recordAuthEvent, type RequestMeta } from './audit-log.js';
import type { ChangePasswordBody } from './auth-schemas.js';
import { findUserById, type AuthDeps } from './auth-service.js';
import type { AuthUser } from './authenticate.js';
import { hashPassword, verifyPassword } from './password.js';
import { revokeUserSessions } from './session-store.js';
import { assertAcceptablePassword, normalizePassword } from './password-policy.js';
import { invalidTokenError } from './tokens.js';

/**
 * Re-checks the caller's password before a sensitive change. Wrong answers count toward the same
 * per-account throttle as sign-in, so a stolen session cannot be used to guess the password.
 */
async function confirmPassword(deps: AuthDeps, caller: AuthUser, password: string): Promise<void> {
  const user = await findUserById(deps.db, caller.id);
  if (!user) throw invalidTokenError();
  await deps.throttle.begin(user.email);
  if (!(await verifyPassword(user.passwordHash, normalizePassword(password)))) {
    throw new AppError(400, 'invalid_credentials', 'Current password is incorrect');
  }
  await deps.throttle.succeeded(user.email);
}

/** Changes the password and signs out every other session: whoever knew the old one is shut out. */
export async function changePassword(deps: AuthDeps, caller: AuthUser, input: ChangePasswordBody, meta: RequestMeta): Promise<void> {
  await confirmPassword(deps, caller, input.current_password);
  assertAcceptablePassword(input.new_password, caller.email);
  const passwordHash = await hashPassword(normalizePassword(input.new_password));
  // One transaction: the new password never stands while the other sessions are still live.
  const revoked = await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: sql`now()` }).where(eq(users.id, caller.id));
    await recordAuthEvent(tx, 'password_change', { userId: caller.id }, meta);
    return revokeUserSessions(tx, caller.id, caller.sessionId);
  });
  deps.liveness.forget(revoked);
}

/** Deletes the account; its sessions and tasks go with it (ON DELETE CASCADE) in the same transaction. */
export async function deleteAccount(deps: AuthDeps, caller: AuthUser, password: string, meta: RequestMeta): Promise<void> {
  await confirmPassword(deps, caller, password);
  await deps.db.transaction(async (tx) => {
    await tx.delete(users).where(eq(users.id, caller.id));
    await recordAuthEvent(tx, 'account_delete', { userId: caller.id, email: caller.email }, meta);
  });
  deps.liveness.forgetUser(caller.id);
}
