import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  reloadDashboard,
  taskTitles as titles,
  addForm,
  countsLine,
  countsText,
  eventually,
  heading,
  taskCheckbox,
  taskItem,
  taskList,
} from './support/browser';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

interface SeedTask {
  title: string;
  description?: string;
  priority?: 'low' | 'medium' | 'high';
  tags?: string[];
  due_at?: string | null;
  recurrence?: 'daily' | 'weekly' | 'monthly' | null;
  completed?: boolean;
}

/**
 * Creates tasks through the API from inside the signed-in page (its cookie, its Origin), a batch at a
 * time: hundreds in seconds, where the form would take minutes. Answers how many the server accepted.
 */
async function seedTasks(page: Page, tasks: SeedTask[]): Promise<number> {
  return page.evaluate(async (all) => {
    const me = await (await fetch('/api/auth/me')).json();
    const base = `/api/${me.user.id}/tasks`;
    const json = { 'Content-Type': 'application/json' };
    let created = 0;
    for (let start = 0; start < all.length; start += 20) {
      await Promise.all(
        all.slice(start, start + 20).map(async ({ completed, ...body }) => {
          const response = await fetch(base, { method: 'POST', headers: json, body: JSON.stringify(body) });
          if (response.status !== 201) throw new Error(`POST answered ${response.status}`);
          const task = await response.json();
          if (completed) {
            const put = await fetch(`${base}/${task.id}`, {
              method: 'PUT',
              headers: json,
              body: JSON.stringify({ completed: true }),
            });
            if (put.status !== 200) throw new Error(`PUT answered ${put.status}`);
          }
          created++;
        }),
      );
    }
    return created;
  }, tasks);
}

/** The person's tasks as the server has them, newest first (up to 500). */
function serverTasks(page: Page): Promise<any[]> {
  return page.evaluate(async () => {
    const me = await (await fetch('/api/auth/me')).json();
    return (await fetch(`/api/${me.user.id}/tasks?limit=500`)).json();
  });
}

/** A local calendar day `offset` days from today, as a date input wants it ("2026-03-12"), in the browser. */
function localDate(page: Page, offset: number): Promise<string> {
  return page.evaluate((days) => {
    const day = new Date();
    day.setDate(day.getDate() + days);
    const pad = (value: number) => String(value).padStart(2, '0');
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
  }, offset);
}

