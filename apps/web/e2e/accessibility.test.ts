import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  addForm,
  addTaskViaUi,
  eventually,
  heading,
  isFocused,
  newPerson,
  signUpViaUi,
  tabTo,
  taskCheckbox,
} from './support/browser';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

const PHONE = { width: 375, height: 740 };

/** One press of Tab moves from the focused element to `next`: the tab order follows the page. */
async function tabOnceTo(page: Page, next: Locator): Promise<void> {
  await page.keyboard.press('Tab');
  expect(await isFocused(next)).toBe(true);
}

async function hasVisibleFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const style = getComputedStyle(element);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  });
}

function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

describe('using only the keyboard', () => {
  it('signs up, adds a task and completes it without a mouse', async () => {
    const page = await suite.newPage();
    const person = newPerson('keyboard');
    await page.goto('/auth/signup');
    await heading(page, 'Create your account').waitFor();

    const name = page.getByLabel('Name');
    await tabTo(page, name);
    expect(await hasVisibleFocus(name)).toBe(true);
    await page.keyboard.type(person.name);
    await tabOnceTo(page, page.getByLabel('Email'));
    await page.keyboard.type(person.email);
    await tabOnceTo(page, page.getByLabel('Password'));
    await page.keyboard.type(person.password);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/dashboard');
    await heading(page, 'My tasks').waitFor();

    const title = addForm(page).getByLabel('Title');
    await tabTo(page, title);
    expect(await hasVisibleFocus(title)).toBe(true);
    await page.keyboard.type('Typed, not clicked');
    await tabOnceTo(page, addForm(page).getByLabel('Description'));
    await page.keyboard.type('Added from the keyboard');
    // The closed "More options" disclosure comes between the description and the submit button.
    await tabOnceTo(page, addForm(page).getByRole('button', { name: 'More options' }));
    await tabOnceTo(page, addForm(page).getByRole('button', { name: 'Add task' }));
    await page.keyboard.press('Enter');

    const checkbox = taskCheckbox(page, 'Typed, not clicked');
    await eventually(() => checkbox.isEnabled()).toBe(true);
    await page.getByText('Added from the keyboard').waitFor();
    await tabTo(page, checkbox);
    await page.keyboard.press('Space');
    await eventually(() => checkbox.isChecked()).toBe(true);
  });

  it('answers the delete confirmation from the keyboard, starting on the harmless Cancel', async () => {
    const { page } = await suite.signedIn('dialogkeys');
    await addTaskViaUi(page, 'Keep or drop');

    const deleteButton = page.getByRole('listitem').getByRole('button', { name: 'Delete' });
    await tabTo(page, deleteButton);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete task?' });
    await dialog.waitFor();
    await eventually(() => isFocused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);

    // Escape backs out and keeps the task.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await taskCheckbox(page, 'Keep or drop').waitFor();

    await tabTo(page, deleteButton);
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Shift+Tab');
    expect(await isFocused(dialog.getByRole('button', { name: 'Delete' }))).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText('No tasks yet', { exact: true }).waitFor();
  });
});

