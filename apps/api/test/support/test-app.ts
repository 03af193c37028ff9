import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp, type AppConfig } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { openTestDatabase } from './test-database.js';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    // Per-address limits high enough that suites signing up many users from one address are not
    // throttled; the abuse tests set their own.
    ...loadConfig({
      LOG_LEVEL: 'silent',
      BETTER_AUTH_SECRET: TEST_SECRET,
      RATE_LIMIT_IP_BURST: '100000',
      RATE_LIMIT_IP_PER_MINUTE: '100000',
    }),
    BETTER_AUTH_SECRET: TEST_SECRET,
    ...overrides,
  };
}

export interface TestContext {
  app: FastifyInstance;
  database: Database;
}

/**
 * One database and one app per test file, built before its tests and closed after them. Tests stay
 * independent by signing up their own users (uniqueEmail) rather than by emptying tables.
 */
export function useTestApp(overrides: Partial<AppConfig> = {}): TestContext {
  const context = {} as TestContext;
  beforeAll(async () => {
    context.database = await openTestDatabase();
    context.app = await buildApp(testConfig(overrides), context.database);
    await context.app.ready();
  });
  afterAll(async () => {
    await context.app?.close();
    await context.database?.close();
  });
  return context;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

export interface SignedUpUser {
  id: string;
  email: string;
  name: string;
  password: string;
  token: string;
  auth: { authorization: string };
}

export async function signUpUser(
  app: FastifyInstance,
  overrides: Partial<{ name: string; email: string; password: string }> = {},
): Promise<SignedUpUser> {
  const body = { name: 'Test User', email: uniqueEmail(), password: 'correct horse battery', ...overrides };
  const response = await app.inject({ method: 'POST', url: '/api/auth/signup', payload: body });
  if (response.statusCode !== 201) throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
  const { user, token } = response.json();
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    password: body.password,
    token,
    auth: { authorization: `Bearer ${token}` },
  };
}

/** The token still opens the account: GET /api/auth/me answers 200. */
export async function expectSessionLive(app: FastifyInstance, headers: Record<string, string>): Promise<void> {
  const response = await app.inject({ method: 'GET', url: '/api/auth/me', headers });
  expect(response.statusCode).toBe(200);
}

/** The token is dead (revoked, or its user gone): 401 invalid_token with the Bearer challenge. */
export async function expectSessionRefused(app: FastifyInstance, headers: Record<string, string>): Promise<void> {
  const response = await app.inject({ method: 'GET', url: '/api/auth/me', headers });
  expect(response.statusCode).toBe(401);
  expect(response.json()).toEqual({ error: 'Invalid or malformed token', code: 'invalid_token' });
  expect(response.headers['www-authenticate']).toBe('Bearer');
}

/** POST /api/auth/signin with an email and a password: the raw answer, whatever it is. */
export function postSignIn(
  app: FastifyInstance,
  email: string,
  password: string,
  headers: Record<string, string> = {},
) {
  return app.inject({ method: 'POST', url: '/api/auth/signin', headers, payload: { email, password } });
}

/** Signs a signed-up user in again, as another device would: that new session's Authorization header. */
export async function signInAgain(
  app: FastifyInstance,
  user: SignedUpUser,
  userAgent = 'Another Device/1.0',
): Promise<{ authorization: string }> {
  const response = await postSignIn(app, user.email, user.password, { 'user-agent': userAgent });
  expect(response.statusCode).toBe(200);
  return { authorization: `Bearer ${response.json().token as string}` };
}
