import type { KeyObject } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { users, type User } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { AuthResult, SignInBody, SignUpBody, UserJson } from './auth-schemas.js';
import { hashPassword, verifyAgainstDummyHash, verifyPassword } from './password.js';
import type { SessionLiveness } from './session-liveness.js';
import { createSession, type SessionMeta } from './session-store.js';
import { invalidTokenError, issueToken } from './tokens.js';

export interface AuthDeps {
  db: Db;
  key: KeyObject;
  liveness: SessionLiveness;
  /** Seconds a token and its session live. */
  tokenTtlSeconds: number;
}

const emailTakenError = () => new AppError(400, 'email_taken', 'Email already registered');
const invalidCredentialsError = () => new AppError(400, 'invalid_credentials', 'Invalid email or password');

export async function signUp(deps: AuthDeps, input: SignUpBody, meta: SessionMeta): Promise<AuthResult> {
  // Cheap early answer for the common case; the unique index settles races between simultaneous signups.
  if (await findUserByEmail(deps.db, input.email)) throw emailTakenError();
  const passwordHash = await hashPassword(input.password);
  try {
    // One transaction, so an account never exists without the session its signup opened.
    return await deps.db.transaction(async (tx) => {
      const [user] = await tx.insert(users).values({ email: input.email, name: input.name, passwordHash }).returning();
      return openSession({ ...deps, db: tx }, user!, meta);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTakenError();
    throw error;
  }
}

export async function signIn(deps: AuthDeps, input: SignInBody, meta: SessionMeta): Promise<AuthResult> {
  const user = await findUserByEmail(deps.db, input.email);
  const matches = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyAgainstDummyHash(input.password);
  if (!user || !matches) throw invalidCredentialsError();
  return openSession(deps, user, meta);
}

export async function signOut(deps: AuthDeps, sessionId: string): Promise<void> {
  await deps.liveness.revoke(sessionId);
}

export async function getUser(db: Db, userId: string): Promise<UserJson> {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  // The session check has just passed, so a missing user was deleted in between: treat the token as dead.
  if (!user) throw invalidTokenError();
  return toUserJson(user);
}

async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return user;
}

async function openSession(deps: AuthDeps, user: User, meta: SessionMeta): Promise<AuthResult> {
  const issuedAt = new Date();
  const expiresAt = new Date(issuedAt.getTime() + deps.tokenTtlSeconds * 1000);
  const sessionId = await createSession(deps.db, user.id, expiresAt, meta);
  const token = await issueToken(
    deps.key,
    { userId: user.id, email: user.email, name: user.name, sessionId },
    expiresAt,
    issuedAt,
  );
  return { user: toUserJson(user), token, expires_at: expiresAt.toISOString() };
}

function toUserJson(user: User): UserJson {
  return { id: user.id, email: user.email, name: user.name, created_at: user.createdAt.toISOString() };
}
