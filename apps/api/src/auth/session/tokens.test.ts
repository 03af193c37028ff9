import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLOCK_TOLERANCE_SECONDS, createTokenKeys, issueToken, verifyToken, type TokenSubject } from './tokens.js';

const SECRET = 'unit-test-secret-that-is-at-least-32-characters';
const OTHER_SECRET = 'another-unit-test-secret-of-32-characters-plus';
const key = createTokenKeys({ secret: SECRET, issuer: 'todo-api', audience: 'todo-api' });
const otherKey = createTokenKeys({ secret: OTHER_SECRET, issuer: 'todo-api', audience: 'todo-api' });

const subject: TokenSubject = {
  userId: '6c1d8a3e-4f1b-4c57-9d7e-2a0f5b9c8e11',
  email: 'ann@example.com',
  name: 'Ann Lee',
  sessionId: '0b7a4c2d-9e3f-4a18-8c6b-5d2e1f0a9b37',
};

const secondsFromNow = (seconds: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + seconds * 1000);

/** Every claim a real token carries, for the right issuer and audience, unless overridden. */
function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: subject.userId,
    user_id: subject.userId,
    email: subject.email,
    name: subject.name,
    sid: subject.sessionId,
    iss: 'todo-api',
    aud: 'todo-api',
    iat: now,
    exp: now + 3600,
    jti: 'a-jti',
    ...overrides,
  };
}

function without(payload: JWTPayload, name: string): JWTPayload {
  const copy = { ...payload };
  delete copy[name];
  return copy;
}

/** Signs exactly these claims with this header, by default with the right signing key. */
function signClaims(
  payload: JWTPayload,
  header: { alg: string; typ?: string } = { alg: 'HS256', typ: 'JWT' },
  signingKey = key.signingKey,
) {
  return new SignJWT(payload).setProtectedHeader(header).sign(signingKey);
}

const invalid = {
  status: 401,
  code: 'invalid_token',
  message: 'Invalid or malformed token',
  headers: { 'WWW-Authenticate': 'Bearer' },
};
const expired = {
  status: 401,
  code: 'token_expired',
  message: 'Token expired, please log in again',
  headers: { 'WWW-Authenticate': 'Bearer' },
};

describe('issueToken and verifyToken', () => {
  it('round-trip the subject, the expiry and the time of signing', async () => {
    const expiresAt = secondsFromNow(3600);
    const issuedAt = secondsFromNow(-60);
    const token = await issueToken(key, subject, expiresAt, issuedAt);
    await expect(verifyToken(key, token)).resolves.toEqual({ ...subject, expiresAt, issuedAt });
  });

  it('issue an HS256 JWT with the claims the contract names', async () => {
    const issuedAt = secondsFromNow(0);
    const expiresAt = secondsFromNow(7 * 86400);
    const token = await issueToken(key, subject, expiresAt, issuedAt);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const payload = decodeJwt(token);
    expect(payload).toMatchObject({
      iss: 'todo-api',
      aud: 'todo-api',
      sub: subject.userId,
      user_id: subject.userId,
      email: subject.email,
      name: subject.name,
      sid: subject.sessionId,
      iat: issuedAt.getTime() / 1000,
      exp: expiresAt.getTime() / 1000,
    });
    expect(payload.jti).toEqual(expect.any(String));
  });

  it('give every token its own jti', async () => {
    const expiresAt = secondsFromNow(3600);
    const [first, second] = await Promise.all([
      issueToken(key, subject, expiresAt),
      issueToken(key, subject, expiresAt),
    ]);
    expect(decodeJwt(first).jti).not.toBe(decodeJwt(second).jti);
  });

  it('tolerate 300 seconds of clock skew', () => {
    expect(CLOCK_TOLERANCE_SECONDS).toBe(300);
  });

  it('reject a token expired beyond the leeway as token_expired', async () => {
    const token = await issueToken(key, subject, secondsFromNow(-400), secondsFromNow(-4000));
    await expect(verifyToken(key, token)).rejects.toMatchObject(expired);
  });

  it('accept a token expired within the leeway', async () => {
    const expiresAt = secondsFromNow(-100);
    const issuedAt = secondsFromNow(-4000);
    const token = await issueToken(key, subject, expiresAt, issuedAt);
    await expect(verifyToken(key, token)).resolves.toEqual({ ...subject, expiresAt, issuedAt });
  });

  it('reject a token signed with another key as invalid_token', async () => {
    const token = await issueToken(otherKey, subject, secondsFromNow(3600));
    await expect(verifyToken(key, token)).rejects.toMatchObject(invalid);
  });

  it('reject a token whose payload was changed after signing as invalid_token', async () => {
    const token = await issueToken(key, subject, secondsFromNow(3600));
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...decodeJwt(token), sub: 'someone-else', user_id: 'someone-else' }),
    ).toString('base64url');
    await expect(verifyToken(key, `${header}.${payload}.${signature}`)).rejects.toMatchObject(invalid);
  });

  it.each([['HS384'], ['HS512']])('reject a token signed %s with the right key as invalid_token', async (alg) => {
    const token = await signClaims(claims(), { alg, typ: 'JWT' });
    await expect(verifyToken(key, token)).rejects.toMatchObject(invalid);
  });

  it.each([
    ['an empty string', ''],
    ['garbage', 'garbage'],
    ['three dots of nothing', '..'],
    ['a number', '12345'],
  ])('reject %s as invalid_token', async (_case, token) => {
    await expect(verifyToken(key, token)).rejects.toMatchObject(invalid);
  });
});

