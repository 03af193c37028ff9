import { describe, expect, it } from 'vitest';
import { nextDueAt } from './recurrence.js';

const next = (iso: string, recurrence: 'daily' | 'weekly' | 'monthly') =>
  nextDueAt(new Date(iso), recurrence).toISOString();

describe('nextDueAt', () => {
  it.each([
    ['2026-01-31T10:00:00.000Z', '2026-02-28T10:00:00.000Z'],
    ['2024-01-31T10:00:00.000Z', '2024-02-29T10:00:00.000Z'],
    ['2000-01-31T10:00:00.000Z', '2000-02-29T10:00:00.000Z'],
    ['2100-01-31T10:00:00.000Z', '2100-02-28T10:00:00.000Z'],
    ['2024-02-29T10:00:00.000Z', '2024-03-29T10:00:00.000Z'],
    ['2026-03-31T23:59:59.999Z', '2026-04-30T23:59:59.999Z'],
    ['2026-12-31T00:00:00.000Z', '2027-01-31T00:00:00.000Z'],
    ['2026-11-30T12:34:56.789Z', '2026-12-30T12:34:56.789Z'],
  ])('adds a calendar month in UTC to %s: %s', (from, to) => {
    expect(next(from, 'monthly')).toBe(to);
  });

  it.each([
    ['2026-02-28T22:00:00.000Z', 'daily', '2026-03-01T22:00:00.000Z'],
    ['2024-02-28T22:00:00.000Z', 'daily', '2024-02-29T22:00:00.000Z'],
    ['2026-12-31T23:00:00.000Z', 'daily', '2027-01-01T23:00:00.000Z'],
    ['2026-03-28T01:30:00.000Z', 'daily', '2026-03-29T01:30:00.000Z'],
    ['2026-12-29T08:00:00.000Z', 'weekly', '2027-01-05T08:00:00.000Z'],
    ['2024-02-26T08:00:00.000Z', 'weekly', '2024-03-04T08:00:00.000Z'],
  ] as const)('adds a day or a week of UTC time to %s (%s): %s', (from, recurrence, to) => {
    expect(next(from, recurrence)).toBe(to);
  });
});
