import { AppError, fail } from '../../errors.js';
import { endStreakUpdate } from '../../rate-limit/rate-limit-store.js';
import { recordAuthEvent } from '../audit-log.js';
import type { AuthResult, SignInBody } from '@todo/shared/auth-schemas';
import type { RequestMeta } from '../request-meta.js';
import { openSession } from '../session/open-session.js';
import { findUserByEmail, setPasswordHash } from '../users.js';
import type { PasswordDeps } from './password-deps.js';
import {
  assertHashQueueRoom,
  hashPassword,
  needsRehash,
  verifyAgainstDummyHash,
  verifyPassword,
} from './password-hash.js';

/**
 * Email and password to a session, in three database round trips on the way to success: the throttle's
 * check-and-count, the user lookup, and one statement that ends the streak, opens the session and
 * records the event. Sign-in's hot path; the benchmark measures it against the cost of the hash alone.
 * `trustedDevice` is the id of a device cookie already verified for this email: its attempts are
 * throttled on that device's key instead of the account's.
 */
export async function signIn(
  deps: PasswordDeps,
  input: SignInBody,
  meta: RequestMeta,
  trustedDevice?: string,
): Promise<AuthResult> {
  const { db, throttle } = deps;
  assertHashQueueRoom(); // a full queue refuses the attempt before the throttle counts it
  try {
    await throttle.begin(input.email, trustedDevice);
  } catch (error) {
    // Only a real refusal is a throttled attempt; a failing database is not, and goes out as a 500.
    if (error instanceof AppError && error.code === 'rate_limited') {
      await recordAuthEvent(db, 'signin_throttled', { email: input.email }, meta);
    }
    throw error;
  }
  const user = await findUserByEmail(db, input.email);
  // An unknown email costs one verification too, so timing does not reveal which emails exist.
  const matches = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyAgainstDummyHash(input.password);
  if (!user || !matches) {
    await recordAuthEvent(db, 'signin_failure', { userId: user?.id, email: input.email }, meta);
    throw fail('invalid_credentials');
  }
  if (needsRehash(user.passwordHash)) await setPasswordHash(db, user.id, await hashPassword(input.password));
  const endStreak = db.$with('end_streak').as(endStreakUpdate(db, throttle.keyFor(input.email, trustedDevice)));
  return openSession(deps, user, meta, { event: 'signin_success', alongside: [endStreak] });
}
