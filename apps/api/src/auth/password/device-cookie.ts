import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * OWASP's device cookie (https://owasp.org/www-community/Slow_Down_Online_Guessing_Attacks_with_Device_Cookies):
 * a browser that has signed in to an account holds a cookie saying so, signed by this server, and its
 * sign-in attempts for that account are throttled on their own key. Strangers' failures fill the
 * account's shared key and so never lock the owner out of their usual browser; a stolen device cookie
 * still meets a throttle of its own.
 *
 * The value is `<nonce>.<expires>.<mac>`: a random 128-bit nonce (the device's throttle key), the expiry
 * in Unix seconds, and an HMAC-SHA256 over the normalised email, the nonce and the expiry. The email is
 * inside the MAC only, so the cookie does not carry it and one issued for another account never verifies.
 * The MAC key is derived from BETTER_AUTH_SECRET with HKDF, so it is never the key that signs tokens.
 */

// Over https the cookie takes the __Host- prefix (Secure, Path=/, no Domain), as the session cookie does.
const PLAIN_NAME = 'todo_device';
const SECURE_NAME = '__Host-todo_device';
const LIFETIME_SECONDS = 365 * 24 * 3600;
// base64url of 16 random bytes, Unix seconds, base64url of a SHA-256 MAC. The MAC covers the nonce and the
// expiry as written, so any other spelling of them (padding, trailing bits, leading zeros) fails it.
const VALUE_SHAPE = /^([A-Za-z0-9_-]{22})\.([1-9]\d{0,11})\.([A-Za-z0-9_-]{43})$/;

export interface DeviceCookies {
  /**
   * The device id (its cookie's nonce) when the request carries a device cookie this server issued for
   * `email` and still valid; otherwise undefined, and the attempt is an untrusted one.
   * On sign-in's hot path: a regular expression, and one HMAC-SHA256 per configured secret when a cookie
   * is there (microseconds beside the password hash); the benchmark's clients send none.
   */
  trustedDevice(request: FastifyRequest, email: string): string | undefined;
  /** Sets a new device cookie for `email`: a fresh nonce, valid for a year. */
  issue(request: FastifyRequest, reply: FastifyReply, email: string): void;
}

export interface DeviceCookieSecrets {
  secret: string;
  /** Retired secrets: cookies their keys signed still verify, so a rotation forgets no device. */
  previousSecrets: readonly string[];
}

export function createDeviceCookies(secrets: DeviceCookieSecrets, now: () => number = Date.now): DeviceCookies {
  const keys = [secrets.secret, ...secrets.previousSecrets].map(deriveKey);
  const signingKey = keys[0]!;
  return {
    trustedDevice(request, email) {
      const value = request.cookies[cookieName(request)];
      const parts = value === undefined ? null : VALUE_SHAPE.exec(value);
      if (!parts) return undefined;
      const [, nonce, expires, mac] = parts as unknown as [string, string, string, string];
      if (Number(expires) * 1000 <= now()) return undefined;
      const presented = Buffer.from(mac);
      const signedBy = keys.find((key) => timingSafeEqual(Buffer.from(macOf(key, email, nonce, expires)), presented));
      return signedBy ? nonce : undefined;
    },
    issue(request, reply, email) {
      const nonce = randomBytes(16).toString('base64url');
      const expires = String(Math.floor(now() / 1000) + LIFETIME_SECONDS);
      const secure = request.protocol === 'https';
      reply.setCookie(cookieName(request), `${nonce}.${expires}.${macOf(signingKey, email, nonce, expires)}`, {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        maxAge: LIFETIME_SECONDS,
      });
    },
  };
}

// Over https only the __Host- cookie counts: a plain one could have been planted from a sibling subdomain.
function cookieName(request: FastifyRequest): string {
  return request.protocol === 'https' ? SECURE_NAME : PLAIN_NAME;
}

function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, '', 'todo-api device cookie v1', 32));
}

function macOf(key: Buffer, email: string, nonce: string, expires: string): string {
  return createHmac('sha256', key)
    .update(JSON.stringify([email, nonce, expires]))
    .digest('base64url');
}
