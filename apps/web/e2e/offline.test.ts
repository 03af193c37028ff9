import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  addForm,
  addTaskViaUi,
  countsLine,
  editForm,
  eventually,
  reloadDashboard,
  taskCheckbox,
  taskItem,
  taskTitles,
} from './support/browser';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

const OFFLINE = 'You are offline. Changes will be sent when the connection is back.';
const UNREACHABLE = 'Could not reach the server, please try again';

function banner(page: Page) {
  return page.getByRole('status').filter({ hasText: OFFLINE });
}

/** The task requests the page sends, as "METHOD path", to count what reached the network. */
function recordTaskRequests(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (/\/api\/[^/]+\/tasks\/\d+/.test(pathname) || request.method() === 'POST') {
      sent.push(`${request.method()} ${pathname.replace(/^\/api\/[^/]+/, '')}`);
    }
  });
  return sent;
}

describe('while the server cannot be reached', () => {
  it('says so in a banner, keeps the action’s message, and clears both once the server answers again', async () => {
    const { context, page } = await suite.signedIn('banner');
    await addTaskViaUi(page, 'Water the plants');
    expect(await banner(page).count()).toBe(0);

    await context.setOffline(true);
    await taskCheckbox(page, 'Water the plants').click();

    await banner(page).waitFor();
    await eventually(() => page.getByRole('alert').textContent()).toBe(
      `Could not update “Water the plants”. ${UNREACHABLE}`,
    );

    await context.setOffline(false);

    await eventually(() => banner(page).count()).toBe(0);
    await eventually(() => page.getByRole('alert').count()).toBe(0);
  });

  it('sends a new task typed offline once the connection is back, exactly once', async () => {
    const { context, page } = await suite.signedIn('offline-add');
    await countsLine(page).waitFor();
    const form = addForm(page);
    await context.setOffline(true);
    await form.getByLabel('Title').fill('Post the letter');
    await form.getByRole('button', { name: 'Add task' }).click();
    await eventually(() => form.getByRole('alert').textContent()).toBe(UNREACHABLE);
    await banner(page).waitFor();
    expect(await form.getByLabel('Title').inputValue()).toBe('Post the letter');

    await context.setOffline(false);

    await page.getByRole('checkbox', { name: 'Post the letter', exact: true, disabled: false }).waitFor();
    await eventually(() => form.getByLabel('Title').inputValue()).toBe('');
    expect(await form.getByRole('alert').count()).toBe(0);
    await reloadDashboard(page);
    expect(await taskTitles(page)).toEqual(['Post the letter']);
  });

  it('sends an edit made offline once the connection is back', async () => {
    const { context, page } = await suite.signedIn('offline-edit');
    await addTaskViaUi(page, 'Book a table');
    await taskItem(page, 'Book a table').getByRole('button', { name: 'Edit' }).click();
    await editForm(page).getByLabel('Title').fill('Book a table for four');
    await context.setOffline(true);
    await editForm(page).getByRole('button', { name: 'Save' }).click();
    await eventually(() => editForm(page).getByRole('alert').textContent()).toBe(UNREACHABLE);

    await context.setOffline(false);

    await eventually(() => editForm(page).count()).toBe(0);
    await taskCheckbox(page, 'Book a table for four').waitFor();
    await reloadDashboard(page);
    expect(await taskTitles(page)).toEqual(['Book a table for four']);
  });

  it('does not apply a task change twice when the connection broke after the server had made it', async () => {
    const { context, page } = await suite.signedIn('offline-twice');
    await addTaskViaUi(page, 'Renew the passport');
    const sent = recordTaskRequests(page);
    // The toggle reaches the server, then the connection drops before its answer gets back.
    await page.route('**/api/*/tasks/*/complete', async (route) => {
      await route.fetch();
      await context.setOffline(true);
      await route.abort('internetdisconnected');
    });

    await taskCheckbox(page, 'Renew the passport').click();
    await banner(page).waitFor();
    await eventually(() => taskCheckbox(page, 'Renew the passport').isChecked()).toBe(false);

    await context.setOffline(false);

    await eventually(() => banner(page).count()).toBe(0);
    await eventually(() => taskCheckbox(page, 'Renew the passport').isChecked()).toBe(true);
    await eventually(() => page.getByRole('alert').count()).toBe(0);
    // Sent again as "completed", not flipped a second time (which would have undone it).
    await reloadDashboard(page);
    expect(await taskCheckbox(page, 'Renew the passport').isChecked()).toBe(true);
    expect(sent.filter((request) => request.endsWith('/complete'))).toHaveLength(1);
    expect(sent.filter((request) => request.startsWith('PUT '))).toHaveLength(1);
  });

  it('deletes a task whose deletion was cut off, once the connection is back, without an error', async () => {
    const { context, page } = await suite.signedIn('offline-delete');
    await addTaskViaUi(page, 'Cancel the gym');
    await addTaskViaUi(page, 'Keep the library card');
    // The deletion reaches the server, then the connection drops before its answer gets back: sent
    // again, it finds the task gone already, which is what was wanted.
    let cutOff = false;
    await page.route('**/api/*/tasks/*', async (route) => {
      if (route.request().method() !== 'DELETE' || cutOff) return route.fallback();
      cutOff = true;
      await route.fetch();
      await context.setOffline(true);
      await route.abort('internetdisconnected');
    });

    await taskItem(page, 'Cancel the gym').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await eventually(() => page.getByRole('alert').textContent()).toBe(
      `Could not delete “Cancel the gym”. ${UNREACHABLE}`,
    );
    await taskCheckbox(page, 'Cancel the gym').waitFor();

    await context.setOffline(false);

    await eventually(() => taskCheckbox(page, 'Cancel the gym').count()).toBe(0);
    await eventually(() => page.getByRole('alert').count()).toBe(0);
    await reloadDashboard(page);
    expect(await taskTitles(page)).toEqual(['Keep the library card']);
  });
});
