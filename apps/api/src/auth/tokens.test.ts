import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { CLOCK_TOLERANCE_SECONDS, createTokenKey, issueToken, verifyToken, type TokenSubject } from './tokens.js';

const key = createTokenKey('unit-test-secret-that-is-at-least-32-characters');
const otherKey = createTokenKey('another-unit-test-secret-of-32-characters-plus');

const subject: TokenSubject = {
  userId: '6c1d8a3e-4f1b-4c57-9d7e-2a0f5b9c8e11',
  email: 'ann@example.com',
  name: 'Ann Lee',
  sessionId: '0b7a4c2d-9e3f-4a18-8c6b-5d2e1f0a9b37',
};

const secondsFromNow = (seconds: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + seconds * 1000);

const invalid = { status: 401, code: 'invalid_token', message: 'Invalid or malformed token', headers: { 'WWW-Authenticate': 'Bearer' } };
const expired = { status: 401, code: 'token_expired', message: 'Token expired, please log in again', headers: { 'WWW-Authenticate': 'Bearer' } };

describe('issueToken and verifyToken', () => {
  it('round-trip the subject and the expiry', async () => {
    const expiresAt = secondsFromNow(3600);
    const token = await issueToken(key, subject, expiresAt);
    await expect(verifyToken(key, token)).resolves.toEqual({ ...subject, expiresAt });
  });

  it('issue an HS256 JWT with the claims the contract names', async () => {
    const issuedAt = secondsFromNow(0);
    const expiresAt = secondsFromNow(7 * 86400);
    const token = await issueToken(key, subject, expiresAt, issuedAt);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      sub: subject.userId,
      user_id: subject.userId,
      email: subject.email,
      name: subject.name,
      sid: subject.sessionId,
      iat: issuedAt.getTime() / 1000,
      exp: expiresAt.getTime() / 1000,
    });
    expect(claims.jti).toEqual(expect.any(String));
  });

  it('give every token its own jti', async () => {
    const expiresAt = secondsFromNow(3600);
    const [first, second] = await Promise.all([issueToken(key, subject, expiresAt), issueToken(key, subject, expiresAt)]);
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
    const token = await issueToken(key, subject, expiresAt, secondsFromNow(-4000));
    await expect(verifyToken(key, token)).resolves.toEqual({ ...subject, expiresAt });
  });

  it('reject a token signed with another key as invalid_token', async () => {
    const token = await issueToken(otherKey, subject, secondsFromNow(3600));
    await expect(verifyToken(key, token)).rejects.toMatchObject(invalid);
  });

  it('reject a token whose payload was changed after signing as invalid_token', async () => {
    const token = await issueToken(key, subject, secondsFromNow(3600));
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: 'someone-else', user_id: 'someone-else' })).toString('base64url');
    await expect(verifyToken(key, `${header}.${payload}.${signature}`)).rejects.toMatchObject(invalid);
  });

  it.each([['HS384'], ['HS512']])('reject a token signed %s with the right key as invalid_token', async (alg) => {
    const token = await new SignJWT({ user_id: subject.userId, email: subject.email, name: subject.name, sid: subject.sessionId })
      .setProtectedHeader({ alg, typ: 'JWT' })
      .setSubject(subject.userId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
    await expect(verifyToken(key, token)).rejects.toMatchObject(invalid);
  });

  it.each([['an empty string', ''], ['garbage', 'garbage'], ['three dots of nothing', '..'], ['a number', '12345']])(
    'reject %s as invalid_token',
    async (_case, token) => {
      await expect(verifyToken(key, token)).rejects.toMatchObject(invalid);
    },
  );
});
