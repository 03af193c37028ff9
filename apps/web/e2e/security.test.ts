import { describe, expect, it } from 'vitest';
import { addTaskViaUi } from './support/browser';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

const JWT_SHAPE = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

describe('where the session token lives', () => {
  it('is an HttpOnly, SameSite=Lax cookie for the whole site', async () => {
    const { context } = await suite.signedIn('cookie');
    const cookies = await context.cookies(suite.server.baseUrl);
    const session = cookies.find((cookie) => cookie.name === 'todo_session');
    expect(session).toBeDefined();
    expect(session!.value).toMatch(JWT_SHAPE);
    expect(session!.httpOnly).toBe(true);
    expect(session!.sameSite).toBe('Lax');
    expect(session!.path).toBe('/');
    // Plain http here; Secure is for deployments over https.
    expect(session!.secure).toBe(false);
  });

  it('cannot be read by page scripts: not in document.cookie, localStorage or sessionStorage', async () => {
    const { context, page } = await suite.signedIn('storage');
    await addTaskViaUi(page, 'Something private');
    await page.reload();
    await page.getByRole('checkbox', { name: 'Something private' }).waitFor();

    const token = (await suite.sessionCookie(context)).value;
    const readable = await page.evaluate(() => {
      const dump = (storage: Storage) =>
        Array.from(
          { length: storage.length },
          (_, index) => `${storage.key(index)}=${storage.getItem(storage.key(index)!)}`,
        );
      return { cookie: document.cookie, local: dump(localStorage), session: dump(sessionStorage) };
    });
    expect(readable.cookie).not.toContain('todo_session');
    for (const text of [readable.cookie, ...readable.local, ...readable.session]) {
      expect(text).not.toContain(token);
      expect(text).not.toMatch(JWT_SHAPE);
    }
  });

  it('refuses a cookie-authenticated change that comes from another origin', async () => {
    const { context } = await suite.signedIn('csrf');
    const token = (await suite.sessionCookie(context)).value;
    const me = (await (
      await fetch(`${suite.server.baseUrl}/api/auth/me`, { headers: { Cookie: `todo_session=${token}` } })
    ).json()) as {
      user: { id: string };
    };

    const forged = await fetch(`${suite.server.baseUrl}/api/${me.user.id}/tasks`, {
      method: 'POST',
      headers: { Cookie: `todo_session=${token}`, Origin: 'https://evil.example', 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Forged' }),
    });
    expect(forged.status).toBe(403);
    const list = await fetch(`${suite.server.baseUrl}/api/${me.user.id}/tasks`, {
      headers: { Cookie: `todo_session=${token}` },
    });
    expect(await list.json()).toEqual([]);
  });
});

describe('the page response', () => {
  it.each(['/auth/signin', '/dashboard', '/'])(
    'for %s forbids framing, foreign sources and MIME sniffing',
    async (path) => {
      const page = await suite.newPage();
      const response = await page.goto(path);
      expect(response).not.toBeNull();
      expect(response!.status()).toBe(200);
      const headers = response!.headers();
      expect(headers['content-type']).toMatch(/^text\/html/);
      const csp = headers['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(headers['x-content-type-options']).toBe('nosniff');
    },
  );
});
