import type { BrowserContext, Locator, Page } from 'playwright-core';
import { atPath, completeSignIn, heading, type Person } from './browser';

/** Follows "Account" in the top bar to the settings page and waits for its sections to load. */
export async function openSettings(page: Page): Promise<void> {
  await page.getByRole('banner').getByRole('link', { name: 'Account' }).click();
  await page.waitForURL(atPath('/settings'));
  await heading(page, 'Account settings').waitFor();
  await deviceList(page).waitFor();
}

/** One of the settings page's sections, a region named by its heading. */
export function settingsSection(page: Page, name: string): Locator {
  return page.getByRole('region', { name, exact: true });
}

/** The list of signed-in devices (absent while it loads). */
export function deviceList(page: Page): Locator {
  return settingsSection(page, 'Devices').getByRole('list');
}

/** Another browser profile, the same person signed in to it through the form, on the dashboard. */
export async function signInElsewhere(context: BrowserContext, person: Person): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/auth/signin');
  await completeSignIn(page, person);
  return page;
}

/** The polite message at the foot of the screen that says how an action went. */
export function announcement(page: Page): Locator {
  return page.locator('.toast-region[role="status"]');
}

/** What a screen reader reads after a field's name: the text of every element its aria-describedby names. */
export function descriptionOf(field: Locator): Promise<string> {
  return field.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => element.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim(),
  );
}

/** A page's status message whose words match: a notice such as "Authentication required". */
export function statusMessage(page: Page, text: string | RegExp): Locator {
  return page.getByRole('status').filter({ hasText: text });
}
