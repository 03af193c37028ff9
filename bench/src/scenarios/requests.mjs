import { benchPassword } from '../fixtures.mjs';

// The requests each scenario sends, one per user, cycled by every connection. The same builder
// serves the real server, the server without authentication and the bare one (another prefix), so
// the bytes on the wire are the same and only the work behind them differs.

const json = { 'content-type': 'application/json' };
const bearer = (tokens, user) => ({ authorization: `Bearer ${tokens.get(user.email)}` });

/**
 * Each user signs in from an address of their own, as many clients behind a trusted proxy would
 * (the bench's servers trust X-Forwarded-For from loopback): from a single address, every sign-in
 * would queue on that address's rate-limit row in PostgreSQL, which measures the attack case.
 */
export const signinRequests = (users) =>
  users.map((user, i) => ({
    method: 'POST',
    path: '/api/auth/signin',
    headers: { ...json, 'x-forwarded-for': `10.0.${i >> 8}.${i & 255}` },
    body: JSON.stringify({ email: user.email, password: benchPassword }),
  }));

export const listRequests = (users, tokens, prefix = '/api') =>
  users.map((user) => ({ method: 'GET', path: `${prefix}/${user.id}/tasks`, headers: bearer(tokens, user) }));

export const meRequests = (users, tokens) =>
  users.map((user) => ({ method: 'GET', path: '/api/auth/me', headers: bearer(tokens, user) }));

export const createRequests = (users, tokens, prefix = '/api') =>
  users.map((user) => ({
    method: 'POST',
    path: `${prefix}/${user.id}/tasks`,
    headers: { ...json, ...bearer(tokens, user) },
    body: JSON.stringify({ title: 'Buy oat milk', description: 'The barista edition, two cartons' }),
  }));

/** PATCH …/complete on each user's newest seeded task; taskIds maps user id → task id. */
export const completeRequests = (users, tokens, taskIds, prefix = '/api') =>
  users.map((user) => ({
    method: 'PATCH',
    path: `${prefix}/${user.id}/tasks/${taskIds.get(user.id)}/complete`,
    headers: bearer(tokens, user),
  }));

export const betterAuthSigninRequests = (users) =>
  users.map((user) => ({
    method: 'POST',
    path: '/api/auth/sign-in/email',
    headers: json,
    body: JSON.stringify({ email: user.email, password: benchPassword }),
  }));

export const betterAuthSessionRequests = (cookies) =>
  cookies.map((cookie) => ({ method: 'GET', path: '/api/session', headers: { cookie } }));
