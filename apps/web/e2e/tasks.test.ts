import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  reloadDashboard,
  taskTitles as titles,
  addForm,
  addTaskViaUi,
  countsText,
  editForm,
  eventually,
  newPerson,
  signUpViaUi,
  taskCheckbox,
  taskItem,
  taskList,
} from './support/browser';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

const UNAVAILABLE = { error: 'Service temporarily unavailable, please try again', code: 'unavailable' };

describe('the task list', () => {
  it('shows "No tasks yet" and zero counts to a new person', async () => {
    const { page } = await suite.signedIn('empty');
    await page.getByText('No tasks yet', { exact: true }).waitFor();
    expect(await countsText(page)).toBe('0 tasks · 0 pending · 0 completed');
    expect(await taskList(page).count()).toBe(0);
  });

  it('adds a task with a description, clears the form and keeps the task after a reload', async () => {
    const { page } = await suite.signedIn('add');
    await addTaskViaUi(page, 'Buy milk', 'Semi-skimmed, two litres');

    const item = taskItem(page, 'Buy milk');
    await item.getByText('Semi-skimmed, two litres').waitFor();
    expect(await taskCheckbox(page, 'Buy milk').isChecked()).toBe(false);
    expect(await addForm(page).getByLabel('Description').inputValue()).toBe('');
    expect(await page.getByText('No tasks yet').count()).toBe(0);
    expect(await countsText(page)).toBe('1 task · 1 pending · 0 completed');

    await reloadDashboard(page);
    await taskItem(page, 'Buy milk').getByText('Semi-skimmed, two litres').waitFor();
    expect(await countsText(page)).toBe('1 task · 1 pending · 0 completed');
  });

  it('lists the newest task first', async () => {
    const { page } = await suite.signedIn('order');
    await addTaskViaUi(page, 'First task');
    await addTaskViaUi(page, 'Second task');
    await addTaskViaUi(page, 'Third task');
    expect(await titles(page)).toEqual(['Third task', 'Second task', 'First task']);
    await reloadDashboard(page);
    expect(await titles(page)).toEqual(['Third task', 'Second task', 'First task']);
  });

  it('keeps a task added while the list is still loading', async () => {
    const page = await suite.newPage();
    // The first list answer is fetched at once (an empty list) but delivered late, after the add:
    // a slow network on the dashboard's first load.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstList = true;
    await page.route('**/api/*/tasks?*', async (route) => {
      if (route.request().method() !== 'GET' || !firstList) return route.fallback();
      firstList = false;
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await signUpViaUi(page, newPerson('addwhileloading'));

    const form = addForm(page);
    await form.getByLabel('Title').fill('Added early');
    const created = page.waitForResponse(
      (response) => response.request().method() === 'POST' && response.url().includes('/tasks'),
    );
    await form.getByRole('button', { name: 'Add task' }).click();
    expect((await created).status()).toBe(201);
    await page.getByRole('checkbox', { name: 'Added early', exact: true, disabled: false }).waitFor();

    const listDelivered = page.waitForResponse(
      (response) => response.request().method() === 'GET' && response.url().includes('/tasks?'),
    );
    release();
    await (await listDelivered).finished();
    // Two animation frames: the page has read the late answer and React has drawn whatever it did with it.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    // The late, older answer must not wipe out the task the server has just accepted.
    expect(await countsText(page)).toBe('1 task · 1 pending · 0 completed');
    expect(await titles(page)).toEqual(['Added early']);
  });

  it('refuses an empty title inline, focuses the field and adds nothing', async () => {
    const { page } = await suite.signedIn('notitle');
    const title = addForm(page).getByLabel('Title');
    await title.fill('   ');
    await addForm(page).getByRole('button', { name: 'Add task' }).click();

    await eventually(() => title.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await title.getAttribute('aria-describedby')) ?? '';
    const message = await page.evaluate(
      (ids) => ids.split(' ').map((id) => document.getElementById(id)?.textContent),
      describedBy,
    );
    expect(message).toContain('Title is required');
    expect(await title.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await countsText(page)).toBe('0 tasks · 0 pending · 0 completed');
  });
});

describe('editing a task in place', () => {
  it('saves a new title and description from a form inside the task', async () => {
    const { page } = await suite.signedIn('edit');
    await addTaskViaUi(page, 'Call the plumber', 'About the sink');
    const item = taskItem(page, 'Call the plumber');
    await item.getByRole('button', { name: 'Edit' }).click();

    // The form replaces the task's row: same list item, fields filled with what is there now.
    const editing = editForm(page);
    const title = editing.getByLabel('Title');
    expect(await title.inputValue()).toBe('Call the plumber');
    expect(await editing.getByLabel('Description').inputValue()).toBe('About the sink');
    await title.fill('Call the electrician');
    await editing.getByLabel('Description').fill('About the lights');
    await editing.getByRole('button', { name: 'Save' }).click();

    await taskItem(page, 'Call the electrician').getByText('About the lights').waitFor();
    expect(await taskCheckbox(page, 'Call the plumber').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);

    await reloadDashboard(page);
    await taskItem(page, 'Call the electrician').getByText('About the lights').waitFor();
    expect(await titles(page)).toEqual(['Call the electrician']);
  });

  it('shows the new title at once after Save, before the server has answered', async () => {
    const { page } = await suite.signedIn('editoptimistic');
    await addTaskViaUi(page, 'Paint the fence');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const requested = new Promise<void>((resolve) => (arrived = resolve));
    await page.route('**/api/*/tasks/*', async (route) => {
      if (route.request().method() !== 'PUT') return route.fallback();
      arrived();
      await held;
      return route.continue();
    });
    await taskItem(page, 'Paint the fence').getByRole('button', { name: 'Edit' }).click();
    const editing = editForm(page);
    await editing.getByLabel('Title').fill('Paint the gate');
    await editing.getByRole('button', { name: 'Save' }).click();

    await requested;
    // The server has not answered, and the list already shows the new title, form closed.
    await taskCheckbox(page, 'Paint the gate').waitFor();
    expect(await taskCheckbox(page, 'Paint the fence').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);

    const answered = page.waitForResponse((response) => response.request().method() === 'PUT');
    release();
    expect((await answered).status()).toBe(200);
    await reloadDashboard(page);
    expect(await titles(page)).toEqual(['Paint the gate']);
  });

  it('rolls the title back and reopens the form with what was typed and why when the server refuses the edit', async () => {
    const { page } = await suite.signedIn('editrollback');
    await addTaskViaUi(page, 'Mow the lawn', 'Front and back');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let refused = 0;
    await page.route('**/api/*/tasks/*', async (route) => {
      if (route.request().method() !== 'PUT') return route.fallback();
      refused++;
      await held;
      return route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify(UNAVAILABLE) });
    });
    await taskItem(page, 'Mow the lawn').getByRole('button', { name: 'Edit' }).click();
    const editing = editForm(page);
    await editing.getByLabel('Title').fill('Mow the meadow');
    await editing.getByLabel('Description').fill('Only the back');
    await editing.getByRole('button', { name: 'Save' }).click();

    // Shown at once, while the request is on its way...
    await taskCheckbox(page, 'Mow the meadow').waitFor();
    await eventually(() => refused).toBe(1);
    release();

    // ...then refused: the form is back with what was typed and the server's reason.
    await eventually(() => editing.getByRole('alert').textContent()).toBe(
      'Service temporarily unavailable, please try again',
    );
    expect(await editing.getByLabel('Title').inputValue()).toBe('Mow the meadow');
    expect(await editing.getByLabel('Description').inputValue()).toBe('Only the back');
    expect(await taskCheckbox(page, 'Mow the meadow').count()).toBe(0);

    // Behind the form the task has its old title, as Cancel shows; the server never changed it.
    await editing.getByRole('button', { name: 'Cancel' }).click();
    await taskItem(page, 'Mow the lawn').getByText('Front and back').waitFor();
    expect(await taskCheckbox(page, 'Mow the meadow').count()).toBe(0);
    await page.unroute('**/api/*/tasks/*');
    await reloadDashboard(page);
    expect(await titles(page)).toEqual(['Mow the lawn']);
  });

  it('discards the changes when Cancel is pressed', async () => {
    const { page } = await suite.signedIn('editcancel');
    await addTaskViaUi(page, 'Water the plants');
    await taskItem(page, 'Water the plants').getByRole('button', { name: 'Edit' }).click();
    const editing = editForm(page);
    await editing.getByLabel('Title').fill('Water the cactus');
    await editing.getByRole('button', { name: 'Cancel' }).click();

    await taskCheckbox(page, 'Water the plants').waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await taskCheckbox(page, 'Water the cactus').count()).toBe(0);
    await reloadDashboard(page);
    expect(await titles(page)).toEqual(['Water the plants']);
  });
});

