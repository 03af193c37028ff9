import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createTokenKeys } from '../../src/auth/session/tokens.js';
import { sessions, users } from '../../src/db/schema.js';
import {
  signUpUser,
  TEST_SECRET,
  testConfig,
  uniqueEmail,
  useTestApp,
  type SignedUpUser,
} from '../support/test-app.js';

const ctx = useTestApp();

const ISSUER = 'todo-api';
const AUDIENCE = 'todo-api';
const key = createTokenKeys({ secret: TEST_SECRET, issuer: ISSUER, audience: AUDIENCE }).signingKey;
const keyFor = (secret: string) => createTokenKeys({ secret, issuer: ISSUER, audience: AUDIENCE }).signingKey;
const WEEK_SECONDS = 7 * 86400;

const AUTH_REQUIRED = { error: 'Authentication required', code: 'auth_required' };
const INVALID_TOKEN = { error: 'Invalid or malformed token', code: 'invalid_token' };
const TOKEN_EXPIRED = { error: 'Token expired, please log in again', code: 'token_expired' };

const RETIRED_SECRET = 'a-retired-secret-that-is-at-least-32-characters';

type Headers = Record<string, string>;

const me = (headers: Headers) => ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers });
const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });
const nowSeconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The claims a real token for this user carries: the real session id, issuer, audience, fresh times and a new jti. */
function claimsOf(user: SignedUpUser, overrides: JWTPayload = {}): JWTPayload {
  const real = decodeJwt(user.token);
  const now = nowSeconds();
  return {
    sub: user.id,
    user_id: user.id,
    email: user.email,
    name: user.name,
    sid: real.sid,
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 3600,
    jti: randomUUID(),
    ...overrides,
  };
}

function without(claims: JWTPayload, ...names: string[]): JWTPayload {
  const copy = { ...claims };
  for (const name of names) delete copy[name];
  return copy;
}

/** Signs exactly these claims (no defaults added) with a valid signature unless told otherwise. */
function sign(
  claims: JWTPayload,
  header: { alg: string; typ?: string } = { alg: 'HS256', typ: 'JWT' },
  signingKey = key,
) {
  return new SignJWT(claims).setProtectedHeader(header).sign(signingKey);
}

type Attack = [name: string, headersFor: (victim: SignedUpUser) => Promise<Headers>, expected: typeof INVALID_TOKEN];

