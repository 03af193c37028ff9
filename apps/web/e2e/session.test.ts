import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  addTaskViaUi,
  completeSignIn,
  completeSignUp,
  eventually,
  heading,
  newPerson,
  pathOf,
  signOutViaUi,
  taskCheckbox,
} from './support/browser';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

const { sessionCookie } = suite;

/** A signed-out visit to the dashboard has been sent to the sign-in page, which will send it back. */
async function sentToSignIn(page: Page): Promise<void> {
  await page.waitForURL('**/auth/signin?next=%2Fdashboard');
  await heading(page, 'Sign in').waitFor();
}

/** A request from elsewhere (another device, a script) presenting this browser's session cookie. */
function requestWithCookie(method: string, path: string, cookieValue: string): Promise<Response> {
  return fetch(`${suite.server.baseUrl}${path}`, {
    method,
    headers: { Cookie: `todo_session=${cookieValue}`, Origin: suite.server.baseUrl, Accept: 'application/json' },
  });
}

describe('staying signed in', () => {
  it('keeps the person signed in across a refresh', async () => {
    const { page } = await suite.signedIn('refresh');
    await addTaskViaUi(page, 'Survive a refresh');
    await page.reload();
    await heading(page, 'My tasks').waitFor();
    await taskCheckbox(page, 'Survive a refresh').waitFor();
    expect(pathOf(page)).toBe('/dashboard');
  });

  it('keeps the person signed in in a new tab of the same browser', async () => {
    const { context, page } = await suite.signedIn('newtab');
    await addTaskViaUi(page, 'Seen from another tab');

    const tab = await context.newPage();
    await tab.goto('/dashboard');
    await heading(tab, 'My tasks').waitFor();
    await taskCheckbox(tab, 'Seen from another tab').waitFor();
    expect(pathOf(tab)).toBe('/dashboard');
  });

  it('keeps the person signed in after the browser is closed and reopened with the same profile', async () => {
    const { context } = await suite.signedIn('reopen');
    const profile = await context.storageState();
    await context.close();

    const reopened = await suite.newContext({ storageState: profile });
    const again = await reopened.newPage();
    await again.goto('/');
    await again.waitForURL('**/dashboard');
    await heading(again, 'My tasks').waitFor();
  });
});

describe('where each page sends people', () => {
  it('sends a signed-out visit to /dashboard to sign-in, and back to /dashboard after signing in', async () => {
    const { person } = await suite.signedIn('returns');

    const page = await suite.newPage();
    await page.goto('/dashboard');
    await sentToSignIn(page);
    expect(await heading(page, 'My tasks').count()).toBe(0);

    await completeSignIn(page, person);
    expect(pathOf(page)).toBe('/dashboard');
  });

  it('keeps the return path when a signed-out visitor goes on to sign up instead', async () => {
    const page = await suite.newPage();
    await page.goto('/dashboard');
    await sentToSignIn(page);
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.waitForURL('**/auth/signup?next=%2Fdashboard');
    const person = newPerson('signupnext');
    await completeSignUp(page, person);
  });

  // Each a way to write "another site" that starts with a single slash; the browser's URL parser,
  // which would follow the link, is the judge (it drops tabs and reads a backslash as a slash).
  it.each([
    ['a protocol-relative //evil.example', '%2F%2Fevil.example%2Fsteal'],
    ['//evil.example written as is', '//evil.example'],
    ['a tab hidden between the slashes, /%09/evil.example', '/%09/evil.example'],
    ['a backslash after the slash, /\\evil.example', '/%5Cevil.example'],
    ['a backslash written as is', '/\\evil.example'],
    ['an absolute URL', 'https%3A%2F%2Fevil.example%2F'],
  ])('ignores a return path that is %s and lands on /dashboard after sign-in', async (_case, next) => {
    const { person } = await suite.signedIn('offsite');

    const page = await suite.newPage();
    await page.goto(`/auth/signin?next=${next}`);
    await completeSignIn(page, person);
    expect(new URL(page.url()).origin).toBe(suite.server.baseUrl);
    expect(pathOf(page)).toBe('/dashboard');
  });

  it('still returns to a path on this site with its query after sign-in', async () => {
    const { person } = await suite.signedIn('onsite');

    const page = await suite.newPage();
    await page.goto(`/auth/signin?next=${encodeURIComponent('/dashboard?from=mail')}`);
    await completeSignIn(page, person);
    expect(pathOf(page)).toBe('/dashboard?from=mail');
  });

  it('sends a signed-in visit to /auth/signin, /auth/signup or / on to /dashboard', async () => {
    const { page } = await suite.signedIn('signedin');
    for (const path of ['/auth/signin', '/auth/signup', '/']) {
      await page.goto(path);
      await page.waitForURL('**/dashboard');
      await heading(page, 'My tasks').waitFor();
      expect(pathOf(page)).toBe('/dashboard');
    }
  });

  it('sends a signed-out visit to / to sign-in', async () => {
    const page = await suite.newPage();
    await page.goto('/');
    await page.waitForURL('**/auth/signin');
    await heading(page, 'Sign in').waitFor();
  });
});