describe('completing a task', () => {
  it('ticks and unticks a task, updating the counts and keeping the state after a reload', async () => {
    const { page } = await suite.signedIn('toggle');
    await addTaskViaUi(page, 'Walk the dog');
    const checkbox = taskCheckbox(page, 'Walk the dog');

    await checkbox.check();
    await eventually(() => countsText(page)).toBe('1 task · 0 pending · 1 completed');
    await reloadDashboard(page);
    expect(await checkbox.isChecked()).toBe(true);

    await checkbox.uncheck();
    await eventually(() => countsText(page)).toBe('1 task · 1 pending · 0 completed');
    await reloadDashboard(page);
    expect(await checkbox.isChecked()).toBe(false);
  });

  it('shows the change at once, before the server has answered', async () => {
    const { page } = await suite.signedIn('optimistic');
    await addTaskViaUi(page, 'Fold the laundry');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const requested = new Promise<void>((resolve) => (arrived = resolve));
    await page.route('**/api/*/tasks/*/complete', async (route) => {
      arrived();
      await held;
      await route.continue();
    });

    await taskCheckbox(page, 'Fold the laundry').click();
    await requested;
    // The server has not answered yet, and the page already shows the task done.
    expect(await taskCheckbox(page, 'Fold the laundry').isChecked()).toBe(true);
    expect(await countsText(page)).toBe('1 task · 0 pending · 1 completed');

    const answered = page.waitForResponse((response) => response.url().endsWith('/complete'));
    release();
    expect((await answered).status()).toBe(200);
    await reloadDashboard(page);
    expect(await taskCheckbox(page, 'Fold the laundry').isChecked()).toBe(true);
  });

  it('ignores a second click while the first change is on its way, so the server ends with the task completed once', async () => {
    const { page } = await suite.signedIn('doubletoggle');
    await addTaskViaUi(page, 'Take out the bins');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let requests = 0;
    await page.route('**/api/*/tasks/*/complete', async (route) => {
      requests++;
      await held;
      await route.continue();
    });
    const checkbox = taskCheckbox(page, 'Take out the bins');

    await checkbox.click();
    await eventually(() => requests).toBe(1);
    await checkbox.click(); // the first PATCH is still held: this one must not send another
    expect(await checkbox.isChecked()).toBe(true);

    const answered = page.waitForResponse((response) => response.url().endsWith('/complete'));
    release();
    expect((await answered).status()).toBe(200);
    await eventually(() => countsText(page)).toBe('1 task · 0 pending · 1 completed');
    expect(requests).toBe(1);
    await page.unroute('**/api/*/tasks/*/complete');
    await reloadDashboard(page);
    expect(await checkbox.isChecked()).toBe(true);
    expect(requests).toBe(1);
  });

  it('puts the checkbox back and says why when the server refuses the change', async () => {
    const { page } = await suite.signedIn('rollback');
    await addTaskViaUi(page, 'Renew passport');
    let refused = 0;
    await page.route('**/api/*/tasks/*/complete', (route: Route) => {
      refused++;
      return route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify(UNAVAILABLE) });
    });

    await taskCheckbox(page, 'Renew passport').click();
    await eventually(() => refused).toBe(1);
    await eventually(() => page.getByRole('alert').textContent()).toBe(
      'Could not update “Renew passport”. Service temporarily unavailable, please try again',
    );
    expect(await taskCheckbox(page, 'Renew passport').isChecked()).toBe(false);
    expect(await countsText(page)).toBe('1 task · 1 pending · 0 completed');
  });
});

