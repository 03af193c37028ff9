import { describe, expect, it } from 'vitest';
import { zonedDays } from './zoned-day.js';

const days = (now: string, timeZone: string, count = 1) => {
  const { start, end } = zonedDays(new Date(now), timeZone, count);
  return [start.toISOString(), end.toISOString()];
};

describe('zonedDays', () => {
  it('gives the calendar day in UTC and in fixed offsets either side of it', () => {
    expect(days('2026-06-15T12:00:00Z', 'UTC')).toEqual(['2026-06-15T00:00:00.000Z', '2026-06-16T00:00:00.000Z']);
    expect(days('2026-06-15T20:00:00Z', 'Asia/Kolkata')).toEqual([
      '2026-06-15T18:30:00.000Z',
      '2026-06-16T18:30:00.000Z',
    ]);
    expect(days('2026-06-15T04:59:59Z', 'America/Lima')).toEqual([
      '2026-06-14T05:00:00.000Z',
      '2026-06-15T05:00:00.000Z',
    ]);
  });

  it('gives a day of 23 hours when the clocks go forward and of 25 when they go back', () => {
    expect(days('2026-03-29T12:00:00Z', 'Europe/Paris')).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
    expect(days('2026-10-25T12:00:00Z', 'Europe/Paris')).toEqual([
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ]);
  });

  it('runs a week of 7 calendar days across a change of the clocks', () => {
    expect(days('2026-03-26T12:00:00Z', 'America/New_York', 7)).toEqual([
      '2026-03-26T04:00:00.000Z',
      '2026-04-02T04:00:00.000Z',
    ]);
    expect(days('2026-03-05T12:00:00Z', 'America/New_York', 7)).toEqual([
      '2026-03-05T05:00:00.000Z',
      '2026-03-12T04:00:00.000Z',
    ]);
  });

  it('starts a day whose midnight the clocks skip at the first minute that shows it', () => {
    // Santiago moved its clocks from 00:00 to 01:00 on 6 September 2026.
    expect(days('2026-09-06T15:00:00Z', 'America/Santiago')[0]).toBe('2026-09-06T04:00:00.000Z');
  });

  it('turns a day across the month and year end', () => {
    expect(days('2026-12-31T12:00:00Z', 'Pacific/Kiritimati')).toEqual([
      '2026-12-31T10:00:00.000Z',
      '2027-01-01T10:00:00.000Z',
    ]);
  });
});
