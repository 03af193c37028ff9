import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  addForm,
  addTaskViaUi,
  editForm,
  eventually,
  heading,
  isFocused,
  newPerson,
  submitSignIn,
  taskCheckbox,
  taskItem,
} from './support/browser';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

/** Waits until `locator` holds the keyboard focus; fails (after the usual wait) if it never does. */
async function expectFocused(locator: Locator): Promise<void> {
  await eventually(() => isFocused(locator)).toBe(true);
}

/** What has the focus, in words, for a failure message: "BODY" when it has fallen to the page. */
function focusedTag(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.tagName ?? 'none');
}

/** Presses a task's Delete, then Delete again in the confirmation, from the keyboard. */
async function deleteViaKeyboard(page: Page, title: string): Promise<void> {
  await taskItem(page, title).getByRole('button', { name: 'Delete' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Delete task?' });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await taskCheckbox(page, title).waitFor({ state: 'detached' });
}

describe('where the focus goes after a change', () => {
  it('returns the focus to the task’s checkbox after saving an edit', async () => {
    const { page } = await suite.signedIn('editfocus');
    await addTaskViaUi(page, 'Buy milk');
    await taskItem(page, 'Buy milk').getByRole('button', { name: 'Edit' }).click();
    await editForm(page).getByLabel('Title').fill('Buy oat milk');
    await page.keyboard.press('Enter');

    await expectFocused(taskCheckbox(page, 'Buy oat milk'));
    await eventually(() => taskCheckbox(page, 'Buy oat milk').isEnabled()).toBe(true);
  });

  it('moves the focus to the next task after a delete, the previous after the last, then to the heading', async () => {
    const { page } = await suite.signedIn('deletefocus');
    await addTaskViaUi(page, 'Oldest');
    await addTaskViaUi(page, 'Middle');
    await addTaskViaUi(page, 'Newest'); // the list reads Newest, Middle, Oldest

    await deleteViaKeyboard(page, 'Middle');
    await expectFocused(taskCheckbox(page, 'Oldest'));

    await deleteViaKeyboard(page, 'Oldest');
    await expectFocused(taskCheckbox(page, 'Newest'));

    await deleteViaKeyboard(page, 'Newest');
    await page.getByText('No tasks yet', { exact: true }).waitFor();
    await expectFocused(heading(page, 'My tasks'));
  });

  it('returns the focus to Delete when the confirmation is cancelled, by Escape or by Cancel', async () => {
    const { page } = await suite.signedIn('cancelfocus');
    await addTaskViaUi(page, 'Keep me');
    const deleteButton = taskItem(page, 'Keep me').getByRole('button', { name: 'Delete' });
    const dialog = page.getByRole('dialog', { name: 'Delete task?' });

    await deleteButton.click();
    await expectFocused(dialog.getByRole('button', { name: 'Cancel' }));
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expectFocused(deleteButton);

    await deleteButton.click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectFocused(deleteButton);
  });

  it('puts the focus on a task brought back by Undo', async () => {
    const { page } = await suite.signedIn('undofocus');
    await addTaskViaUi(page, 'Bring me back');
    await deleteViaKeyboard(page, 'Bring me back');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expectFocused(taskCheckbox(page, 'Bring me back'));
  });

  it('returns the focus to "Clear completed" on Cancel, and to the heading once it has cleared', async () => {
    const { page } = await suite.signedIn('clearfocus');
    await addTaskViaUi(page, 'Done already');
    await addTaskViaUi(page, 'Still to do');
    await taskCheckbox(page, 'Done already').check();
    const clear = page.getByRole('button', { name: 'Clear completed' });
    const dialog = page.getByRole('dialog', { name: 'Clear completed tasks?' });

    await clear.click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectFocused(clear);

    await clear.click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await clear.waitFor({ state: 'detached' });
    await expectFocused(heading(page, 'My tasks'));
  });

  it('puts the focus back in the title input after "Add task", ready for the next one', async () => {
    const { page } = await suite.signedIn('addfocus');
    await addTaskViaUi(page, 'First of many');
    await expectFocused(addForm(page).getByLabel('Title'));
  });

  it('focuses the form’s message after a failed sign-in', async () => {
    const { person } = await suite.signedIn('wrongpassword');
    const page = await suite.newPage();
    await page.goto('/auth/signin');
    await submitSignIn(page, person.email, 'not the right password');

    const alert = page.getByRole('alert').filter({ hasText: 'Invalid email or password' });
    await expectFocused(alert);
  });

  it('focuses the form’s message when sign-up cannot reach the server', async () => {
    const page = await suite.newPage();
    await page.route('**/api/auth/signup', (route) => route.abort());
    await page.goto('/auth/signup');
    const person = newPerson('offline');
    await page.getByLabel('Name').fill(person.name);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign up' }).click();

    await expectFocused(page.getByRole('alert').filter({ hasText: 'Could not reach the server, please try again' }));
  });
});

describe('editing a task in place', () => {
  it('labels the edit form with the task it edits', async () => {
    const { page } = await suite.signedIn('editlabel');
    await addTaskViaUi(page, 'Buy milk');
    await taskItem(page, 'Buy milk').getByRole('button', { name: 'Edit' }).click();

    const form = page.getByRole('form', { name: 'Edit “Buy milk”' });
    await form.waitFor();
    expect(await form.getByLabel('Title').inputValue()).toBe('Buy milk');
    expect(await form.getByLabel('Description').count()).toBe(1);
    expect(await form.getByRole('button', { name: 'Save' }).count()).toBe(1);
    expect(await form.getByRole('button', { name: 'Cancel' }).count()).toBe(1);
  });

  it('cancels the edit with Escape, keeping the task as it was, and focuses its checkbox', async () => {
    const { page } = await suite.signedIn('escape');
    await addTaskViaUi(page, 'Water the plants');
    await taskItem(page, 'Water the plants').getByRole('button', { name: 'Edit' }).click();
    const title = editForm(page).getByLabel('Title');
    await expectFocused(title);
    await title.fill('Something else entirely');
    await page.keyboard.press('Escape');

    await editForm(page).waitFor({ state: 'detached' });
    await expectFocused(taskCheckbox(page, 'Water the plants'));
    expect(await page.getByText('Something else entirely').count()).toBe(0);
  });

  it('toggles a task only from its checkbox, not when its title is clicked', async () => {
    const { page } = await suite.signedIn('titleclick');
    await addTaskViaUi(page, 'Read the title');
    const checkbox = taskCheckbox(page, 'Read the title');

    // A label bound to the checkbox would tick it at once, in the click itself.
    await taskItem(page, 'Read the title').getByText('Read the title', { exact: true }).click();
    expect(await checkbox.isChecked()).toBe(false);

    await checkbox.check();
    await eventually(() => checkbox.isChecked()).toBe(true);
  });
});

describe('page titles and headings', () => {
  it('gives every page its own document title', async () => {
    const page = await suite.newPage();
    await page.goto('/auth/signin');
    await heading(page, 'Sign in').waitFor();
    expect(await page.title()).toBe('Sign in – Todo');

    await page.goto('/auth/signup');
    await heading(page, 'Create your account').waitFor();
    expect(await page.title()).toBe('Create your account – Todo');

    await page.goto('/no/such/page');
    await heading(page, 'Page not found').waitFor();
    expect(await page.title()).toBe('Page not found – Todo');

    const signedIn = await suite.signedIn('titles');
    await eventually(() => signedIn.page.title()).toBe('My tasks – Todo');
  });

  it('moves the focus to the new page’s heading on navigation within the app, not on the first load', async () => {
    const page = await suite.newPage();
    await page.goto('/auth/signin');
    await heading(page, 'Sign in').waitFor();
    expect(await focusedTag(page)).toBe('BODY');

    await page.getByRole('link', { name: 'Sign up' }).click();
    await expectFocused(heading(page, 'Create your account'));
    expect(await page.title()).toBe('Create your account – Todo');

    const person = newPerson('headingfocus');
    await page.getByLabel('Name').fill(person.name);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expectFocused(heading(page, 'My tasks'));
  });
});

describe('keyboard shortcuts', () => {
  it('focuses the new task’s title with "n" and the search box with "/", typing neither', async () => {
    const { page } = await suite.signedIn('shortcuts');
    const title = addForm(page).getByLabel('Title');
    const search = page.getByLabel('Search tasks');

    await heading(page, 'My tasks').focus();
    await page.keyboard.press('n');
    await expectFocused(title);
    expect(await title.inputValue()).toBe('');

    await heading(page, 'My tasks').focus();
    await page.keyboard.press('/');
    await expectFocused(search);
    expect(await search.inputValue()).toBe('');
  });

  it('leaves the keys to a field being typed in', async () => {
    const { page } = await suite.signedIn('typing');
    const title = addForm(page).getByLabel('Title');
    await title.focus();
    await page.keyboard.type('n/?');
    expect(await title.inputValue()).toBe('n/?');
    expect(await isFocused(title)).toBe(true);
    expect(await page.getByRole('dialog').count()).toBe(0);

    const description = addForm(page).getByLabel('Description');
    await description.focus();
    await page.keyboard.type('/n');
    expect(await description.inputValue()).toBe('/n');
    expect(await isFocused(description)).toBe(true);
  });

  it.each(['Control', 'Alt', 'Meta'])('does nothing with %s held', async (modifier) => {
    const { page } = await suite.signedIn(`modifier${modifier.toLowerCase()}`);
    const h1 = heading(page, 'My tasks');
    await h1.focus();
    await page.keyboard.press(`${modifier}+n`);
    await page.keyboard.press(`${modifier}+Slash`);
    expect(await isFocused(h1)).toBe(true);
    // The same key without the modifier is the shortcut, so the page was listening all along.
    await page.keyboard.press('n');
    await expectFocused(addForm(page).getByLabel('Title'));
  });

  it('lists the shortcuts with "?", closes the list with Escape and returns the focus', async () => {
    const { page } = await suite.signedIn('shortcutlist');
    const signOut = page.getByRole('button', { name: 'Sign out' });
    await signOut.focus();
    await page.keyboard.press('?');

    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    for (const text of ['Add a new task', 'Search tasks', 'Show keyboard shortcuts']) {
      await dialog.getByText(text, { exact: true }).waitFor();
    }
    await expectFocused(dialog.getByRole('button', { name: 'Close' }));
    // The page behind the open list takes no shortcuts.
    await page.keyboard.press('n');
    expect(await isFocused(addForm(page).getByLabel('Title'))).toBe(false);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expectFocused(signOut);
  });
});

describe('the error summary', () => {
  /** The summary's links, as [text, the id their href points to]. */
  async function summaryLinks(summary: Locator): Promise<[string, string][]> {
    return summary
      .getByRole('link')
      .evaluateAll((links) => links.map((link) => [link.textContent ?? '', link.getAttribute('href') ?? '']));
  }

  it('sums up the sign-up form’s errors above it, with a link to each field that focuses it', async () => {
    const page = await suite.newPage();
    await page.goto('/auth/signup');
    await page.getByRole('button', { name: 'Sign up' }).click();

    const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'There is a problem' }) });
    await summary.waitFor();
    const ids = await Promise.all(
      ['Name', 'Email', 'Password'].map((label) => page.getByLabel(label).getAttribute('id')),
    );
    expect(await summaryLinks(summary)).toEqual([
      ['Name', `#${ids[0]}`],
      ['Email', `#${ids[1]}`],
      ['Password', `#${ids[2]}`],
    ]);
    // The contract still holds: the first invalid field has the focus.
    await expectFocused(page.getByLabel('Name'));

    await summary.getByRole('link', { name: 'Password' }).click();
    await expectFocused(page.getByLabel('Password'));
    await summary.getByRole('link', { name: 'Email' }).focus();
    await page.keyboard.press('Enter');
    await expectFocused(page.getByLabel('Email'));
  });

  it('sums up the sign-in form’s two errors', async () => {
    const page = await suite.newPage();
    await page.goto('/auth/signin');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect((await summaryLinks(summary)).map(([text]) => text)).toEqual(['Email', 'Password']);
    await expectFocused(page.getByLabel('Email'));
  });

  it('shows the inline error alone when only one field is wrong', async () => {
    const page = await suite.newPage();
    await page.goto('/auth/signin');
    await page.getByLabel('Email').fill(newPerson().email);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await eventually(() => page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('There is a problem').count()).toBe(0);
  });

  it('sums up a task form’s errors, and goes away once they are fixed', async () => {
    const { page } = await suite.signedIn('tasksummary');
    const form = addForm(page);
    await form.getByLabel('Description').fill('x'.repeat(1001));
    await form.getByRole('button', { name: 'Add task' }).click();

    const summary = form.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect((await summaryLinks(summary)).map(([text]) => text)).toEqual(['Title', 'Description']);
    await summary.getByRole('link', { name: 'Description' }).click();
    await expectFocused(form.getByLabel('Description'));

    await form.getByLabel('Title').fill('Short and sweet');
    await form.getByLabel('Description').fill('Fine now');
    await form.getByRole('button', { name: 'Add task' }).click();
    await taskCheckbox(page, 'Short and sweet').waitFor();
    expect(await summary.count()).toBe(0);
  });
});
