import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createDeviceCookies, type DeviceCookies } from './device-cookie.js';

const SECRET = 'a-secret-that-is-at-least-32-characters-long';
const NEXT_SECRET = 'the-next-secret-that-is-at-least-32-characters';
const EMAIL = 'ann@example.com';
const YEAR_MS = 365 * 24 * 3600 * 1000;

const requestWith = (cookies: Record<string, string>, protocol = 'http') =>
  ({ cookies, protocol }) as unknown as FastifyRequest;

/** What `issue` set: the cookie's name and value. */
function issue(devices: DeviceCookies, email = EMAIL, protocol = 'http'): { name: string; value: string } {
  let set: { name: string; value: string } | undefined;
  const reply = {
    setCookie(name: string, value: string) {
      set = { name, value };
      return reply;
    },
  } as unknown as FastifyReply;
  devices.issue(requestWith({}, protocol), reply, email);
  if (!set) throw new Error('issue set no cookie');
  return set;
}

describe('device cookies', () => {
  it('trusts a cookie it issued for the same email, naming the device by its nonce', () => {
    const devices = createDeviceCookies({ secret: SECRET, previousSecrets: [] });
    const { name, value } = issue(devices);
    expect(name).toBe('todo_device');
    expect(devices.trustedDevice(requestWith({ [name]: value }), EMAIL)).toBe(value.split('.')[0]);
  });

  it('does not trust it for another email', () => {
    const devices = createDeviceCookies({ secret: SECRET, previousSecrets: [] });
    const { name, value } = issue(devices);
    expect(devices.trustedDevice(requestWith({ [name]: value }), 'bob@example.com')).toBeUndefined();
  });

  it('stops trusting a cookie a year after it was issued, whatever the browser kept', () => {
    let now = Date.UTC(2026, 0, 1);
    const devices = createDeviceCookies({ secret: SECRET, previousSecrets: [] }, () => now);
    const { name, value } = issue(devices);
    now += YEAR_MS - 1000;
    expect(devices.trustedDevice(requestWith({ [name]: value }), EMAIL)).toBeDefined();
    now += 1000;
    expect(devices.trustedDevice(requestWith({ [name]: value }), EMAIL)).toBeUndefined();
  });

  it('keeps trusting cookies signed before a secret rotation while the old secret is listed as previous', () => {
    const before = createDeviceCookies({ secret: SECRET, previousSecrets: [] });
    const { name, value } = issue(before);
    const rotated = createDeviceCookies({ secret: NEXT_SECRET, previousSecrets: [SECRET] });
    const forgotten = createDeviceCookies({ secret: NEXT_SECRET, previousSecrets: [] });

    expect(rotated.trustedDevice(requestWith({ [name]: value }), EMAIL)).toBeDefined();
    expect(forgotten.trustedDevice(requestWith({ [name]: value }), EMAIL)).toBeUndefined();
    // New cookies are signed with the current secret.
    const fresh = issue(rotated);
    expect(forgotten.trustedDevice(requestWith({ [fresh.name]: fresh.value }), EMAIL)).toBeDefined();
    expect(before.trustedDevice(requestWith({ [fresh.name]: fresh.value }), EMAIL)).toBeUndefined();
  });

  it('does not sign with the token secret itself: a MAC keyed by BETTER_AUTH_SECRET does not verify', async () => {
    const { createHmac } = await import('node:crypto');
    const devices = createDeviceCookies({ secret: SECRET, previousSecrets: [] });
    const { name, value } = issue(devices);
    const [nonce, expires] = value.split('.') as [string, string];
    const mac = createHmac('sha256', SECRET)
      .update(JSON.stringify([EMAIL, nonce, expires]))
      .digest('base64url');
    expect(devices.trustedDevice(requestWith({ [name]: `${nonce}.${expires}.${mac}` }), EMAIL)).toBeUndefined();
  });

  it('names the cookie __Host-todo_device over https and reads only that name there', () => {
    const devices = createDeviceCookies({ secret: SECRET, previousSecrets: [] });
    const { name, value } = issue(devices, EMAIL, 'https');
    expect(name).toBe('__Host-todo_device');
    expect(devices.trustedDevice(requestWith({ [name]: value }, 'https'), EMAIL)).toBeDefined();
    expect(devices.trustedDevice(requestWith({ todo_device: value }, 'https'), EMAIL)).toBeUndefined();
  });
});