describe('verifyToken against RFC 8725 claim and header checks', () => {
  it('accepts a hand-signed token with every claim right, as the control case', async () => {
    const token = await signClaims(claims());
    await expect(verifyToken(key, token)).resolves.toMatchObject({
      userId: subject.userId,
      sessionId: subject.sessionId,
    });
  });

  it.each([
    ['without iss', without(claims(), 'iss'), undefined],
    ['with another iss', claims({ iss: 'someone-else' }), undefined],
    ['without aud', without(claims(), 'aud'), undefined],
    ['with another aud', claims({ aud: 'another-api' }), undefined],
    ['with an aud list that does not name this API', claims({ aud: ['another-api', 'a-third-api'] }), undefined],
    ['with typ at+jwt', claims(), { alg: 'HS256', typ: 'at+jwt' }],
    ['without typ', claims(), { alg: 'HS256' }],
  ])('rejects a token %s as invalid_token', async (_case, payload, header) => {
    const token = await signClaims(payload, header);
    await expect(verifyToken(key, token)).rejects.toMatchObject(invalid);
  });

  it('rejects a token of another issuer and audience when the keys are configured for them', async () => {
    const elsewhere = createTokenKeys({ secret: SECRET, issuer: 'billing', audience: 'billing' });
    const token = await issueToken(key, subject, secondsFromNow(3600));
    await expect(verifyToken(elsewhere, token)).rejects.toMatchObject(invalid);
    await expect(verifyToken(key, await issueToken(elsewhere, subject, secondsFromNow(3600)))).rejects.toMatchObject(
      invalid,
    );
  });
});

describe('createTokenKeys', () => {
  it('returns the issuer, the audience, the signing key and the verification keys, signing key first', () => {
    const keys = createTokenKeys({
      secret: SECRET,
      previousSecrets: [OTHER_SECRET],
      issuer: 'iss-x',
      audience: 'aud-y',
    });
    expect(keys.issuer).toBe('iss-x');
    expect(keys.audience).toBe('aud-y');
    expect(keys.verificationKeys).toHaveLength(2);
    expect(keys.verificationKeys[0]).toBe(keys.signingKey);
    expect(keys.signingKey.export().toString('utf8')).toBe(SECRET);
    expect(keys.verificationKeys[1]!.export().toString('utf8')).toBe(OTHER_SECRET);
  });

  it('issues tokens carrying its issuer and audience', async () => {
    const keys = createTokenKeys({ secret: SECRET, issuer: 'iss-x', audience: 'aud-y' });
    const claimsOf = decodeJwt(await issueToken(keys, subject, secondsFromNow(3600)));
    expect(claimsOf.iss).toBe('iss-x');
    expect(claimsOf.aud).toBe('aud-y');
  });
});

describe('secret rotation', () => {
  const rotated = createTokenKeys({
    secret: OTHER_SECRET,
    previousSecrets: [SECRET],
    issuer: 'todo-api',
    audience: 'todo-api',
  });

  it('accepts a token signed with a previous secret that is still listed', async () => {
    const expiresAt = secondsFromNow(3600);
    const issuedAt = secondsFromNow(-60);
    const oldToken = await issueToken(key, subject, expiresAt, issuedAt);
    await expect(verifyToken(rotated, oldToken)).resolves.toEqual({ ...subject, expiresAt, issuedAt });
  });

  it('rejects a token signed with a previous secret once it is no longer listed', async () => {
    const oldToken = await issueToken(key, subject, secondsFromNow(3600));
    await expect(verifyToken(otherKey, oldToken)).rejects.toMatchObject(invalid);
  });

  it('signs new tokens with the current secret only', async () => {
    const token = await issueToken(rotated, subject, secondsFromNow(3600));
    const current = new TextEncoder().encode(OTHER_SECRET);
    await expect(jwtVerify(token, current, { algorithms: ['HS256'] })).resolves.toBeDefined();
    await expect(jwtVerify(token, new TextEncoder().encode(SECRET), { algorithms: ['HS256'] })).rejects.toThrow();
  });

  it('still reports an expired token signed with a previous secret as token_expired', async () => {
    const oldToken = await issueToken(key, subject, secondsFromNow(-400), secondsFromNow(-4000));
    await expect(verifyToken(rotated, oldToken)).rejects.toMatchObject(expired);
  });

  it('rejects a token signed with a secret that was never configured, even with previous secrets listed', async () => {
    const stranger = createTokenKeys({
      secret: 'a-stranger-secret-that-is-at-least-32-chars',
      issuer: 'todo-api',
      audience: 'todo-api',
    });
    await expect(verifyToken(rotated, await issueToken(stranger, subject, secondsFromNow(3600)))).rejects.toMatchObject(
      invalid,
    );
  });
});

