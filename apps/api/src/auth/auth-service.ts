import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { users, type User } from '../db/schema.js';
import { AppError } from '../errors.js';
import { recordAuthEvent, type RequestMeta } from './audit-log.js';
import type { AuthResult, SignInBody, SignUpBody, UserJson } from './auth-schemas.js';
import { hashPassword, needsRehash, verifyAgainstDummyHash, verifyPassword } from './password.js';
import { assertAcceptablePassword, normalizePassword } from './password-policy.js';
import type { SessionLiveness } from './session-liveness.js';
import { createSession, revokeSession } from './session-store.js';
import type { SigninThrottle } from './signin-throttle.js';
import { invalidTokenError, issueToken, type TokenKeys } from './tokens.js';

export interface AuthDeps {
  db: Db;
  keys: TokenKeys;
  liveness: SessionLiveness;
  throttle: SigninThrottle;
  /** Seconds a token and its session live. */
  tokenTtlSeconds: number;
}

const emailTakenError = () => new AppError(400, 'email_taken', 'Email already registered');
const invalidCredentialsError = () => new AppError(400, 'invalid_credentials', 'Invalid email or password');

export async function signUp(deps: AuthDeps, input: SignUpBody, meta: RequestMeta): Promise<AuthResult> {
  assertAcceptablePassword(input.password, input.email);
  // Cheap early answer for the common case; the unique index settles races between simultaneous signups.
  if (await findUserByEmail(deps.db, input.email)) throw emailTakenError();
  const passwordHash = await hashPassword(normalizePassword(input.password));
  try {
    // One transaction, so an account never exists without the session its signup opened.
    return await deps.db.transaction(async (tx) => {
      const [user] = await tx.insert(users).values({ email: input.email, name: input.name, passwordHash }).returning();
      await recordAuthEvent(tx, 'signup', { userId: user!.id, email: user!.email }, meta);
      return openSession({ ...deps, db: tx }, user!, meta);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTakenError();
    throw error;
  }
}

export async function signIn(deps: AuthDeps, input: SignInBody, meta: RequestMeta): Promise<AuthResult> {
  const { db, throttle } = deps;
  try {
    await throttle.begin(input.email);
  } catch (error) {
    await recordAuthEvent(db, 'signin_throttled', { email: input.email }, meta);
    throw error;
  }
  const password = normalizePassword(input.password);
  const user = await findUserByEmail(db, input.email);
  // An unknown email costs one verification too, so timing does not reveal which emails exist.
  const matches = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummyHash(password);
  if (!user || !matches) {
    await recordAuthEvent(db, 'signin_failure', { userId: user?.id, email: input.email }, meta);
    throw invalidCredentialsError();
  }
  await throttle.succeeded(input.email);
  if (needsRehash(user.passwordHash)) await updatePasswordHash(db, user.id, password);
  await recordAuthEvent(db, 'signin_success', { userId: user.id, email: user.email }, meta);
  return openSession(deps, user, meta);
}

export async function signOut(deps: AuthDeps, userId: string, sessionId: string, meta: RequestMeta): Promise<void> {
  await revokeSession(deps.db, sessionId);
  deps.liveness.forget([sessionId]);
  await recordAuthEvent(deps.db, 'signout', { userId }, meta);
}

export async function getUser(db: Db, userId: string): Promise<UserJson> {
  const user = await findUserById(db, userId);
  // The session check has just passed, so a missing user was deleted in between: treat the token as dead.
  if (!user) throw invalidTokenError();
  return toUserJson(user);
}

export async function findUserById(db: Db, userId: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  return user;
}

/** Hashes (off the event loop) and stores a new password, already normalised. */
async function updatePasswordHash(db: Db, userId: string, normalizedPassword: string): Promise<void> {
  const passwordHash = await hashPassword(normalizedPassword);
  await db.update(users).set({ passwordHash, updatedAt: sql`now()` }).where(eq(users.id, userId));
}

async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return user;
}

async function openSession(deps: AuthDeps, user: User, meta: RequestMeta): Promise<AuthResult> {
  const issuedAt = new Date();
  const expiresAt = new Date(issuedAt.getTime() + deps.tokenTtlSeconds * 1000);
  const sessionId = await createSession(deps.db, user.id, expiresAt, meta);
  const token = await issueToken(
    deps.keys,
    { userId: user.id, email: user.email, name: user.name, sessionId },
    expiresAt,
    issuedAt,
  );
  return { user: toUserJson(user), token, expires_at: expiresAt.toISOString() };
}

function toUserJson(user: User): UserJson {
  return { id: user.id, email: user.email, name: user.name, created_at: user.createdAt.toISOString() };
}
