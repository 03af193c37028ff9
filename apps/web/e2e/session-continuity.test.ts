import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  addForm,
  addTaskViaUi,
  completeSignIn,
  countsLine,
  editForm,
  eventually,
  heading,
  newPerson,
  pathOf,
  reloadDashboard,
  signOutViaUi,
  submitSignIn,
  taskCheckbox,
  taskItem,
  SESSION_ENDED,
} from './support/browser';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

const DRAFT_KEPT = 'Sign in to carry on; your draft is kept.';
const SIGNED_OUT = 'You have signed out.';

/** Ends this browser's session from elsewhere (another device signing it out), leaving the dead cookie in place. */
async function revokeSession(context: BrowserContext): Promise<void> {
  const { value } = await suite.sessionCookie(context);
  const response = await fetch(`${suite.server.baseUrl}/api/auth/signout`, {
    method: 'POST',
    headers: { Cookie: `todo_session=${value}`, Origin: suite.server.baseUrl, Accept: 'application/json' },
  });
  expect(response.status).toBe(200);
}

/** The page is on sign-in, keeping the way back to the dashboard, and says the session ended. */
async function sentToSignInWithSessionEnded(page: Page): Promise<void> {
  await page.waitForURL('**/auth/signin?next=%2Fdashboard');
  await heading(page, 'Sign in').waitFor();
  await eventually(() => page.getByRole('status').allTextContents()).toEqual(
    expect.arrayContaining([expect.stringMatching(SESSION_ENDED)]),
  );
}

/** The drafts this tab keeps, by storage key. */
function storedDrafts(page: Page): Promise<string[]> {
  return page.evaluate(() => Object.keys(sessionStorage).filter((key) => key.startsWith('todo-draft:')));
}

function statusTexts(page: Page): Promise<string[]> {
  return page.getByRole('status').allTextContents();
}

