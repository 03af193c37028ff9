import { describe, expect, it } from 'vitest';
import { validateFields } from './field-errors.js';
import {
  createTaskBodySchema,
  listTasksQuerySchema,
  normalizeTag,
  tagProblem,
  taskCountsQuerySchema,
  updateTaskBodySchema,
} from './task-schemas.js';

describe('createTaskBodySchema', () => {
  it('trims the title and the description', () => {
    expect(createTaskBodySchema.parse({ title: ' Buy milk ', description: ' two litres ' })).toEqual({
      title: 'Buy milk',
      description: 'two litres',
      priority: 'medium',
      tags: [],
    });
  });

  it.each([
    ['a missing title', {}, { title: 'Title is required' }],
    ['a blank title', { title: '  ' }, { title: 'Title is required' }],
    ['a title that is not text', { title: 3 }, { title: 'Title must be text' }],
    ['a title of zero-width spaces', { title: '\u200B\u200C\u200D' }, { title: 'Title is required' }],
    ['a title of a blank Braille pattern', { title: '\u2800' }, { title: 'Title is required' }],
    ['a title with NUL', { title: 'Buy\u0000milk' }, { title: 'Title must not contain control characters' }],
    ['a title with a tab inside', { title: 'Buy\tmilk' }, { title: 'Title must not contain control characters' }],
    ['a title with a C1 control', { title: 'Buy\u0085milk' }, { title: 'Title must not contain control characters' }],
    [
      'a description with NUL',
      { title: 'ok', description: 'two\u0000litres' },
      { description: 'Description must not contain control characters' },
    ],
    [
      'a description with an escape sequence',
      { title: 'ok', description: '\u001B[31mred' },
      { description: 'Description must not contain control characters' },
    ],
    ['a title of 201 characters', { title: '😀'.repeat(201) }, { title: 'Title must be 200 characters or less' }],
    [
      'a description of 1001 characters',
      { title: 'ok', description: 'd'.repeat(1001) },
      { description: 'Description must be 1000 characters or less' },
    ],
    ['a description that is not text', { title: 'ok', description: 5 }, { description: 'Description must be text' }],
  ])('names each field wrong in %s with its sentence', (_case, body, fields) => {
    expect(validateFields(createTaskBodySchema, body)).toEqual(fields);
  });

  it('accepts 200 astral characters as a title and measures the description after trimming', () => {
    expect(
      validateFields(createTaskBodySchema, { title: '😀'.repeat(200), description: ` ${'d'.repeat(1000)} ` }),
    ).toEqual({});
  });
});

describe('a task description', () => {
  it('keeps tabs and line breaks: it may run over several lines', () => {
    expect(createTaskBodySchema.parse({ title: 'List', description: 'milk\r\n\teggs\nbread' })).toEqual({
      title: 'List',
      description: 'milk\r\n\teggs\nbread',
      priority: 'medium',
      tags: [],
    });
  });
});

describe('updateTaskBodySchema', () => {
  it('checks a new title as a created one is checked', () => {
    expect(validateFields(updateTaskBodySchema, { title: '\u200B' })).toEqual({ title: 'Title is required' });
    expect(validateFields(updateTaskBodySchema, { title: 'a\u0000' })).toEqual({
      title: 'Title must not contain control characters',
    });
  });

  it('asks for at least one change, next to the title', () => {
    expect(validateFields(updateTaskBodySchema, {})).toEqual({
      title: 'Send at least one of title, description, priority, tags, due_at, recurrence or completed',
    });
  });

  it('accepts a change of completed alone', () => {
    expect(updateTaskBodySchema.parse({ completed: true })).toEqual({ completed: true });
  });
});

describe('listTasksQuerySchema', () => {
  it('fills in the defaults', () => {
    expect(listTasksQuerySchema.parse({})).toEqual({ status: 'all', tz: 'UTC', sort: 'created', limit: 100 });
  });

  it('names the status when it is not one of the three', () => {
    expect(validateFields(listTasksQuerySchema, { status: 'done' })).toEqual({
      status: 'Status must be all, pending or completed',
    });
  });
});

describe('tags', () => {
  it('normalises a tag: trimmed and lower-cased, letters of any script', () => {
    expect(normalizeTag('  Work ')).toBe('work');
    expect(normalizeTag('ÉTÉ')).toBe('été');
    expect(normalizeTag('Дом')).toBe('дом');
  });

  it.each([
    ['', 'Each tag must be 1 to 30 characters'],
    ['x'.repeat(31), 'Each tag must be 1 to 30 characters'],
    ['a,b', 'Tags cannot contain commas'],
    ['tab\there', 'Tags cannot contain control characters'],
  ])('says what is wrong with %j', (tag, sentence) => {
    expect(tagProblem(tag)).toBe(sentence);
  });

  it('keeps the order given and drops duplicates after normalising', () => {
    expect(createTaskBodySchema.parse({ title: 't', tags: ['B', 'a', ' b', 'A ', 'c'] }).tags).toEqual(['b', 'a', 'c']);
  });

  it('names the field, never an item of it', () => {
    expect(validateFields(createTaskBodySchema, { title: 't', tags: ['ok', 7] })).toEqual({
      tags: 'Each tag must be 1 to 30 characters',
    });
  });
});

describe('the list and counts queries', () => {
  it('spell a time zone one way, and refuse one that does not exist', () => {
    expect(listTasksQuerySchema.parse({ tz: 'europe/paris' }).tz).toBe('Europe/Paris');
    expect(validateFields(taskCountsQuerySchema, { tz: 'Europe/Atlantis' })).toEqual({
      tz: 'Time zone must be an IANA name such as Europe/Paris',
    });
  });

  it('read an empty q, tag, priority or due as no filter', () => {
    expect(listTasksQuerySchema.parse({ q: '', tag: '', priority: '', due: '' })).toEqual(
      listTasksQuerySchema.parse({}),
    );
  });

  it('refuse an offset with a cursor, even an offset of 0', () => {
    expect(validateFields(listTasksQuerySchema, { cursor: 'c', offset: '0' })).toEqual({
      offset: 'Offset cannot be used with a cursor',
    });
  });
});
