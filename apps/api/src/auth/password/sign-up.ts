import { isUniqueViolation } from '../../db/errors.js';
import { users } from '../../db/schema.js';
import { fail } from '../../errors.js';
import type { AuthResult, SignUpBody } from '@todo/shared/auth-schemas';
import type { RequestMeta } from '../request-meta.js';
import { openSession } from '../session/open-session.js';
import { findUserByEmail } from '../users.js';
import type { PasswordDeps } from './password-deps.js';
import { hashPassword } from './password-hash.js';
import { assertAcceptablePassword } from './password-policy.js';

export async function signUp(deps: PasswordDeps, input: SignUpBody, meta: RequestMeta): Promise<AuthResult> {
  assertAcceptablePassword(input.password, input.email);
  // Cheap early answer for the common case; the unique index settles races between simultaneous signups.
  if (await findUserByEmail(deps.db, input.email)) throw fail('email_taken');
  const passwordHash = await hashPassword(input.password);
  try {
    // One transaction, so an account never exists without the session its signup opened.
    return await deps.db.transaction(async (tx) => {
      const [user] = await tx.insert(users).values({ email: input.email, name: input.name, passwordHash }).returning();
      return openSession({ ...deps, db: tx }, user!, meta, { event: 'signup' });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw fail('email_taken');
    throw error;
  }
}
