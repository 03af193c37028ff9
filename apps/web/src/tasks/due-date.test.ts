import { describe, expect, it } from 'vitest';
import { describeDue, dueAtOf, dueInputsOf, isInDueWindow } from './due-date';

// Local times throughout: the functions work in the time zone of whoever runs them, as the browser does.
const now = new Date(2026, 2, 12, 10, 0); // Thursday 12 March 2026, 10:00
const at = (day: number, hours: number, minutes = 0) => new Date(2026, 2, day, hours, minutes).toISOString();

describe('describeDue', () => {
  it.each([
    ['later today', at(12, 17), false, 'Today 17:00', false],
    ['tomorrow', at(13, 9, 30), false, 'Tomorrow 09:30', false],
    ['tomorrow with no time', dueAtOf('2026-03-13', ''), false, 'Tomorrow', false],
    ['earlier today', at(12, 9), false, 'Overdue · Today 09:00', true],
    ['yesterday', at(11, 9), false, 'Overdue · 1 day', true],
    ['two days ago', at(10, 18), false, 'Overdue · 2 days', true],
    ['two days ago but completed', at(10, 18), true, expect.not.stringContaining('Overdue') as string, false],
    ['yesterday and completed', at(11, 9), true, 'Yesterday 09:00', false],
  ])('says %s', (_case, dueAt, completed, text, overdue) => {
    const due = describeDue(dueAt!, completed, now);
    expect(due.text).toEqual(text);
    expect(due.overdue).toBe(overdue);
  });

  it('names a day later this week, and a date further out', () => {
    expect(describeDue(at(15, 8), false, now).text).toMatch(/^\S+ 08:00$/);
    expect(describeDue(at(30, 8), false, now).text).toMatch(/30/);
  });
});

describe('the due date inputs', () => {
  it('turn a date and a time into that local moment', () => {
    expect(dueAtOf('2026-03-12', '17:00')).toBe(at(12, 17));
  });

  it('read a date without a time as the end of that day, and give it back without a time', () => {
    const dueAt = dueAtOf('2026-03-12', '');
    expect(new Date(dueAt!).getTime()).toBe(new Date(2026, 2, 12, 23, 59, 59, 999).getTime());
    expect(dueInputsOf(dueAt!)).toEqual({ date: '2026-03-12', time: '' });
  });

  it('give back what was typed', () => {
    expect(dueInputsOf(dueAtOf('2026-12-01', '08:05')!)).toEqual({ date: '2026-12-01', time: '08:05' });
  });

  it('mean no due date when both are empty, and no valid date for a time alone or an impossible day', () => {
    expect(dueAtOf('', '')).toBeNull();
    expect(dueAtOf('', '17:00')).toBeUndefined();
    expect(dueAtOf('2026-02-30', '')).toBeUndefined();
  });
});

describe('isInDueWindow', () => {
  it('counts today and the six days after it as this week', () => {
    expect(isInDueWindow(at(12, 0), 'today', now)).toBe(true);
    expect(isInDueWindow(at(13, 0), 'today', now)).toBe(false);
    expect(isInDueWindow(at(18, 23), 'week', now)).toBe(true);
    expect(isInDueWindow(at(19, 0), 'week', now)).toBe(false);
    expect(isInDueWindow(null, 'week', now)).toBe(false);
  });
});
