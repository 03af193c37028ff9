import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { recordAuthEvent } from '../audit-log.js';
import type { UserJson } from '@todo/shared/auth-schemas';
import type { RequestMeta } from '../request-meta.js';
import type { AuthUser } from '../session/authenticate.js';
import type { SessionLiveness } from '../session/session-liveness.js';
import { invalidTokenError } from '../session/tokens.js';
import { findUserById, toUserJson } from '../users.js';

/** What the account capability needs; confirmPassword comes from the password capability, wired in app.ts. */
export interface AccountDeps {
  db: Db;
  liveness: SessionLiveness;
  confirmPassword: (caller: AuthUser, password: string) => Promise<void>;
}

export async function getProfile(db: Db, userId: string): Promise<UserJson> {
  const user = await findUserById(db, userId);
  // The session check has just passed, so a missing user was deleted in between: treat the token as dead.
  if (!user) throw invalidTokenError();
  return toUserJson(user);
}

/** Renames the caller; tokens signed from now on carry the new name, older ones keep working. */
export async function updateProfile(db: Db, caller: AuthUser, name: string, meta: RequestMeta): Promise<UserJson> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ name, updatedAt: sql`now()` })
      .where(eq(users.id, caller.id))
      .returning();
    if (!user) throw invalidTokenError();
    await recordAuthEvent(tx, 'profile_updated', { userId: user.id, email: user.email }, meta);
    return toUserJson(user);
  });
}

/** Deletes the account; its sessions and tasks go with it (ON DELETE CASCADE) in the same transaction. */
export async function deleteAccount(
  deps: AccountDeps,
  caller: AuthUser,
  password: string,
  meta: RequestMeta,
): Promise<void> {
  await deps.confirmPassword(caller, password);
  await deps.db.transaction(async (tx) => {
    await tx.delete(users).where(eq(users.id, caller.id));
    await recordAuthEvent(tx, 'account_delete', { userId: caller.id, email: caller.email }, meta);
  });
  deps.liveness.forgetUser(caller.id);
}