describe('deleting a task', () => {
  it('asks for confirmation, and Cancel keeps the task', async () => {
    const { page } = await suite.signedIn('deletecancel');
    await addTaskViaUi(page, 'Book dentist');
    await taskItem(page, 'Book dentist').getByRole('button', { name: 'Delete' }).click();

    const dialog = page.getByRole('dialog', { name: 'Delete task?' });
    await dialog.waitFor();
    await dialog.getByText('“Book dentist” will be deleted').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await taskCheckbox(page, 'Book dentist').waitFor();
    await reloadDashboard(page);
    expect(await titles(page)).toEqual(['Book dentist']);
  });

  it('deletes the task when Delete is pressed again inside the dialog', async () => {
    const { page } = await suite.signedIn('delete');
    await addTaskViaUi(page, 'Old chore');
    await addTaskViaUi(page, 'Keep me');
    await taskItem(page, 'Old chore').getByRole('button', { name: 'Delete' }).click();

    const dialog = page.getByRole('dialog', { name: 'Delete task?' });
    const answered = page.waitForResponse((response) => response.request().method() === 'DELETE');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await answered).status()).toBe(200);

    expect(await titles(page)).toEqual(['Keep me']);
    expect(await countsText(page)).toBe('1 task · 1 pending · 0 completed');
    await reloadDashboard(page);
    expect(await titles(page)).toEqual(['Keep me']);
  });

  it('comes back to "No tasks yet" once the last task is deleted', async () => {
    const { page } = await suite.signedIn('deletelast');
    await addTaskViaUi(page, 'Only task');
    await taskItem(page, 'Only task').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete task?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No tasks yet', { exact: true }).waitFor();
    await reloadDashboard(page);
    await page.getByText('No tasks yet', { exact: true }).waitFor();
  });
});