const attacks: Attack[] = [
  ['no Authorization header', async () => ({}), AUTH_REQUIRED],
  ['a garbage bearer token', async () => bearer('garbage'), INVALID_TOKEN],
  [
    'an unsigned token with alg none',
    async (victim) => bearer(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claimsOf(victim))}.`),
    INVALID_TOKEN,
  ],
  [
    'a token signed HS512 with the right secret',
    async (victim) => bearer(await sign(claimsOf(victim), { alg: 'HS512', typ: 'JWT' })),
    INVALID_TOKEN,
  ],
  [
    'a token signed with the wrong secret',
    async (victim) =>
      bearer(await sign(claimsOf(victim), undefined, keyFor('a-different-secret-of-at-least-32-characters'))),
    INVALID_TOKEN,
  ],
  [
    "a real token whose payload was changed to another user's id, signature kept",
    async (victim) => {
      const other = await signUpUser(ctx.app);
      const [header, , signature] = victim.token.split('.');
      const payload = { ...decodeJwt(victim.token), sub: other.id, user_id: other.id, email: other.email };
      return bearer(`${header}.${base64url(payload)}.${signature}`);
    },
    INVALID_TOKEN,
  ],
  [
    'a real token with one signature character changed',
    async (victim) => {
      // The first character of the signature: every one of its bits counts (the last one's may not).
      const [header, payload, signature] = victim.token.split('.') as [string, string, string];
      const changed = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
      return bearer(`${header}.${payload}.${changed}`);
    },
    INVALID_TOKEN,
  ],
  [
    'a real token with = padding after its signature (another spelling of it)',
    async (victim) => bearer(`${victim.token}=`),
    INVALID_TOKEN,
  ],
  [
    "a real token whose signature's unused trailing bits are set (another spelling of it)",
    async (victim) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(victim.token.at(-1)!);
      return bearer(`${victim.token.slice(0, -1)}${alphabet[last ^ 1]}`);
    },
    INVALID_TOKEN,
  ],
  [
    'a token expired beyond the 300 s leeway (exp = now - 400) for a real session',
    async (victim) => bearer(await sign(claimsOf(victim, { iat: nowSeconds() - 4000, exp: nowSeconds() - 400 }))),
    TOKEN_EXPIRED,
  ],
  [
    'a token whose session has expired in the database although its exp has not',
    async (victim) => {
      const sid = decodeJwt(victim.token).sid as string;
      await ctx.database.db
        .update(sessions)
        .set({ expiresAt: new Date(Date.now() - 400_000) })
        .where(eq(sessions.id, sid));
      return bearer(await sign(claimsOf(victim)));
    },
    TOKEN_EXPIRED,
  ],
  [
    'a token not valid before a time beyond the leeway (nbf = now + 400)',
    async (victim) => bearer(await sign(claimsOf(victim, { nbf: nowSeconds() + 400 }))),
    INVALID_TOKEN,
  ],
  [
    'a token issued in the future beyond the leeway (iat = now + 400)',
    async (victim) => bearer(await sign(claimsOf(victim, { iat: nowSeconds() + 400, exp: nowSeconds() + 4000 }))),
    INVALID_TOKEN,
  ],
  [
    'a validly signed token for an unknown session id',
    async (victim) => bearer(await sign(claimsOf(victim, { sid: randomUUID() }))),
    INVALID_TOKEN,
  ],
  [
    "a validly signed token naming another user's session",
    async (victim) => {
      const other = await signUpUser(ctx.app);
      return bearer(await sign(claimsOf(victim, { sid: decodeJwt(other.token).sid })));
    },
    INVALID_TOKEN,
  ],
  [
    'the token of a signed-out (revoked) session',
    async (victim) => {
      expect((await me(victim.auth)).statusCode).toBe(200);
      const signOut = await ctx.app.inject({ method: 'POST', url: '/api/auth/signout', headers: victim.auth });
      expect(signOut.statusCode).toBe(200);
      return victim.auth;
    },
    INVALID_TOKEN,
  ],
  [
    'the token of a user whose row was deleted',
    async (victim) => {
      expect((await me(victim.auth)).statusCode).toBe(200);
      await ctx.database.db.delete(users).where(eq(users.id, victim.id));
      return victim.auth;
    },
    INVALID_TOKEN,
  ],
  [
    'a validly signed token without sub',
    async (victim) => bearer(await sign(without(claimsOf(victim), 'sub'))),
    INVALID_TOKEN,
  ],
  [
    'a validly signed token without user_id',
    async (victim) => bearer(await sign(without(claimsOf(victim), 'user_id'))),
    INVALID_TOKEN,
  ],
  [
    'a validly signed token without sub and user_id',
    async (victim) => bearer(await sign(without(claimsOf(victim), 'sub', 'user_id'))),
    INVALID_TOKEN,
  ],
  [
    "a validly signed token whose sub is the victim's but whose user_id is another user's",
    async (victim) => {
      const other = await signUpUser(ctx.app);
      return bearer(await sign(claimsOf(victim, { user_id: other.id })));
    },
    INVALID_TOKEN,
  ],
  [
    "a validly signed token whose user_id is the victim's but whose sub is another user's",
    async (victim) => {
      const other = await signUpUser(ctx.app);
      return bearer(await sign(claimsOf(victim, { sub: other.id })));
    },
    INVALID_TOKEN,
  ],
  [
    'a validly signed token without sid',
    async (victim) => bearer(await sign(without(claimsOf(victim), 'sid'))),
    INVALID_TOKEN,
  ],
  [
    'a validly signed token without exp',
    async (victim) => bearer(await sign(without(claimsOf(victim), 'exp'))),
    INVALID_TOKEN,
  ],
  [
    'a validly signed token without iss',
    async (victim) => bearer(await sign(without(claimsOf(victim), 'iss'))),
    INVALID_TOKEN,
  ],
  [
    'a validly signed token from another issuer',
    async (victim) => bearer(await sign(claimsOf(victim, { iss: 'another-issuer' }))),
    INVALID_TOKEN,
  ],
  [
    'a validly signed token without aud',
    async (victim) => bearer(await sign(without(claimsOf(victim), 'aud'))),
    INVALID_TOKEN,
  ],
  [
    'a validly signed token for another audience',
    async (victim) => bearer(await sign(claimsOf(victim, { aud: 'another-api' }))),
    INVALID_TOKEN,
  ],
  [
    'a validly signed token with typ at+jwt (a token of another kind)',
    async (victim) => bearer(await sign(claimsOf(victim), { alg: 'HS256', typ: 'at+jwt' })),
    INVALID_TOKEN,
  ],
  [
    'a validly signed token without typ',
    async (victim) => bearer(await sign(claimsOf(victim), { alg: 'HS256' })),
    INVALID_TOKEN,
  ],
  [
    'a token signed with a retired secret that is not listed in BETTER_AUTH_PREVIOUS_SECRETS',
    async (victim) => bearer(await sign(claimsOf(victim), undefined, keyFor(RETIRED_SECRET))),
    INVALID_TOKEN,
  ],
];

describe('GET /api/auth/me against token attacks', () => {
  it.each(attacks)('answers 401 for %s', async (_name, headersFor, expected) => {
    const victim = await signUpUser(ctx.app);
    const response = await me(await headersFor(victim));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(expected);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('accepts a token expired within the 300 s leeway (exp = now - 100)', async () => {
    const victim = await signUpUser(ctx.app);
    const token = await sign(claimsOf(victim, { iat: nowSeconds() - 4000, exp: nowSeconds() - 100 }));
    const response = await me(bearer(token));
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toMatchObject({ id: victim.id, email: victim.email });
  });

  it('accepts a token forged with the right secret and every claim of a live session, as the control case', async () => {
    const victim = await signUpUser(ctx.app);
    const response = await me(bearer(await sign(claimsOf(victim))));
    expect(response.statusCode).toBe(200);
    expect(response.json().user.id).toBe(victim.id);
  });
});

describe('issued tokens', () => {
  it('carry iss and aud, both todo-api by default', async () => {
    const user = await signUpUser(ctx.app);
    const claims = decodeJwt(user.token);
    expect(claims.iss).toBe('todo-api');
    expect(claims.aud).toBe('todo-api');
  });

  it('carry the header {alg: HS256, typ: JWT}', async () => {
    const user = await signUpUser(ctx.app);
    expect(decodeProtectedHeader(user.token)).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('carry sub, user_id, email, name, sid, iat, exp and jti, with sub equal to user_id and a 7-day lifetime', async () => {
    const user = await signUpUser(ctx.app);
    const claims = decodeJwt(user.token);
    expect(Object.keys(claims)).toEqual(
      expect.arrayContaining(['sub', 'user_id', 'email', 'name', 'sid', 'iat', 'exp', 'jti']),
    );
    expect(claims.sub).toBe(user.id);
    expect(claims.user_id).toBe(claims.sub);
    expect(claims.email).toBe(user.email);
    expect(claims.name).toBe(user.name);
    expect(claims.sid).toEqual(expect.any(String));
    expect(claims.jti).toEqual(expect.any(String));
    expect(Number.isInteger(claims.iat)).toBe(true);
    expect(claims.exp! - claims.iat!).toBe(WEEK_SECONDS);
    const [session] = await ctx.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.id, claims.sid as string));
    expect(session?.userId).toBe(user.id);
  });

  it('carry a different session id and jti on every signin', async () => {
    const user = await signUpUser(ctx.app);
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      payload: { email: user.email, password: user.password },
    });
    expect(response.statusCode).toBe(200);
    const first = decodeJwt(user.token);
    const second = decodeJwt(response.json().token);
    expect(second.sid).not.toBe(first.sid);
    expect(second.jti).not.toBe(first.jti);
  });
});

describe('secret rotation with BETTER_AUTH_PREVIOUS_SECRETS', () => {
  const NEW_SECRET = 'the-new-secret-that-is-at-least-32-characters-long';
  // The same database, restarted with a new secret: once listing the old one, once having dropped it.
  let rotated: FastifyInstance;
  let dropped: FastifyInstance;

  beforeAll(async () => {
    rotated = await buildApp(
      testConfig({ BETTER_AUTH_SECRET: NEW_SECRET, BETTER_AUTH_PREVIOUS_SECRETS: [TEST_SECRET] }),
      ctx.database,
    );
    dropped = await buildApp(
      testConfig({ BETTER_AUTH_SECRET: NEW_SECRET, BETTER_AUTH_PREVIOUS_SECRETS: [] }),
      ctx.database,
    );
    await Promise.all([rotated.ready(), dropped.ready()]);
  });

  afterAll(async () => {
    await rotated?.close();
    await dropped?.close();
  });

  const meOn = (app: FastifyInstance, headers: Headers) => app.inject({ method: 'GET', url: '/api/auth/me', headers });

  it('accepts a token signed with a previous secret that is still listed, so nobody is signed out', async () => {
    const user = await signUpUser(ctx.app);
    const response = await meOn(rotated, user.auth);
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toMatchObject({ id: user.id, email: user.email });
  });

  it('answers 401 invalid_token for a token signed with a previous secret that is no longer listed', async () => {
    const user = await signUpUser(ctx.app);
    expect((await meOn(ctx.app, user.auth)).statusCode).toBe(200);
    const response = await meOn(dropped, user.auth);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(INVALID_TOKEN);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('signs new tokens with the current secret, not the previous one', async () => {
    const response = await rotated.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { name: 'Rotated', email: uniqueEmail('rotated'), password: 'correct horse battery' },
    });
    expect(response.statusCode).toBe(201);
    const { token } = response.json();
    const verifyWith = (secret: string) =>
      jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    await expect(verifyWith(NEW_SECRET)).resolves.toBeDefined();
    await expect(verifyWith(TEST_SECRET)).rejects.toThrow();
    // The old configuration, which does not know the new secret, cannot read it.
    const onOld = await meOn(ctx.app, bearer(token));
    expect(onOld.statusCode).toBe(401);
    expect(onOld.json()).toEqual(INVALID_TOKEN);
    expect((await meOn(rotated, bearer(token))).statusCode).toBe(200);
  });

  it('still refuses a revoked session whose token was signed with a previous secret', async () => {
    const user = await signUpUser(ctx.app);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/auth/signout', headers: user.auth })).statusCode).toBe(
      200,
    );
    const response = await meOn(rotated, user.auth);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(INVALID_TOKEN);
  });
});

describe('JWT_ISSUER and JWT_AUDIENCE', () => {
  // The same database and secret, restarted with another issuer and audience.
  let configured: FastifyInstance;

  beforeAll(async () => {
    configured = await buildApp(
      testConfig({ JWT_ISSUER: 'https://auth.todo.example', JWT_AUDIENCE: 'todo-web' }),
      ctx.database,
    );
    await configured.ready();
  });

  afterAll(async () => {
    await configured?.close();
  });

  it('are the iss and aud of the tokens the server issues', async () => {
    const user = await signUpUser(configured);
    const claims = decodeJwt(user.token);
    expect(claims.iss).toBe('https://auth.todo.example');
    expect(claims.aud).toBe('todo-web');
    const response = await configured.inject({ method: 'GET', url: '/api/auth/me', headers: user.auth });
    expect(response.statusCode).toBe(200);
  });

  it('are required: a token for the default issuer and audience answers 401 invalid_token', async () => {
    const user = await signUpUser(ctx.app);
    expect((await me(user.auth)).statusCode).toBe(200);
    const response = await configured.inject({ method: 'GET', url: '/api/auth/me', headers: user.auth });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(INVALID_TOKEN);
  });
});
