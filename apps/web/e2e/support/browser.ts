import { randomUUID } from 'node:crypto';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from 'playwright-core';
import { expect } from 'vitest';

/**
 * Debian's Chromium, headless; one per test file, a fresh context (a fresh "browser profile") per test.
 * `extraArgs` are more command-line switches (a host-resolver rule, say).
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

/** The contract's sentences on sign-in after a session ended elsewhere or expired (web.md). */
export const SESSION_ENDED = /^(Authentication required|Token expired, please log in again)$/;

/** Actions wait this long for an element before failing: a broken page fails fast, not at the test timeout. */
const ACTION_TIMEOUT_MS = 15_000;

export async function newContext(
  browser: Browser,
  baseUrl: string,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 }, ...options });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS * 2);
  return context;
}

/** Waits for a condition to hold: expect.poll with a timeout fit for a browser. */
export function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: ACTION_TIMEOUT_MS, interval: 50 });
}

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** A new person with an address no other test uses. */
export function newPerson(label = 'user'): Person {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  return { name: `Test ${label}`, email, password: 'correct horse battery staple' };
}

/** The URL path with its query, e.g. "/auth/signin?next=%2Fdashboard". */
export function pathOf(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

export function heading(page: Page, name: string): Locator {
  return page.getByRole('heading', { level: 1, name, exact: true });
}

export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === element.ownerDocument.activeElement);
}

/** Presses Tab until `target` has focus, as a keyboard user would; fails if it never gets there. */
export async function tabTo(page: Page, target: Locator, maxPresses = 20): Promise<void> {
  for (let presses = 0; presses < maxPresses; presses++) {
    if (await isFocused(target)) return;
    await page.keyboard.press('Tab');
  }
  if (!(await isFocused(target))) throw new Error(`${maxPresses} presses of Tab never reached ${target.toString()}`);
}

/** Signs up through the form as a person would, and waits for the dashboard. */
export async function signUpViaUi(page: Page, person: Person): Promise<void> {
  await page.goto('/auth/signup');
  await heading(page, 'Create your account').waitFor();
  await completeSignUp(page, person);
}

/**
 * Fills the sign-up form on the current page and waits for the dashboard; unlike signUpViaUi it keeps
 * a ?next= the page was opened with.
 */
export async function completeSignUp(page: Page, person: Person): Promise<void> {
  await submitSignUp(page, person);
  await page.waitForURL('**/dashboard');
  await heading(page, 'My tasks').waitFor();
}

/** Fills the sign-up form on the current page and submits it, whatever the server will make of it. */
export async function submitSignUp(page: Page, person: Person): Promise<void> {
  await page.getByLabel('Name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
}

/** Fills the sign-in form on the current page and submits it. */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await heading(page, 'Sign in').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Signs in again through the form on the current sign-in page and waits for the dashboard, whatever
 * query a ?next= brings along.
 */
export async function completeSignIn(page: Page, person: Person): Promise<void> {
  await submitSignIn(page, person.email, person.password);
  await page.waitForURL(atPath('/dashboard'));
  await heading(page, 'My tasks').waitFor();
}

/** Presses Sign out in the top bar and waits for the sign-in page. */
export async function signOutViaUi(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(atPath('/auth/signin'));
  await heading(page, 'Sign in').waitFor();
}

/** The dashboard's list of tasks (absent while the list is empty). */
export function taskList(page: Page): Locator {
  return page.getByRole('list', { name: 'Tasks' });
}

/** One task's row, found by its checkbox, whose name is the task's title. */
export function taskItem(page: Page, title: string): Locator {
  return taskList(page)
    .getByRole('listitem')
    .filter({ has: taskCheckbox(page, title) });
}

export function taskCheckbox(page: Page, title: string): Locator {
  return page.getByRole('checkbox', { name: title, exact: true });
}

/** The add form at the top of the dashboard (the edit forms live inside list items). */
export function addForm(page: Page): Locator {
  return page.getByRole('region', { name: 'Add a task' });
}

/** The list item whose task is being edited in place: the one with a Save button. */
export function editForm(page: Page): Locator {
  return taskList(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('button', { name: 'Save' }) });
}

/** The "N tasks · N pending · N completed" line, shown once the list has loaded. */
export function countsLine(page: Page): Locator {
  return page.getByText(/^\d+ tasks? · \d+ pending · \d+ completed$/);
}

/** On a phone the add form keeps the description behind "Add details": opens it (a wide screen shows it). */
export async function openAddDetails(page: Page): Promise<void> {
  const toggle = addForm(page).getByRole('button', { name: 'Add details' });
  if ((await toggle.count()) > 0 && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/**
 * Adds a task through the add form and waits until the server has accepted it (its checkbox is enabled).
 * Like a person, it first waits for the list to have loaded: adding while the list is still loading is
 * its own case, tested on its own in tasks.test.ts.
 */
export async function addTaskViaUi(page: Page, title: string, description?: string): Promise<void> {
  await countsLine(page).waitFor();
  const form = addForm(page);
  await form.getByLabel('Title').fill(title);
  if (description !== undefined) await openAddDetails(page);
  if (description !== undefined) await form.getByLabel('Description').fill(description);
  await form.getByRole('button', { name: 'Add task' }).click();
  // Playwright's own waits, not expect.poll, so this also works in beforeAll.
  await page.getByRole('checkbox', { name: title, exact: true, disabled: false }).waitFor();
  const titleInput = await form.getByLabel('Title').elementHandle();
  await page.waitForFunction((input) => (input as HTMLInputElement).value === '', titleInput);
}

export function countsText(page: Page): Promise<string> {
  return countsLine(page).innerText();
}

/** For waitForURL: the page is at this path, whatever its query. */
export function atPath(path: string): (url: URL) => boolean {
  return (url) => url.pathname === path;
}

/** Reloads and waits for the list (or its empty state) to come back from the server. */
export async function reloadDashboard(page: Page): Promise<void> {
  await page.reload();
  await heading(page, 'My tasks').waitFor();
  await countsLine(page).waitFor();
}

/** The titles of the tasks on the page, in list order. */
export function taskTitles(page: Page): Promise<string[]> {
  return taskList(page).locator('li label').allTextContents();
}