describe('filtering', () => {
  it('shows all, pending or completed tasks, with counts, and marks the chosen filter', async () => {
    const { page } = await suite.signedIn('filter');
    await addTaskViaUi(page, 'Pending one');
    await addTaskViaUi(page, 'Pending two');
    await addTaskViaUi(page, 'Done one');
    await taskCheckbox(page, 'Done one').check();
    await eventually(() => countsText(page)).toBe('3 tasks · 2 pending · 1 completed');

    const filters = page.getByRole('group', { name: 'Filter tasks' });
    const filter = (name: string) => filters.getByRole('button', { name, exact: true });

    await filter('Pending').click();
    await eventually(() => titles(page)).toEqual(['Pending two', 'Pending one']);
    expect(await filter('Pending').getAttribute('aria-pressed')).toBe('true');
    expect(await filter('All').getAttribute('aria-pressed')).toBe('false');

    await filter('Completed').click();
    await eventually(() => titles(page)).toEqual(['Done one']);
    expect(await filter('Completed').getAttribute('aria-pressed')).toBe('true');

    await filter('All').click();
    await eventually(() => titles(page)).toEqual(['Done one', 'Pending two', 'Pending one']);
    expect(await filter('All').getAttribute('aria-pressed')).toBe('true');
    expect(await countsText(page)).toBe('3 tasks · 2 pending · 1 completed');
  });

  it('moves a task out of the Pending view as soon as it is completed', async () => {
    const { page } = await suite.signedIn('filtermove');
    await addTaskViaUi(page, 'Finish report');
    const filters = page.getByRole('group', { name: 'Filter tasks' });
    await filters.getByRole('button', { name: 'Pending', exact: true }).click();
    await taskCheckbox(page, 'Finish report').click();
    await page.getByText('No pending tasks').waitFor();
    await filters.getByRole('button', { name: 'Completed', exact: true }).click();
    expect(await taskCheckbox(page, 'Finish report').isChecked()).toBe(true);
  });
});

describe('when the server cannot be reached', () => {
  it('says so and keeps the typed title in the add form', async () => {
    const { page } = await suite.signedIn('offline');
    await page.route('**/api/**', (route) => route.abort());
    const form = addForm(page);
    await form.getByLabel('Title').fill('Typed while offline');
    await form.getByLabel('Description').fill('Do not lose me');
    await form.getByRole('button', { name: 'Add task' }).click();

    await eventually(() => form.getByRole('alert').textContent()).toBe('Could not reach the server, please try again');
    expect(await form.getByLabel('Title').inputValue()).toBe('Typed while offline');
    expect(await form.getByLabel('Description').inputValue()).toBe('Do not lose me');
    expect(await taskCheckbox(page, 'Typed while offline').count()).toBe(0);

    // Once the network is back, the same press succeeds with what was kept.
    await page.unroute('**/api/**');
    await form.getByRole('button', { name: 'Add task' }).click();
    await eventually(() => taskCheckbox(page, 'Typed while offline').isEnabled()).toBe(true);
    await eventually(() => form.getByLabel('Title').inputValue()).toBe('');
  });
});

describe('privacy between people', () => {
  it('shows a second person none of the first person’s tasks', async () => {
    const { page: first } = await suite.signedIn('owner');
    await addTaskViaUi(first, 'Secret plan');
    await addTaskViaUi(first, 'Another secret');

    const { page: second } = await suite.signedIn('stranger');
    await second.getByText('No tasks yet', { exact: true }).waitFor();
    expect(await countsText(second)).toBe('0 tasks · 0 pending · 0 completed');
    expect(await second.getByText('Secret plan').count()).toBe(0);

    await addTaskViaUi(second, 'My own task');
    await reloadDashboard(first);
    expect(await titles(first)).toEqual(['Another secret', 'Secret plan']);
  });
});