describe('on a 375 px wide phone', () => {
  it('needs no horizontal scrolling on the sign-in page, also with errors shown', async () => {
    const page = await suite.newPage({ viewport: PHONE });
    await page.goto('/auth/signin');
    await heading(page, 'Sign in').waitFor();
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(375);

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Email is required').waitFor();
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(375);
  });

  it('needs no horizontal scrolling on the sign-up page, also with errors shown', async () => {
    const page = await suite.newPage({ viewport: PHONE });
    await page.goto('/auth/signup');
    await heading(page, 'Create your account').waitFor();
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(375);

    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('Password must be at least 8 characters').waitFor();
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(375);
  });

  it('needs no horizontal scrolling on the dashboard with tasks, long ones included', async () => {
    const page = await suite.newPage({ viewport: PHONE });
    await signUpViaUi(page, { ...newPerson('phone'), name: 'Maximiliana Wolfeschlegelsteinhausen-Bergerdorff' });
    await addTaskViaUi(page, 'Buy milk');
    await addTaskViaUi(
      page,
      'Read https://example.com/a-very-long-unbroken-address-that-goes-on-and-on-and-on',
      'Nothing-but-one-long-word-without-any-spaces-in-it-at-all-to-wrap-on',
    );
    await taskCheckbox(page, 'Buy milk').check();
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(375);

    await page.getByRole('listitem').filter({ hasText: 'Buy milk' }).getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Save' }).waitFor();
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(375);
  });

  it('gives every control on the sign-up page a touch target of at least 44 by 44 px', async () => {
    const page = await suite.newPage({ viewport: PHONE });
    await page.goto('/auth/signup');
    await heading(page, 'Create your account').waitFor();
    expect(await controlsSmallerThan44(page)).toEqual([]);
  });

  it('gives every control on the dashboard a touch target of at least 44 by 44 px', async () => {
    const { page } = await suite.signedIn('touch', { viewport: PHONE });
    await addTaskViaUi(page, 'Tap me');
    expect(await controlsSmallerThan44(page)).toEqual([]);
  });
});

describe('layout from phone to desktop', () => {
  it.each([375, 1280])('keeps every button label whole on one line at %i px', async (width) => {
    const { page } = await suite.signedIn('labels', { viewport: { width, height: 800 } });
    await addTaskViaUi(page, 'Write the release notes', 'Summarise the new sign-in flow and the task filters');
    await addTaskViaUi(page, 'Book the team lunch');
    expect(await labelsBrokenAcrossLines(page)).toEqual([]);
  });
});

describe('forms a browser and a screen reader understand', () => {
  it('gives the auth inputs their types and autocomplete hints', async () => {
    const page = await suite.newPage();
    const attributes = (locator: Locator) =>
      locator.evaluate((element) => [element.getAttribute('type'), element.getAttribute('autocomplete')]);

    await page.goto('/auth/signup');
    expect(await attributes(page.getByLabel('Name'))).toEqual([null, 'name']);
    expect(await attributes(page.getByLabel('Email'))).toEqual(['email', 'email']);
    expect(await attributes(page.getByLabel('Password'))).toEqual(['password', 'new-password']);

    // Password managers file the account under the "username" field of a sign-in form.
    await page.goto('/auth/signin');
    expect(await attributes(page.getByLabel('Email'))).toEqual(['email', 'username']);
    expect(await attributes(page.getByLabel('Password'))).toEqual(['password', 'current-password']);
  });
});

/** Every button, input and link whose tap target is under 44x44 px, described for the failure message. */
function controlsSmallerThan44(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const box = (element: Element) => element.getBoundingClientRect();
    const fits = (rect: DOMRect) => rect.width >= 44 && rect.height >= 44;
    const small: string[] = [];
    for (const element of document.querySelectorAll('button, input, textarea, select, a[href]')) {
      const label = element instanceof HTMLInputElement && element.labels?.[0];
      // A checkbox may be tapped on its label as well: either one being large enough will do.
      const targets = [box(element), ...(label ? [box(label)] : [])];
      if (!targets.some(fits)) {
        const name = (element.textContent || (label && label.textContent) || element.getAttribute('name') || '').trim();
        small.push(
          `${element.tagName.toLowerCase()} "${name}": ${targets.map((r) => `${r.width.toFixed(1)}x${r.height.toFixed(1)}`).join(', label ')}`,
        );
      }
    }
    return small;
  });
}

/** Buttons and links whose visible text wraps onto a second line (as in "Pendin / g"). */
function labelsBrokenAcrossLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const element of document.querySelectorAll('button, a[href]')) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement!.getBoundingClientRect();
        // Skip empty text and visually hidden text (1x1 px boxes exist only for screen readers).
        if (!node.textContent?.trim() || parent.width <= 1 || parent.height <= 1) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lines.size > 1) broken.push(`"${node.textContent.trim()}" on ${lines.size} lines`);
      }
    }
    return broken;
  });
}
