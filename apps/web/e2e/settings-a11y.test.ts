import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { atPath, eventually, heading, isFocused, pathOf, tabTo } from './support/browser';
import { scrollsSideways, wcagViolations } from './support/axe';
import { announcement, deviceList, openSettings, settingsSection, signInElsewhere } from './support/settings';
import { useBrowserSuite, type SignedIn } from './support/suite';

const suite = useBrowserSuite();

const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

/** Settings with something in every section: another device signed in, and its sign-in in the activity. */
async function fullSettings(viewport: { width: number; height: number }): Promise<SignedIn> {
  const signedIn = await suite.signedIn('a11y', { viewport, bypassCSP: true });
  await signInElsewhere(await suite.newContext(), signedIn.person);
  await openSettings(signedIn.page);
  await eventually(() => deviceList(signedIn.page).getByRole('listitem').count()).toBe(2);
  await settingsSection(signedIn.page, 'Security activity').getByText('Signed in').first().waitFor();
  return signedIn;
}

/** Types into the focused field what a person would, replacing what was there. */
async function typeReplacing(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

describe.each([PHONE, DESKTOP])('the settings page at $width px', (viewport) => {
  it('has no WCAG 2.2 AA violations that axe-core finds', async () => {
    const { page } = await fullSettings(viewport);

    expect(await wcagViolations(page)).toEqual([]);
  });

  it('has no WCAG 2.2 AA violations with the delete dialog open and a field refused', async () => {
    const { page } = await fullSettings(viewport);
    await settingsSection(page, 'Delete account').getByRole('button', { name: 'Delete account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await eventually(() => dialog.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    expect(await wcagViolations(page)).toEqual([]);
  });
});

describe('the settings page on a phone', () => {
  it('needs no sideways scrolling, with a long name in the top bar', async () => {
    const { page } = await fullSettings(PHONE);
    const name = settingsSection(page, 'Profile').getByLabel('Name');
    await name.fill('Maximiliana Theodora Wilhelmina von Hohenzollern-Sigmaringen');
    await settingsSection(page, 'Profile').getByRole('button', { name: 'Save' }).click();
    await eventually(() => announcement(page).textContent()).toBe('Name saved');

    expect(await scrollsSideways(page)).toBe(false);
    expect(await page.getByRole('banner').getByRole('link', { name: 'Account' }).isVisible()).toBe(true);
  });
});

describe('the settings page from the keyboard alone', () => {
  it('reaches the page from the top bar, renames, and changes the password', async () => {
    const { page, person } = await suite.signedIn('keys');
    await tabTo(page, page.getByRole('link', { name: 'Account' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(atPath('/settings'));
    await deviceList(page).waitFor();
    // A new page puts the keyboard at its heading.
    expect(await isFocused(heading(page, 'Account settings'))).toBe(true);

    await tabTo(page, settingsSection(page, 'Profile').getByLabel('Name'));
    await typeReplacing(page, 'Keyboard Person');
    await page.keyboard.press('Enter');
    await page.getByRole('banner').getByText('Keyboard Person', { exact: true }).waitFor();

    const password = settingsSection(page, 'Password');
    await tabTo(page, password.getByLabel('Current password', { exact: true }));
    await page.keyboard.type(person.password);
    await tabTo(page, password.getByLabel('New password', { exact: true }));
    await page.keyboard.type('typed without a mouse');
    await page.keyboard.press('Enter');
    await eventually(() => announcement(page).textContent()).toBe(
      'Password changed. Your other devices were signed out.',
    );
  });

  it('signs out one device, then all others, keeping the focus in the section', async () => {
    const { page, person } = await suite.signedIn('keydevices');
    const others = [
      await signInElsewhere(await suite.newContext(), person),
      await signInElsewhere(await suite.newContext(), person),
    ];
    await openSettings(page);
    await eventually(() => deviceList(page).getByRole('listitem').count()).toBe(3);

    await tabTo(page, page.getByRole('button', { name: /^Sign out Chrome( Headless)? on Linux$/ }).first(), 40);
    await page.keyboard.press('Enter');
    await eventually(() => deviceList(page).getByRole('listitem').count()).toBe(2);
    // The pressed button went with its device: the keyboard is at the section, not thrown to the page's start.
    expect(await isFocused(settingsSection(page, 'Devices').getByRole('heading', { name: 'Devices' }))).toBe(true);

    await tabTo(page, page.getByRole('button', { name: 'Sign out of all other devices' }));
    await page.keyboard.press('Space');
    await eventually(() => deviceList(page).getByRole('listitem').count()).toBe(1);
    for (const other of others) {
      await other.reload();
      await other.waitForURL(atPath('/auth/signin'));
      expect(pathOf(other)).toBe('/auth/signin?next=%2Fdashboard');
    }
  });

  it('opens, escapes and confirms the delete dialog, the focus returning to its button', async () => {
    const { page, person } = await suite.signedIn('keydelete');
    await openSettings(page);
    const opener = settingsSection(page, 'Delete account').getByRole('button', { name: 'Delete account' });
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });

    await tabTo(page, opener, 40);
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await isFocused(dialog.getByLabel('Password', { exact: true }))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await isFocused(opener)).toBe(true);

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.type(person.password);
    await page.keyboard.press('Enter');

    await page.waitForURL(atPath('/auth/signup'));
    await page.getByRole('status').filter({ hasText: 'Your account has been deleted' }).waitFor();
  });
});
