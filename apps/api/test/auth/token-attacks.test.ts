import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { decodeJwt, decodeProtectedHeader, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenKey } from '../../src/auth/tokens.js';
import { sessions, users } from '../../src/db/schema.js';
import { signUpUser, TEST_SECRET, useTestApp, type SignedUpUser } from '../support/test-app.js';

const ctx = useTestApp();

const key = createTokenKey(TEST_SECRET);
const WEEK_SECONDS = 7 * 86400;

const AUTH_REQUIRED = { error: 'Authentication required', code: 'auth_required' };
const INVALID_TOKEN = { error: 'Invalid or malformed token', code: 'invalid_token' };
const TOKEN_EXPIRED = { error: 'Token expired, please log in again', code: 'token_expired' };

type Headers = Record<string, string>;

const me = (headers: Headers) => ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers });
const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });
const nowSeconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The claims a real token for this user carries: the real session id, fresh times and a new jti. */
function claimsOf(user: SignedUpUser, overrides: JWTPayload = {}): JWTPayload {
  const real = decodeJwt(user.token);
  const now = nowSeconds();
  return {
    sub: user.id,
    user_id: user.id,
    email: user.email,
    name: user.name,
    sid: real.sid,
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
function sign(claims: JWTPayload, header: { alg: string; typ?: string } = { alg: 'HS256', typ: 'JWT' }, signingKey = key) {
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
  ['a token signed HS512 with the right secret', async (victim) => bearer(await sign(claimsOf(victim), { alg: 'HS512', typ: 'JWT' })), INVALID_TOKEN],
  [
    'a token signed with the wrong secret',
    async (victim) => bearer(await sign(claimsOf(victim), undefined, createTokenKey('a-different-secret-of-at-least-32-characters'))),
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
    'a token expired beyond the 300 s leeway (exp = now - 400) for a real session',
    async (victim) => bearer(await sign(claimsOf(victim, { iat: nowSeconds() - 4000, exp: nowSeconds() - 400 }))),
    TOKEN_EXPIRED,
  ],
  [
    'a token whose session has expired in the database although its exp has not',
    async (victim) => {
      const sid = decodeJwt(victim.token).sid as string;
      await ctx.database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 400_000) }).where(eq(sessions.id, sid));
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
  ['a validly signed token for an unknown session id', async (victim) => bearer(await sign(claimsOf(victim, { sid: randomUUID() }))), INVALID_TOKEN],
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
  ['a validly signed token without sub', async (victim) => bearer(await sign(without(claimsOf(victim), 'sub'))), INVALID_TOKEN],
  ['a validly signed token without user_id', async (victim) => bearer(await sign(without(claimsOf(victim), 'user_id'))), INVALID_TOKEN],
  ['a validly signed token without sub and user_id', async (victim) => bearer(await sign(without(claimsOf(victim), 'sub', 'user_id'))), INVALID_TOKEN],
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
  ['a validly signed token without sid', async (victim) => bearer(await sign(without(claimsOf(victim), 'sid'))), INVALID_TOKEN],
  ['a validly signed token without exp', async (victim) => bearer(await sign(without(claimsOf(victim), 'exp'))), INVALID_TOKEN],
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
  it('carry the header {alg: HS256, typ: JWT}', async () => {
    const user = await signUpUser(ctx.app);
    expect(decodeProtectedHeader(user.token)).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('carry sub, user_id, email, name, sid, iat, exp and jti, with sub equal to user_id and a 7-day lifetime', async () => {
    const user = await signUpUser(ctx.app);
    const claims = decodeJwt(user.token);
    expect(Object.keys(claims)).toEqual(expect.arrayContaining(['sub', 'user_id', 'email', 'name', 'sid', 'iat', 'exp', 'jti']));
    expect(claims.sub).toBe(user.id);
    expect(claims.user_id).toBe(claims.sub);
    expect(claims.email).toBe(user.email);
    expect(claims.name).toBe(user.name);
    expect(claims.sid).toEqual(expect.any(String));
    expect(claims.jti).toEqual(expect.any(String));
    expect(Number.isInteger(claims.iat)).toBe(true);
    expect(claims.exp! - claims.iat!).toBe(WEEK_SECONDS);
    const [session] = await ctx.database.db.select().from(sessions).where(eq(sessions.id, claims.sid as string));
    expect(session?.userId).toBe(user.id);
  });

  it('carry a different session id and jti on every signin', async () => {
    const user = await signUpUser(ctx.app);
    const response = await ctx.app.inject({ method: 'POST', url: '/api/auth/signin', payload: { email: user.email, password: user.password } });
    expect(response.statusCode).toBe(200);
    const first = decodeJwt(user.token);
    const second = decodeJwt(response.json().token);
    expect(second.sid).not.toBe(first.sid);
    expect(second.jti).not.toBe(first.jti);
  });
});