async function openMoreOptions(page: Page): Promise<Locator> {
  const form = addForm(page);
  const toggle = form.getByRole('button', { name: 'More options' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  return form;
}

/** The sentence a field is described by: its error or its hint. */
async function descriptionOf(page: Page, field: Locator): Promise<string> {
  const ids = (await field.getAttribute('aria-describedby')) ?? '';
  return page.evaluate(
    (list) =>
      list
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .filter(Boolean)
        .join(' '),
    ids,
  );
}

function toast(page: Page): Locator {
  return page.getByRole('status').filter({ has: page.locator('.toast') });
}

describe('adding with more options', () => {
  it('adds a task with a due date, a priority and tags, and shows the due date relative to today', async () => {
    const { page } = await suite.signedIn('dueandtags');
    await countsLine(page).waitFor();
    const form = await openMoreOptions(page);
    await form.getByLabel('Title').fill('Water the garden');
    await form.getByLabel('Due date').fill(await localDate(page, 1));
    await form.getByLabel('Due time').fill('09:30');
    expect(await form.getByLabel('Priority').inputValue()).toBe('medium');
    await form.getByLabel('Priority').selectOption({ label: 'High' });
    expect(await form.getByLabel('Repeat').inputValue()).toBe('');

    const tags = form.getByLabel('Tags', { exact: true });
    await tags.fill('Home');
    await tags.press('Enter');
    await tags.pressSequentially('garden,');
    await tags.pressSequentially('weekend');
    await tags.press('Enter');
    expect(await tags.inputValue()).toBe('');
    await form.getByRole('button', { name: 'Remove tag weekend' }).click();
    await form.getByRole('button', { name: 'Remove tag home' }).waitFor();
    await form.getByRole('button', { name: 'Remove tag garden' }).waitFor();
    expect(await form.getByRole('button', { name: 'Remove tag weekend' }).count()).toBe(0);
    await form.getByRole('button', { name: 'Add task' }).click();

    await page.getByRole('checkbox', { name: 'Water the garden', disabled: false }).waitFor();
    const item = taskItem(page, 'Water the garden');
    await item.getByText('Tomorrow 09:30', { exact: true }).waitFor();
    await item.getByText('High priority').waitFor();
    await item.getByRole('button', { name: 'Show tasks tagged home' }).waitFor();
    await item.getByRole('button', { name: 'Show tasks tagged garden' }).waitFor();
    expect(await item.getByText('Overdue').count()).toBe(0);
    // The form is empty again, options included.
    expect(await form.getByLabel('Title').inputValue()).toBe('');
    expect(await form.getByLabel('Due date').inputValue()).toBe('');
    expect(await form.getByRole('button', { name: /^Remove tag/ }).count()).toBe(0);

    const [saved] = await serverTasks(page);
    expect(saved).toMatchObject({ title: 'Water the garden', priority: 'high', tags: ['home', 'garden'] });
    expect(new Date(saved.due_at).getHours()).toBe(9);
    await reloadDashboard(page);
    await taskItem(page, 'Water the garden').getByText('Tomorrow 09:30', { exact: true }).waitFor();
  });

  it('marks an overdue task by text and by colour, and counts it', async () => {
    const { page } = await suite.signedIn('overdue');
    await countsLine(page).waitFor();
    const form = await openMoreOptions(page);
    await form.getByLabel('Title').fill('Pay the bill');
    await form.getByLabel('Due date').fill(await localDate(page, -2));
    await form.getByLabel('Due time').fill('10:00');
    await form.getByRole('button', { name: 'Add task' }).click();
    await form.getByLabel('Title').fill('Plan the trip');
    await form.getByLabel('Due date').fill(await localDate(page, 3));
    await form.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('checkbox', { name: 'Plan the trip', disabled: false }).waitFor();

    const overdue = taskItem(page, 'Pay the bill').getByText('Overdue · 2 days', { exact: true });
    await overdue.waitFor();
    const notOverdue = taskItem(page, 'Plan the trip').locator('time');
    expect(await notOverdue.textContent()).not.toContain('Overdue');
    const colour = (locator: Locator) => locator.evaluate((element) => getComputedStyle(element).color);
    expect(await colour(overdue)).not.toBe(await colour(notOverdue));
    await eventually(() => countsLine(page).locator('..').textContent()).toContain('1 overdue');

    // Done is not overdue.
    await taskCheckbox(page, 'Pay the bill').check();
    await eventually(() =>
      taskItem(page, 'Pay the bill')
        .getByText(/Overdue/)
        .count(),
    ).toBe(0);
    await eventually(() => countsLine(page).locator('..').textContent()).not.toContain('overdue');
  });

  it('refuses a repeat without a due date on the Repeat field, with the shared sentence', async () => {
    const { page } = await suite.signedIn('repeatnodue');
    await countsLine(page).waitFor();
    const form = await openMoreOptions(page);
    await form.getByLabel('Title').fill('Stretch');
    const repeat = form.getByLabel('Repeat');
    expect(await descriptionOf(page, repeat)).toBe('A repeating task needs a due date');
    await repeat.selectOption({ label: 'Daily' });
    await form.getByRole('button', { name: 'Add task' }).click();

    await eventually(() => repeat.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(page, repeat)).toBe('A repeating task needs a due date');
    expect(await repeat.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await countsText(page)).toBe('0 tasks · 0 pending · 0 completed');
    expect(await serverTasks(page)).toEqual([]);

    await form.getByLabel('Due date').fill(await localDate(page, 0));
    await form.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('checkbox', { name: 'Stretch', disabled: false }).waitFor();
    await taskItem(page, 'Stretch').getByText('Repeats daily').waitFor();
    expect((await serverTasks(page))[0]).toMatchObject({ title: 'Stretch', recurrence: 'daily' });
  });
});

describe('completing a repeating task', () => {
  it('shows the next occurrence the server made, due a week later', async () => {
    const { page } = await suite.signedIn('repeat');
    const due = await page.evaluate(() => {
      const day = new Date();
      day.setDate(day.getDate() + 1);
      day.setHours(9, 0, 0, 0);
      return day.toISOString();
    });
    await seedTasks(page, [{ title: 'Water the plants', due_at: due, recurrence: 'weekly' }]);
    await reloadDashboard(page);
    await taskItem(page, 'Water the plants').getByText('Tomorrow 09:00').waitFor();

    await taskCheckbox(page, 'Water the plants').check();
    const boxes = page.getByRole('checkbox', { name: 'Water the plants', exact: true });
    await eventually(() => boxes.count()).toBe(2);
    expect(await boxes.nth(0).isChecked()).toBe(false);
    expect(await boxes.nth(1).isChecked()).toBe(true);
    await eventually(() => countsText(page)).toBe('2 tasks · 1 pending · 1 completed');
    const next = (await serverTasks(page)).find((task) => !task.completed);
    expect(new Date(next.due_at).getTime() - new Date(due).getTime()).toBe(7 * 24 * 60 * 60 * 1000);
  });
});

describe('searching', () => {
  it('filters as one types, keeps the search in the URL and keeps it after a reload', async () => {
    const { page } = await suite.signedIn('search');
    await seedTasks(page, [
      { title: 'Buy milk' },
      { title: 'Call mum', description: 'About the bread' },
      { title: 'Walk' },
    ]);
    await reloadDashboard(page);
    expect(await countsText(page)).toBe('3 tasks · 3 pending · 0 completed');

    await page.getByLabel('Search tasks').pressSequentially('BREAD', { delay: 30 });
    await eventually(() => new URL(page.url()).searchParams.get('q')).toBe('BREAD');
    await eventually(() => titles(page)).toEqual(['Call mum']);
    await eventually(() => countsText(page)).toBe('1 task · 1 pending · 0 completed');

    await reloadDashboard(page);
    expect(await page.getByLabel('Search tasks').inputValue()).toBe('BREAD');
    await eventually(() => titles(page)).toEqual(['Call mum']);
    expect(await countsText(page)).toBe('1 task · 1 pending · 0 completed');

    await page.getByLabel('Search tasks').fill('');
    await eventually(() => new URL(page.url()).searchParams.has('q')).toBe(false);
    await eventually(async () => (await titles(page)).sort()).toEqual(['Buy milk', 'Call mum', 'Walk']);
  });

  it('comes to the search box when / is pressed outside a text field, and not inside one', async () => {
    const { page } = await suite.signedIn('slash');
    await countsLine(page).waitFor();
    const search = page.getByLabel('Search tasks');
    await heading(page, 'My tasks').click();
    await page.keyboard.press('/');
    expect(await search.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await search.inputValue()).toBe('');

    const title = addForm(page).getByLabel('Title');
    await title.click();
    await page.keyboard.type('a/b');
    expect(await title.inputValue()).toBe('a/b');
    expect(await title.evaluate((element) => element === document.activeElement)).toBe(true);
  });
});

describe('filtering by tag', () => {
  it('shows only the tasks with a tag when the tag is pressed, with the tag in the URL', async () => {
    const { page } = await suite.signedIn('tagfilter');
    await seedTasks(page, [
      { title: 'Write report', tags: ['work'] },
      { title: 'Buy paint', tags: ['home'] },
      { title: 'Book meeting room', tags: ['work', 'office'] },
    ]);
    await reloadDashboard(page);
    expect(await countsText(page)).toBe('3 tasks · 3 pending · 0 completed');

    await taskItem(page, 'Write report').getByRole('button', { name: 'Show tasks tagged work' }).click();
    await eventually(() => new URL(page.url()).searchParams.get('tag')).toBe('work');
    await eventually(() => titles(page)).toEqual(['Book meeting room', 'Write report']);
    await eventually(() => countsText(page)).toBe('2 tasks · 2 pending · 0 completed');
    expect(await page.getByLabel('Filter by tag').inputValue()).toBe('work');

    await reloadDashboard(page);
    await eventually(() => titles(page)).toEqual(['Book meeting room', 'Write report']);
    expect(await countsText(page)).toBe('2 tasks · 2 pending · 0 completed');

    await page.getByLabel('Filter by tag').selectOption('');
    await eventually(() => new URL(page.url()).searchParams.has('tag')).toBe(false);
    await eventually(() => titles(page)).toEqual(['Book meeting room', 'Buy paint', 'Write report']);
  });
});

describe('a long list', () => {
  it('loads 520 tasks a page at a time, on scrolling and on "Load more", with the server’s counts', async () => {
    const { page } = await suite.signedIn('longlist');
    const titlesWanted = Array.from({ length: 520 }, (_, index) => `Task ${String(index + 1).padStart(3, '0')}`);
    expect(
      await seedTasks(
        page,
        titlesWanted.map((title) => ({ title })),
      ),
    ).toBe(520);

    // The first following page fails once: the list says so and offers to try again.
    let failedOnce = false;
    await page.route('**/api/*/tasks?*cursor=*', async (route) => {
      if (failedOnce) return route.fallback();
      failedOnce = true;
      return route.abort();
    });
    await reloadDashboard(page);
    const items = taskList(page).getByRole('listitem');
    // Counted by the server, though only the first page is here.
    expect(await countsText(page)).toBe('520 tasks · 520 pending · 0 completed');
    expect(await items.count()).toBe(100);

    // Scrolling near the end asks for the next page by itself...
    await page.getByRole('button', { name: 'Load more' }).scrollIntoViewIfNeeded();
    await eventually(() => page.getByRole('alert').textContent()).toBe(
      'Could not load more tasks. Could not reach the server, please try again',
    );
    expect(await items.count()).toBe(100);
    await page.getByRole('button', { name: 'Try again' }).click();
    await eventually(() => items.count()).toBeGreaterThanOrEqual(200);
    expect(await page.getByRole('alert').count()).toBe(0);

    // ...and "Load more" brings the rest, until there is no more to load.
    const loadMore = page.getByRole('button', { name: 'Load more' });
    for (let presses = 0; presses < 10 && (await items.count()) < 520; presses++) {
      const before = await items.count();
      await loadMore.click(); // waits while a page is loading (the button then reads "Loading more tasks…")
      await eventually(() => items.count()).toBeGreaterThan(before);
    }
    expect(await items.count()).toBe(520);
    await eventually(() => loadMore.count()).toBe(0);
    const shown = await titles(page);
    expect(new Set(shown).size).toBe(520);
    expect([...shown].sort()).toEqual(titlesWanted);
    expect(await countsText(page)).toBe('520 tasks · 520 pending · 0 completed');
  });
});

describe('clearing completed tasks', () => {
  it('asks first, then deletes every completed task and says how many', async () => {
    const { page } = await suite.signedIn('clear');
    await seedTasks(page, [
      { title: 'Done one', completed: true },
      { title: 'Done two', completed: true },
      { title: 'Done three', completed: true },
      { title: 'Still to do' },
      { title: 'Also to do' },
    ]);
    await reloadDashboard(page);
    expect(await countsText(page)).toBe('5 tasks · 2 pending · 3 completed');

    const clear = page.getByRole('button', { name: 'Clear completed' });
    await clear.click();
    const dialog = page.getByRole('dialog', { name: 'Clear completed tasks?' });
    await dialog.getByText('3 completed tasks will be deleted').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await serverTasks(page)).length).toBe(5);

    await clear.click();
    const answered = page.waitForResponse(
      (response) => response.request().method() === 'DELETE' && response.url().includes('status=completed'),
    );
    await dialog.getByRole('button', { name: 'Delete' }).click();
    expect(await (await answered).json()).toEqual({ deleted: 3 });
    await eventually(() => toast(page).textContent()).toBe('Deleted 3 completed tasks');
    await eventually(() => countsText(page)).toBe('2 tasks · 2 pending · 0 completed');
    expect((await titles(page)).sort()).toEqual(['Also to do', 'Still to do']);
    expect(await clear.count()).toBe(0);

    await reloadDashboard(page);
    expect((await titles(page)).sort()).toEqual(['Also to do', 'Still to do']);
    expect(await countsText(page)).toBe('2 tasks · 2 pending · 0 completed');
  });
});

