import { benchPassword } from '../fixtures.mjs';

/**
 * Signs users up through Better Auth's own HTTP endpoint (each one a real scrypt hash), a few at a
 * time, and keeps the session cookie each sign-up returns.
 */
export async function signUpBetterAuthUsers(url, count) {
  const users = Array.from({ length: count }, (_, i) => ({
    email: `ba-${String(i + 1).padStart(3, '0')}@bench.example`,
  }));
  const cookies = new Map();
  const queue = [...users];
  async function worker() {
    for (let user = queue.shift(); user; user = queue.shift()) {
      const response = await fetch(`${url}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url },
        body: JSON.stringify({ email: user.email, password: benchPassword, name: 'Bench user' }),
      });
      if (response.status !== 200)
        throw new Error(`Better Auth sign-up answered ${response.status}: ${await response.text()}`);
      const cookie = response.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .find((c) => c.startsWith('better-auth.session_token='));
      if (!cookie) throw new Error('Better Auth sign-up set no session cookie');
      cookies.set(user.email, cookie);
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  return { users, cookies: users.map((user) => cookies.get(user.email)) };
}
