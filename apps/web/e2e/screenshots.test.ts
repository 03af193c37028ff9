import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addTaskViaUi,
  completeSignIn,
  countsText,
  eventually,
  heading,
  newContext,
  signUpViaUi,
  submitSignIn,
  taskCheckbox,
} from './support/browser';
import { HOOK_TIMEOUT_MS } from './support/server';
import { deviceList, openSettings, settingsSection } from './support/settings';
import { useBrowserSuite } from './support/suite';

// Pictures of the app for the docs, written to docs/screenshots at the repository root. A fixed
// person on a fresh database each run, so the pictures only change when the page does.
const outDir = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const person = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843' };
const WIDTHS = [375, 1280] as const;

const suite = useBrowserSuite();

beforeAll(async () => {
  await mkdir(outDir, { recursive: true });
  // The account and its tasks, made once through the UI.
  const context = await newContext(suite.browser, suite.server.baseUrl);
  const page = await context.newPage();
  await signUpViaUi(page, person);
  await addTaskViaUi(page, 'Write the release notes', 'Summarise the new sign-in flow and the task filters');
  await addTaskViaUi(page, 'Book the team lunch');
  await addTaskViaUi(page, 'Review the pull request');
  await taskCheckbox(page, 'Book the team lunch').check();
  await page.getByText('3 tasks · 2 pending · 1 completed').waitFor();
  await context.close();
}, HOOK_TIMEOUT_MS);

function pageAt(width: number): Promise<Page> {
  return suite.newPage({ viewport: { width, height: width < 600 ? 740 : 800 }, colorScheme: 'light' });
}

async function shoot(page: Page, name: string): Promise<void> {
  // Nothing focused: the pictures show the page at rest, not a caret or a focus ring.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // Nor a hover tint where the last click left the mouse.
  await page.mouse.move(0, 0);
  const image = await page.screenshot({
    path: `${outDir}${name}.png`,
    fullPage: true,
    animations: 'disabled',
    caret: 'hide',
  });
  expect(image.byteLength).toBeGreaterThan(1000);
}

describe.each(WIDTHS)('screenshots at %i px', (width) => {
  it('shows the sign-in page', async () => {
    const page = await pageAt(width);
    await page.goto('/auth/signin');
    await heading(page, 'Sign in').waitFor();
    await shoot(page, `signin-${width}`);
  });

  it('shows the sign-in page refusing a wrong password', async () => {
    const page = await pageAt(width);
    await page.goto('/auth/signin');
    await submitSignIn(page, person.email, 'not the password');
    await eventually(() => page.getByRole('alert').textContent()).toBe('Invalid email or password');
    await shoot(page, `error-${width}`);
  });

  it('shows the dashboard with tasks, one of them completed', async () => {
    const page = await pageAt(width);
    await page.goto('/auth/signin');
    await completeSignIn(page, person);
    await taskCheckbox(page, 'Review the pull request').waitFor();
    expect(await countsText(page)).toBe('3 tasks · 2 pending · 1 completed');
    expect(await taskCheckbox(page, 'Book the team lunch').isChecked()).toBe(true);
    await shoot(page, `dashboard-${width}`);
  });

  it('shows the account settings with this device and the security activity', async () => {
    const page = await pageAt(width);
    await page.goto('/auth/signin');
    await completeSignIn(page, person);
    await openSettings(page);
    await settingsSection(page, 'Security activity').getByText('Signed in').first().waitFor();
    expect(await deviceList(page).getByText('This device').count()).toBe(1);
    await shoot(page, `settings-${width}`);
  });
});