describe('undoing a delete', () => {
  it('puts a deleted task back, with all it had, when Undo is pressed', async () => {
    const { page } = await suite.signedIn('undo');
    await seedTasks(page, [
      { title: 'Keep this one' },
      {
        title: 'Renew the insurance',
        description: 'Car and house',
        priority: 'high',
        tags: ['money', 'home'],
        due_at: '2030-05-01T08:15:00.000Z',
        completed: true,
      },
    ]);
    await reloadDashboard(page);
    expect(await countsText(page)).toBe('2 tasks · 1 pending · 1 completed');
    const [before] = (await serverTasks(page)).filter((task) => task.title === 'Renew the insurance');

    await taskItem(page, 'Renew the insurance').getByRole('button', { name: 'Delete' }).click();
    const deleted = page.waitForResponse((response) => response.request().method() === 'DELETE');
    await page.getByRole('dialog', { name: 'Delete task?' }).getByRole('button', { name: 'Delete' }).click();
    expect((await deleted).status()).toBe(200);
    await eventually(() => toast(page).getByText('Task deleted').count()).toBe(1);
    expect(await taskCheckbox(page, 'Renew the insurance').count()).toBe(0);
    await eventually(() => countsText(page)).toBe('1 task · 1 pending · 0 completed');

    await toast(page).getByRole('button', { name: 'Undo' }).click();
    await eventually(() => taskCheckbox(page, 'Renew the insurance').isChecked()).toBe(true);
    await eventually(() => countsText(page)).toBe('2 tasks · 1 pending · 1 completed');
    const item = taskItem(page, 'Renew the insurance');
    await item.getByText('Car and house').waitFor();
    await item.getByText('High priority').waitFor();
    await item.getByRole('button', { name: 'Show tasks tagged money' }).waitFor();

    const after = (await serverTasks(page)).filter((task) => task.title === 'Renew the insurance');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      description: 'Car and house',
      priority: 'high',
      tags: ['money', 'home'],
      due_at: before.due_at,
      recurrence: null,
      completed: true,
    });
    await reloadDashboard(page);
    expect(await taskCheckbox(page, 'Renew the insurance').isChecked()).toBe(true);
  });

  it('lets the message go after five seconds, and then the task stays deleted', async () => {
    const { page } = await suite.signedIn('undogone');
    await seedTasks(page, [{ title: 'Old chore' }]);
    await reloadDashboard(page);
    await taskItem(page, 'Old chore').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete task?' }).getByRole('button', { name: 'Delete' }).click();
    const undo = page.getByRole('button', { name: 'Undo' });
    await undo.waitFor();
    const shownAt = Date.now();
    await undo.waitFor({ state: 'detached', timeout: 10_000 });
    expect(Date.now() - shownAt).toBeGreaterThan(4_000);
    expect(await serverTasks(page)).toEqual([]);
    await page.getByText('No tasks yet', { exact: true }).waitFor();
  });
});
