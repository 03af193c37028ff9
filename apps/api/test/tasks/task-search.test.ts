import { describe, expect, it } from 'vitest';
import { taskApi } from '../support/task-api.js';
import { signUpUser, useTestApp } from '../support/test-app.js';

const ctx = useTestApp();

/** A user with these tasks; `find(q)` answers the titles `q` finds, in list order. */
async function userWith(tasks: { title: string; description?: string }[]) {
  const user = await signUpUser(ctx.app);
  const api = taskApi(ctx.app, user);
  for (const task of tasks) await api.create(task);
  return {
    api,
    find: async (q: string) => {
      const page = await api.page(`q=${encodeURIComponent(q)}`);
      return page.tasks.map((task) => task.title).sort();
    },
  };
}

describe('search: GET /api/{user_id}/tasks?q=', () => {
  it('finds a word anywhere in the title or the description, ignoring case', async () => {
    const { find } = await userWith([
      { title: 'Buy MILK', description: 'two litres' },
      { title: 'Call mum', description: 'about the milkman' },
      { title: 'Water plants' },
    ]);
    expect(await find('milk')).toEqual(['Buy MILK', 'Call mum']);
    expect(await find('LITRE')).toEqual(['Buy MILK']);
    expect(await find('ilk')).toEqual(['Buy MILK', 'Call mum']);
  });

  it('needs every word, each in the title or in the description, never across their join', async () => {
    const { find } = await userWith([
      { title: 'Buy milk', description: 'at the corner shop' },
      { title: 'Buy bread', description: 'milk too' },
      { title: 'Buy', description: 'nothing' },
      { title: 'end', description: 'start' },
    ]);
    expect(await find('buy milk')).toEqual(['Buy bread', 'Buy milk']);
    expect(await find('  milk   corner ')).toEqual(['Buy milk']);
    // "end" + "start" would read "endstart" if the two were joined.
    expect(await find('dsta')).toEqual([]);
    expect(await find('endst')).toEqual([]);
  });

  it.each([
    ['Cyrillic', 'Купить МОЛОКО', 'молоко'],
    ['Greek with final sigma', 'ΟΔΟΣ ΠΑΝΕΠΙΣΤΗΜΙΟΥ', 'οδος'],
    ['Greek sigma inside a word', 'Οδός', 'ΌΣ'],
    ['German sharp s', 'Straße fegen', 'STRASSE'],
    ['capital sharp s', 'GROẞ', 'groß'],
    ['Japanese', '牛乳を買う', '牛乳'],
    ['accents composed and decomposed', 'Cafe\u0301 au lait', 'café'],
    ['Turkish dotted capital I', 'İstanbul trip', 'i̇stanbul'],
    ['emoji', 'Party 🎉 prep', '🎉'],
    ['Arabic', 'شراء الحليب', 'الحليب'],
  ])('finds %s text with Unicode case folding', async (_script, title, q) => {
    const { find } = await userWith([{ title }, { title: 'Something else' }]);
    expect(await find(q)).toEqual([title]);
  });

  it.each([
    ['%', ['100% done']],
    ['_', ['snake_case']],
    ['\\', ['back\\slash']],
    ['0%', ['100% done']],
    ['e_c', ['snake_case']],
    ['%_\\', []],
  ])('treats %s literally', async (q, expected) => {
    const { find } = await userWith([
      { title: '100% done' },
      { title: 'snake_case' },
      { title: 'back\\slash' },
      { title: 'plain words' },
    ]);
    expect(await find(q)).toEqual(expected);
  });

  it('treats an empty or blank search as none', async () => {
    const { find } = await userWith([{ title: 'One' }, { title: 'Two' }]);
    expect(await find('')).toEqual(['One', 'Two']);
    expect(await find('   ')).toEqual(['One', 'Two']);
  });

  it('finds a task again after its title changes, by its new words only', async () => {
    const { api, find } = await userWith([]);
    const task = await api.create({ title: 'Old words' });
    await api.put(task.id, { title: 'Fresh TITLE', description: 'Ünïcode' });
    expect(await find('old')).toEqual([]);
    expect(await find('title ÜNÏ')).toEqual(['Fresh TITLE']);
    await api.put(task.id, { description: null });
    expect(await find('ünï')).toEqual([]);
  });

  it('accepts 100 characters and answers 400 naming q for 101', async () => {
    const { api } = await userWith([]);
    expect((await api.list(`q=${'é'.repeat(100)}`)).statusCode).toBe(200);
    const response = await api.list(`q=${'é'.repeat(101)}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'Search must be 100 characters or less',
      code: 'validation_failed',
      fields: { q: 'Search must be 100 characters or less' },
    });
  });

  it.each(['%00', '%07', '%1B%5B31m'])('answers 400 naming q for a control character (%s)', async (encoded) => {
    const { api } = await userWith([]);
    const response = await api.list(`q=a${encoded}b`);
    expect(response.statusCode).toBe(400);
    expect(response.json().fields).toEqual({ q: 'Search must not contain control characters' });
  });

  it('combines with the other filters and with paging', async () => {
    const { api } = await userWith([]);
    for (let i = 0; i < 5; i++) await api.create({ title: `Report ${i}`, priority: i % 2 ? 'high' : 'low' });
    await api.create({ title: 'Other', priority: 'high' });
    const first = await api.page('q=report&priority=high&limit=1');
    if (!first.next) throw new Error('no Link to a second page');
    const second = await api.page(first.next);
    expect([...first.tasks, ...second.tasks].map((task) => task.title)).toEqual(['Report 3', 'Report 1']);
    expect(second.next).toBeUndefined();
  });
});