describe('the cache of verified tokens', () => {
  afterEach(() => vi.useRealTimers());

  it('still refuses a token as expired once its time has passed, although it was verified before', async () => {
    const keys = createTokenKeys({ secret: SECRET, issuer: 'todo-api', audience: 'todo-api' });
    const token = await issueToken(keys, subject, secondsFromNow(10));
    await expect(verifyToken(keys, token)).resolves.toMatchObject({ sessionId: subject.sessionId });

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (10 + CLOCK_TOLERANCE_SECONDS + 5) * 1000);
    await expect(verifyToken(keys, token)).rejects.toMatchObject(expired);
  });

  it('does not let a tampered copy of a verified token through', async () => {
    const keys = createTokenKeys({ secret: SECRET, issuer: 'todo-api', audience: 'todo-api' });
    const token = await issueToken(keys, subject, secondsFromNow(3600));
    await verifyToken(keys, token);
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(token), user_id: 'someone-else', sub: 'someone-else' })).toString('base64url')}.${signature}`;
    expect(payload).not.toBe(forged.split('.')[1]);
    await expect(verifyToken(keys, forged)).rejects.toMatchObject(invalid);
  });
});

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same last character with some of its unused low bits set: decodes to the same bytes. */
function withTrailingBits(segment: string, bits: number): string {
  return `${segment.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(segment.at(-1)!) ^ bits]}`;
}

describe('verifyToken against other spellings of a valid token', () => {
  type Respell = (parts: { header: string; payload: string; signature: string }) => string;
  const respellings: Array<[string, Respell]> = [
    ['= padding on the signature', ({ header, payload, signature }) => `${header}.${payload}.${signature}=`],
    ['== padding on the signature', ({ header, payload, signature }) => `${header}.${payload}.${signature}==`],
    [
      'the lowest trailing bit of the signature set',
      (t) => `${t.header}.${t.payload}.${withTrailingBits(t.signature, 1)}`,
    ],
    [
      'the other trailing bit of the signature set',
      (t) => `${t.header}.${t.payload}.${withTrailingBits(t.signature, 2)}`,
    ],
    ['both trailing bits of the signature set', (t) => `${t.header}.${t.payload}.${withTrailingBits(t.signature, 3)}`],
    [
      'a space inside the signature',
      (t) => `${t.header}.${t.payload}.${t.signature.slice(0, 5)} ${t.signature.slice(5)}`,
    ],
    [
      'a line break inside the signature',
      (t) => `${t.header}.${t.payload}.${t.signature.slice(0, 5)}\n${t.signature.slice(5)}`,
    ],
    ['= padding on the header', ({ header, payload, signature }) => `${header}=.${payload}.${signature}`],
    ['= padding on the payload', ({ header, payload, signature }) => `${header}.${payload}=.${signature}`],
    [
      'the standard base64 alphabet (+ and /) in the signature',
      (t) => `${t.header}.${t.payload}.${t.signature.replace(/-/g, '+').replace(/_/g, '/')}`,
    ],
  ];

  /** A real token whose signature holds - or _ (so the standard alphabet spells it differently). */
  async function realToken() {
    for (;;) {
      const token = await issueToken(key, subject, secondsFromNow(3600));
      const [header, payload, signature] = token.split('.') as [string, string, string];
      if (/[-_]/.test(signature)) return { token, header, payload, signature };
    }
  }

  it('accepts the token as issued, as the control case', async () => {
    const { token } = await realToken();
    await expect(verifyToken(key, token)).resolves.toMatchObject({ sessionId: subject.sessionId });
  });

  it.each(respellings)('rejects the token respelled with %s as invalid_token', async (_case, respell) => {
    const parts = await realToken();
    const respelled = respell(parts);
    expect(respelled).not.toBe(parts.token);
    await expect(verifyToken(key, respelled)).rejects.toMatchObject(invalid);
  });

  it('rejects a respelling even once the token itself has been verified and cached', async () => {
    const parts = await realToken();
    await verifyToken(key, parts.token);
    await expect(verifyToken(key, `${parts.token}=`)).rejects.toMatchObject(invalid);
    await expect(
      verifyToken(key, `${parts.header}.${parts.payload}.${withTrailingBits(parts.signature, 1)}`),
    ).rejects.toMatchObject(invalid);
  });
});