describe('a session that ends while the person is typing', () => {
  it('keeps the new task as typed, says so on sign-in, and fills it in again afterwards', async () => {
    const { context, page, person } = await suite.signedIn('draft-add');
    await countsLine(page).waitFor();
    const form = addForm(page);
    await form.getByLabel('Title').fill('Call the plumber');
    await form.getByLabel('Description').fill('Before Friday');
    await revokeSession(context);

    await form.getByRole('button', { name: 'Add task' }).click();

    await sentToSignInWithSessionEnded(page);
    expect(await statusTexts(page)).toContain(DRAFT_KEPT);
    await completeSignIn(page, person);
    expect(pathOf(page)).toBe('/dashboard');
    expect(await form.getByLabel('Title').inputValue()).toBe('Call the plumber');
    expect(await form.getByLabel('Description').inputValue()).toBe('Before Friday');
    expect(await taskCheckbox(page, 'Call the plumber').count()).toBe(0);

    // Saved, the draft is gone: a reload shows an empty form.
    await form.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('checkbox', { name: 'Call the plumber', exact: true, disabled: false }).waitFor();
    await eventually(() => storedDrafts(page)).toEqual([]);
    await reloadDashboard(page);
    expect(await form.getByLabel('Title').inputValue()).toBe('');
    expect(await form.getByLabel('Description').inputValue()).toBe('');
  });

  it('keeps an edit that could not be saved, and opens it again as typed after signing in', async () => {
    const { context, page, person } = await suite.signedIn('draft-edit');
    await addTaskViaUi(page, 'Buy milk');
    await taskItem(page, 'Buy milk').getByRole('button', { name: 'Edit' }).click();
    await editForm(page).getByLabel('Title').fill('Buy oat milk');
    await editForm(page).getByLabel('Description').fill('Two cartons');
    await revokeSession(context);

    await editForm(page).getByRole('button', { name: 'Save' }).click();

    await sentToSignInWithSessionEnded(page);
    expect(await statusTexts(page)).toContain(DRAFT_KEPT);
    await completeSignIn(page, person);
    const edit = editForm(page);
    await eventually(() => edit.getByLabel('Title').inputValue()).toBe('Buy oat milk');
    expect(await edit.getByLabel('Description').inputValue()).toBe('Two cartons');

    await edit.getByRole('button', { name: 'Save' }).click();
    await taskCheckbox(page, 'Buy oat milk').waitFor();
    await eventually(() => storedDrafts(page)).toEqual([]);
    await reloadDashboard(page);
    await taskCheckbox(page, 'Buy oat milk').waitFor();
    expect(await editForm(page).count()).toBe(0);
  });

  it('keeps the draft through a reload after the browser itself dropped the expired cookie', async () => {
    const { context, page, person } = await suite.signedIn('draft-cookie-gone');
    await countsLine(page).waitFor();
    await addForm(page).getByLabel('Title').fill('Renew the lease');
    await eventually(() => storedDrafts(page)).toHaveLength(1);
    // What a browser does once the cookie's Max-Age has passed: the server then sees a first visit.
    await context.clearCookies();

    await page.reload();

    await page.waitForURL('**/auth/signin?next=%2Fdashboard');
    await eventually(() => statusTexts(page)).toContain(DRAFT_KEPT);
    await completeSignIn(page, person);
    expect(await addForm(page).getByLabel('Title').inputValue()).toBe('Renew the lease');
  });

  it('shows a different person who signs in at the same tab none of the drafts kept', async () => {
    const { context, page } = await suite.signedIn('draft-owner');
    await countsLine(page).waitFor();
    await addForm(page).getByLabel('Title').fill('My private plan');
    await revokeSession(context);
    await addForm(page).getByRole('button', { name: 'Add task' }).click();
    await sentToSignInWithSessionEnded(page);

    const other = newPerson('draft-other');
    const signUp = await fetch(`${suite.server.baseUrl}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ name: other.name, email: other.email, password: other.password }),
    });
    expect(signUp.status).toBe(201);
    await completeSignIn(page, other);

    expect(await addForm(page).getByLabel('Title').inputValue()).toBe('');
    expect(await page.getByText('My private plan').count()).toBe(0);
    expect(await storedDrafts(page)).toEqual([]);
  });

  it('forgets what was typed when the person signs out on purpose', async () => {
    const { page, person } = await suite.signedIn('draft-signout');
    await countsLine(page).waitFor();
    await addForm(page).getByLabel('Title').fill('Never mind');
    await eventually(() => storedDrafts(page)).toHaveLength(1);

    await signOutViaUi(page);

    expect(await storedDrafts(page)).toEqual([]);
    expect(await statusTexts(page)).not.toContain(DRAFT_KEPT);
    await completeSignIn(page, person);
    expect(await addForm(page).getByLabel('Title').inputValue()).toBe('');
  });
});

describe('signing out on purpose', () => {
  it('lands on /auth/signin saying "You have signed out.", in plain words', async () => {
    const { page } = await suite.signedIn('signed-out-words');

    await signOutViaUi(page);

    expect(pathOf(page)).toBe('/auth/signin');
    await eventually(() => statusTexts(page)).toContain(SIGNED_OUT);
    expect(await page.locator('body').innerText()).not.toMatch(/log ?in|log ?out|token/i);
  });
});

describe('several tabs of one browser', () => {
  it('signs out every tab at once when the person signs out in one of them', async () => {
    const { context, page } = await suite.signedIn('tabs');
    const other = await context.newPage();
    await other.goto('/dashboard');
    await heading(other, 'My tasks').waitFor();

    await signOutViaUi(page);

    // The other tab goes by itself, with nothing pressed there.
    await other.waitForURL('**/auth/signin');
    expect(pathOf(other)).toBe('/auth/signin');
    await heading(other, 'Sign in').waitFor();
    await eventually(() => statusTexts(other)).toContain(SIGNED_OUT);
    expect(await heading(other, 'My tasks').count()).toBe(0);
  });

  it('sends a tab that becomes visible again to sign-in when its session ended meanwhile', async () => {
    const { context, page, person } = await suite.signedIn('visible');
    await countsLine(page).waitFor();
    await revokeSession(context);

    // What the browser fires when the person switches back to this tab.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));

    await sentToSignInWithSessionEnded(page);
    await completeSignIn(page, person);
    expect(pathOf(page)).toBe('/dashboard');
  });

  it('keeps a tab that becomes visible again on its page while its session is alive', async () => {
    const { page } = await suite.signedIn('visible-alive');
    await countsLine(page).waitFor();
    const checked = page.waitForResponse('**/api/auth/me');

    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));

    expect((await checked).status()).toBe(200);
    expect(pathOf(page)).toBe('/dashboard');
    await heading(page, 'My tasks').waitFor();
  });
});

describe('a throttled sign-in', () => {
  const THROTTLED = 'Too many attempts, please try again later';

  it('counts down the wait the server gives, and lets the person sign in once it reaches zero', async () => {
    const { person } = await suite.signedIn('throttle-countdown');
    const page = await suite.newPage();
    await page.goto('/auth/signin');
    let refused = 0;
    await page.route('**/api/auth/signin', (route) => {
      refused++;
      return route.fulfill({
        status: 429,
        headers: { 'Retry-After': '3' },
        contentType: 'application/json',
        body: JSON.stringify({ error: THROTTLED, code: 'rate_limited' }),
      });
    });

    await submitSignIn(page, person.email, person.password);

    await eventually(() => page.getByRole('alert').textContent()).toBe(THROTTLED);
    const countdown = page.getByText(/^You can sign in again in \d+ seconds?\.$/);
    const submit = page.getByRole('button', { name: 'Sign in' });
    const first = Number((await countdown.textContent())?.match(/\d+/)?.[0]);
    expect(first).toBeGreaterThanOrEqual(2);
    expect(first).toBeLessThanOrEqual(3);
    expect(await submit.isDisabled()).toBe(true);
    // It counts down live...
    await page.getByText('You can sign in again in 1 second.', { exact: true }).waitFor();
    expect(await submit.isDisabled()).toBe(true);
    // ...and at zero the wait is over: no countdown, no stale error, the button works again.
    await eventually(() => submit.isEnabled()).toBe(true);
    expect(await countdown.count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(refused).toBe(1);

    await page.unroute('**/api/auth/signin');
    await completeSignIn(page, person);
  });

  it('shows the real wait after too many wrong passwords for one account', async () => {
    const { person } = await suite.signedIn('throttle-real');
    // Ten free failures per account (apps/api/src/rate-limit/signin-throttle.ts), spent from outside.
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await fetch(`${suite.server.baseUrl}/api/auth/signin`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ email: person.email, password: 'not the password' }),
      });
      expect(response.status).toBe(400);
    }
    const page = await suite.newPage();
    await page.goto('/auth/signin');

    await submitSignIn(page, person.email, person.password);

    await eventually(() => page.getByRole('alert').textContent()).toBe(THROTTLED);
    const wait = Number(
      (await page.getByText(/^You can sign in again in \d+ seconds?\.$/).textContent())?.match(/\d+/)?.[0],
    );
    expect(wait).toBeGreaterThan(1);
    expect(wait).toBeLessThanOrEqual(30);
    expect(await page.getByRole('button', { name: 'Sign in' }).isDisabled()).toBe(true);
    expect(pathOf(page)).toBe('/auth/signin');
  });
});