describe('signing out', () => {
  it('shows no private page when Back is pressed after signing out', async () => {
    const { page } = await suite.signedIn('back');
    await addTaskViaUi(page, 'Private errand');
    // A second visit, so the history holds a /dashboard entry before the one signed out from.
    await page.goto('/');
    await page.waitForURL('**/dashboard');
    await taskCheckbox(page, 'Private errand').waitFor();

    await signOutViaUi(page);

    await page.goBack();
    await eventually(() => new URL(page.url()).pathname).toBe('/auth/signin');
    await heading(page, 'Sign in').waitFor();
    expect(await heading(page, 'My tasks').count()).toBe(0);
    expect(await page.getByText('Private errand').count()).toBe(0);
  });

  it('lands on exactly /auth/signin, with no return path, since the person is not on their way anywhere', async () => {
    const { page } = await suite.signedIn('plainsignout');

    await signOutViaUi(page);

    expect(pathOf(page)).toBe('/auth/signin');
  });

  it('keeps the person signed in on the dashboard, and says so, when the server cannot be reached to sign out', async () => {
    const { context, page } = await suite.signedIn('signoutoffline');
    await addTaskViaUi(page, 'Still mine');
    const { value } = await sessionCookie(context);
    let attempts = 0;
    await page.route('**/api/auth/signout', (route) => {
      attempts++;
      return route.abort();
    });

    await page.getByRole('button', { name: 'Sign out' }).click();

    await eventually(() => page.getByRole('alert').textContent()).toBe(
      'Could not sign out. Could not reach the server, please try again',
    );
    expect(attempts).toBe(1);
    expect(pathOf(page)).toBe('/dashboard');
    await heading(page, 'My tasks').waitFor();
    await taskCheckbox(page, 'Still mine').waitFor();
    // The button is back for another try, and the session is still live on the server.
    await eventually(() => page.getByRole('button', { name: 'Sign out' }).isEnabled()).toBe(true);
    expect((await requestWithCookie('GET', '/api/auth/me', value)).status).toBe(200);

    // Once the server can be reached, the same button signs out.
    await page.unroute('**/api/auth/signout');
    await signOutViaUi(page);
    expect((await requestWithCookie('GET', '/api/auth/me', value)).status).toBe(401);
  });

  it('ends the session on the server, so the old cookie no longer opens the API', async () => {
    const { context, page } = await suite.signedIn('revoke-on-signout');
    const { value } = await sessionCookie(context);

    await signOutViaUi(page);
    const me = await requestWithCookie('GET', '/api/auth/me', value);
    expect(me.status).toBe(401);
    expect((await context.cookies(suite.server.baseUrl)).some((cookie) => cookie.name === 'todo_session')).toBe(false);
  });
});

/**
 * The same token, re-signed with the server's own secret (which it keeps in its data folder when none
 * is configured) as if issued two weeks ago and expired a week ago: what a browser holds after a long absence.
 */
function expiredCopyOf(token: string): string {
  const secret = readFileSync(path.join(suite.server.dataDir, 'auth-secret'), 'utf8').trim();
  const [header, payload] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const week = 7 * 24 * 3600;
  const body = Buffer.from(JSON.stringify({ ...claims, iat: now - 2 * week, exp: now - week })).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

describe('a session ended elsewhere', () => {
  async function signedInWithRevokedSession(label: string) {
    const { context, page, person } = await suite.signedIn(label);
    await addTaskViaUi(page, 'Pay the rent');
    const { value } = await sessionCookie(context);

    const signOut = await requestWithCookie('POST', '/api/auth/signout', value);
    expect(signOut.status).toBe(200);
    expect((await requestWithCookie('GET', '/api/auth/me', value)).status).toBe(401);
    // The browser still holds the (now dead) cookie: the page has to notice on its next call.
    expect((await sessionCookie(context)).value).toBe(value);
    return { page, person };
  }

  it('sends the person to sign-in with a message and the return path on their next change', async () => {
    const { page, person } = await signedInWithRevokedSession('revoked-toggle');
    await taskCheckbox(page, 'Pay the rent').click();

    await sentToSignIn(page);
    await eventually(() => page.getByRole('status').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(Authentication required|Token expired, please log in again)$/)]),
    );

    await completeSignIn(page, person);
    // The refused toggle did not happen.
    await eventually(() => taskCheckbox(page, 'Pay the rent').isChecked()).toBe(false);
  });

  it('sends the person to sign-in with a message and the return path when the page is reloaded', async () => {
    const { page } = await signedInWithRevokedSession('revoked-reload');
    await page.reload();

    await sentToSignIn(page);
    await eventually(() => page.getByRole('status').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(Authentication required|Token expired, please log in again)$/)]),
    );
    expect(await page.getByText('Pay the rent').count()).toBe(0);
  });

  it('sends a person whose token has expired to sign-in with "Token expired, please log in again"', async () => {
    const { context, page } = await suite.signedIn('expired');
    const cookie = await sessionCookie(context);
    const expired = expiredCopyOf(cookie.value);
    const check = await requestWithCookie('GET', '/api/auth/me', expired);
    expect(check.status).toBe(401);
    expect(((await check.json()) as { code: string }).code).toBe('token_expired');

    await context.addCookies([{ ...cookie, value: expired }]);
    await page.reload();
    await sentToSignIn(page);
    await eventually(() => page.getByRole('status').allTextContents()).toContain('Token expired, please log in again');
  });
});
