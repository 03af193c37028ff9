import type { Locator, Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  addForm,
  countsLine,
  eventually,
  heading,
  isFocused,
  newPerson,
  signUpViaUi,
  taskCheckbox,
  taskItem,
  taskList,
} from './support/browser';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 800 };

interface SeedTask {
  title: string;
  description?: string;
  tags?: string[];
}

/** Creates tasks through the API from inside the signed-in page (its cookie, its Origin), then reloads. */
async function seedTasks(page: Page, tasks: SeedTask[]): Promise<void> {
  await page.evaluate(async (all) => {
    const me = await (await fetch('/api/auth/me')).json();
    // One at a time, so the newest-first list shows them in the reverse of this order.
    for (const task of all) {
      const response = await fetch(`/api/${me.user.id}/tasks`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(task),
      });
      if (response.status !== 201) throw new Error(`POST answered ${response.status}`);
    }
  }, tasks);
  await page.reload();
  await countsLine(page).waitFor();
}

type Box = { x: number; y: number; width: number; height: number };

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator.toString()} has no box: it is not displayed`);
  return box;
}

function style(locator: Locator, property: string): Promise<string> {
  return locator.evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);
}

/** Background colour and image together: a tint may be either. */
function background(locator: Locator): Promise<string> {
  return locator.evaluate((element) => {
    const computed = getComputedStyle(element);
    return `${computed.backgroundColor} ${computed.backgroundImage}`;
  });
}

/**
 * Holds every /api request whose path `isHeld` picks until `release` is called; the others go through.
 * After release, later requests go through as well.
 */
async function holdRequests(page: Page, isHeld: (path: string) => boolean): Promise<{ release: () => Promise<void> }> {
  const held: Route[] = [];
  let holding = true;
  const handler = (route: Route) => {
    const path = new URL(route.request().url()).pathname;
    if (holding && isHeld(path)) held.push(route);
    else void route.fallback();
  };
  await page.route('**/api/**', handler);
  return {
    release: async () => {
      holding = false;
      for (const route of held.splice(0)) await route.fallback();
    },
  };
}

describe('the add form on a phone', () => {
  it('puts the title and "Add task" on one row, with the description behind "Add details"', async () => {
    const { page } = await suite.signedIn('quickadd', { viewport: PHONE });
    await countsLine(page).waitFor();
    const form = addForm(page);
    const title = await boxOf(form.getByLabel('Title'));
    const add = await boxOf(form.getByRole('button', { name: 'Add task' }));
    expect(add.y).toBeCloseTo(title.y, 0);
    expect(add.x).toBeGreaterThanOrEqual(title.x + title.width);

    const details = form.getByRole('button', { name: 'Add details' });
    expect(await details.getAttribute('aria-expanded')).toBe('false');
    expect(await form.getByLabel('Description').count()).toBe(0);
    expect(await form.getByRole('button', { name: 'More options' }).count()).toBe(0);

    await details.click();
    expect(await details.getAttribute('aria-expanded')).toBe('true');
    await form.getByLabel('Description').fill('From the disclosure');
    expect(await form.getByRole('button', { name: 'More options' }).isVisible()).toBe(true);
    await form.getByLabel('Title').fill('Quick one');
    await form.getByRole('button', { name: 'Add task' }).click();
    await taskItem(page, 'Quick one').getByText('From the disclosure').waitFor();

    await details.click();
    expect(await details.getAttribute('aria-expanded')).toBe('false');
    expect(await form.getByLabel('Description').count()).toBe(0);
  });

  it('goes from the title straight to "Add task" with Tab, with a visible focus ring', async () => {
    const { page } = await suite.signedIn('quicktab', { viewport: PHONE });
    const form = addForm(page);
    await form.getByLabel('Title').focus();
    await page.keyboard.press('Tab');
    const add = form.getByRole('button', { name: 'Add task' });
    expect(await isFocused(add)).toBe(true);
    expect(await style(add, 'outline-style')).toBe('solid');
    expect(parseFloat(await style(add, 'outline-width'))).toBeGreaterThanOrEqual(2);
  });

  it('shows every field at once on a wide screen, with no "Add details"', async () => {
    const { page } = await suite.signedIn('wideadd', { viewport: DESKTOP });
    const form = addForm(page);
    expect(await form.getByLabel('Description').isVisible()).toBe(true);
    expect(await form.getByRole('button', { name: 'More options' }).isVisible()).toBe(true);
    expect(await form.getByRole('button', { name: 'Add details' }).count()).toBe(0);
  });
});

describe('task rows on a phone', () => {
  it('shows at least 8 of 12 short tasks above the fold of a 375 x 812 screen', async () => {
    const { page } = await suite.signedIn('fold', { viewport: PHONE });
    await seedTasks(
      page,
      Array.from({ length: 12 }, (_, index) => ({ title: `Task ${index + 1}` })),
    );
    const bottoms = await taskList(page)
      .getByRole('listitem')
      .evaluateAll((items) => items.map((item) => item.getBoundingClientRect().bottom));
    expect(bottoms).toHaveLength(12);
    expect(bottoms.filter((bottom) => bottom <= PHONE.height).length).toBeGreaterThanOrEqual(8);
  });

  it('keeps the checkbox, Edit and Delete on one line, each a 44 px target', async () => {
    const { page } = await suite.signedIn('oneline', { viewport: PHONE });
    await seedTasks(page, [{ title: 'Ring the plumber about the kitchen tap' }]);
    const row = taskItem(page, 'Ring the plumber about the kitchen tap');
    const checkbox = await boxOf(taskCheckbox(page, 'Ring the plumber about the kitchen tap'));
    const edit = await boxOf(row.getByRole('button', { name: 'Edit', exact: true }));
    const remove = await boxOf(row.getByRole('button', { name: 'Delete', exact: true }));
    for (const box of [checkbox, edit, remove]) {
      expect(box.width).toBeGreaterThanOrEqual(44);
      expect(box.height).toBeGreaterThanOrEqual(44);
    }
    expect(edit.y).toBeCloseTo(checkbox.y, 0);
    expect(remove.y).toBeCloseTo(checkbox.y, 0);
    expect(remove.x).toBeGreaterThanOrEqual(edit.x + edit.width);
    expect((await boxOf(row)).height).toBeLessThanOrEqual(72);
  });

  it('tints a row and a button on hover, and a button again when pressed', async () => {
    const { page } = await suite.signedIn('hover', { viewport: PHONE });
    await seedTasks(page, [{ title: 'Hover over me' }]);
    const row = taskItem(page, 'Hover over me');
    await page.mouse.move(0, 0);
    const restingRow = await background(row);
    await row.hover();
    expect(await background(row)).not.toBe(restingRow);

    const pending = page.getByRole('group', { name: 'Filter tasks' }).getByRole('button', { name: 'Pending' });
    const restingButton = await background(pending);
    await pending.hover();
    const hovered = await background(pending);
    expect(hovered).not.toBe(restingButton);
    await page.mouse.down();
    expect(await background(pending)).not.toBe(hovered);
    // Let go elsewhere, so the press is not a click.
    await page.mouse.move(0, 0);
    await page.mouse.up();

    const signOut = page.getByRole('button', { name: 'Sign out' });
    const restingSignOut = await background(signOut);
    await signOut.hover();
    expect(await background(signOut)).not.toBe(restingSignOut);
  });
});

describe('long descriptions', () => {
  const long = Array.from({ length: 12 }, (_, index) => `Line of the long note number ${index + 1}.`).join(' ');

  it('cuts a long description to three lines, with "Show more" and "Show less"', async () => {
    const { page } = await suite.signedIn('clamp', { viewport: PHONE });
    await seedTasks(page, [{ title: 'Long note', description: long }]);
    const row = taskItem(page, 'Long note');
    const text = row.getByText(long);
    expect(await style(text, '-webkit-line-clamp')).toBe('3');
    const lineHeight = parseFloat(await style(text, 'line-height'));
    const clamped = await boxOf(text);
    expect(clamped.height).toBeLessThanOrEqual(3 * lineHeight + 1);

    const more = row.getByRole('button', { name: 'Show more' });
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    await more.click();
    const less = row.getByRole('button', { name: 'Show less' });
    expect(await less.getAttribute('aria-expanded')).toBe('true');
    expect(await style(text, '-webkit-line-clamp')).toBe('none');
    expect((await boxOf(text)).height).toBeGreaterThan(3 * lineHeight + 1);

    await less.click();
    await row.getByRole('button', { name: 'Show more' }).waitFor();
    expect((await boxOf(text)).height).toBeCloseTo(clamped.height, 0);
  });

  it('offers no "Show more" for a description that fits', async () => {
    const { page } = await suite.signedIn('noclamp', { viewport: PHONE });
    await seedTasks(page, [{ title: 'Short note', description: 'Two litres' }]);
    const row = taskItem(page, 'Short note');
    await row.getByText('Two litres').waitFor();
    expect(await row.getByRole('button', { name: /Show (more|less)/ }).count()).toBe(0);
  });
});

describe('right-to-left writing', () => {
  it('lets Arabic and Hebrew read right to left in tasks, tags, the name and every text field', async () => {
    const page = await suite.newPage({ viewport: PHONE });
    await signUpViaUi(page, { ...newPerson('rtl'), name: 'سارة أحمد' });
    await seedTasks(page, [{ title: 'اشتري الحليب', description: 'קנה חלב בדרך הביתה', tags: ['בית'] }]);
    const row = taskItem(page, 'اشتري الحليب');

    const userText = [
      row.getByText('اشتري الحليب'),
      row.getByText('קנה חלב בדרך הביתה'),
      row.getByText('בית', { exact: true }),
      page.getByRole('banner').getByText('سارة أحمد'),
    ];
    for (const text of userText) {
      expect(await text.getAttribute('dir')).toBe('auto');
      expect(await style(text, 'direction')).toBe('rtl');
    }

    await row.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('button', { name: 'Save' }).waitFor();
    await page.getByRole('button', { name: 'More options' }).click();
    await page.getByLabel('Tags', { exact: true }).waitFor();
    const fields = await page
      .locator('input:not([type=checkbox]), textarea')
      .evaluateAll((elements) =>
        elements.map((element) => `${element.getAttribute('name')}:${element.getAttribute('dir')}`),
      );
    expect(fields.length).toBeGreaterThanOrEqual(6);
    expect(fields.filter((field) => !field.endsWith(':auto'))).toEqual([]);
    expect(await style(page.getByRole('listitem').getByLabel('Title'), 'direction')).toBe('rtl');
  });

  it('marks the sign-in fields dir="auto" too', async () => {
    const page = await suite.newPage({ viewport: PHONE });
    await page.goto('/auth/signin');
    await heading(page, 'Sign in').waitFor();
    expect(await page.getByLabel('Email').getAttribute('dir')).toBe('auto');
    expect(await page.getByLabel('Password').getAttribute('dir')).toBe('auto');
  });
});

describe('the password field', () => {
  it('places the show/hide button inside the password box, as a full touch target', async () => {
    const page = await suite.newPage({ viewport: PHONE });
    await page.goto('/auth/signin');
    const input = page.getByLabel('Password');
    const toggle = page.getByRole('button', { name: 'Show password' });
    const field = await boxOf(input);
    const button = await boxOf(toggle);
    expect(button.x).toBeGreaterThanOrEqual(field.x);
    expect(button.y).toBeGreaterThanOrEqual(field.y);
    expect(button.x + button.width).toBeLessThanOrEqual(field.x + field.width);
    expect(button.y + button.height).toBeLessThanOrEqual(field.y + field.height);
    expect(button.width).toBeGreaterThanOrEqual(44);
    expect(button.height).toBeGreaterThanOrEqual(44);
    // The typed text stops before the button instead of running under it.
    expect(parseFloat(await style(input, 'padding-right'))).toBeGreaterThanOrEqual(button.width);

    await toggle.click();
    expect(await input.getAttribute('type')).toBe('text');
    await page.getByRole('button', { name: 'Hide password' }).waitFor();
  });
});

describe('the top bar', () => {
  it.each([PHONE, DESKTOP])('is as wide as the main column and over it at $width px', async (viewport) => {
    const { page } = await suite.signedIn('topbar', { viewport });
    const bar = await boxOf(page.getByRole('banner'));
    const main = await boxOf(page.getByRole('main'));
    expect(bar.width).toBeCloseTo(main.width, 0);
    expect(bar.x).toBeCloseTo(main.x, 0);
    expect(main.width).toBeLessThanOrEqual(viewport.width);
  });
});

describe('while the session and the tasks load', () => {
  it('shows a skeleton, busy and named for screen readers, until the tasks arrive', async () => {
    const { page } = await suite.signedIn('skeleton', { viewport: PHONE });
    await seedTasks(page, [{ title: 'Arrives last' }]);
    const tasks = await holdRequests(page, (path) => /^\/api\/[^/]+\/tasks/.test(path));
    const session = await holdRequests(page, (path) => path.startsWith('/api/auth/'));
    await page.reload();

    // The session is being checked: the frame of the dashboard, not a bare "Loading…".
    const status = page.getByRole('status').filter({ hasText: 'Loading your tasks' });
    await status.waitFor({ state: 'attached' });
    expect((await boxOf(status)).height).toBeLessThanOrEqual(1);
    expect(await page.locator('main[aria-busy="true"] .skeleton__row').count()).toBeGreaterThan(3);
    expect((await boxOf(page.locator('.skeleton__row').first())).height).toBeGreaterThanOrEqual(40);
    expect(await page.getByText('Loading…').count()).toBe(0);
    const skeletonBar = await boxOf(page.locator('.topbar'));

    // Signed in, the first page still on its way: the page is drawn, its list region busy.
    await session.release();
    await heading(page, 'My tasks').waitFor();
    // The top bar keeps its height, so nothing below it jumps.
    expect((await boxOf(page.getByRole('banner'))).height).toBeCloseTo(skeletonBar.height, 0);
    const region = page.getByRole('region', { name: 'Your tasks' });
    expect(await region.getAttribute('aria-busy')).toBe('true');
    await region.getByRole('status').filter({ hasText: 'Loading your tasks' }).waitFor({ state: 'attached' });
    expect(await region.locator('.skeleton__row').first().isVisible()).toBe(true);

    await tasks.release();
    await taskCheckbox(page, 'Arrives last').waitFor();
    await eventually(() => region.getAttribute('aria-busy')).toBe(null);
    expect(await page.locator('.skeleton').count()).toBe(0);
  });
});
