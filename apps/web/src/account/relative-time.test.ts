import { describe, expect, it } from 'vitest';
import { relativeTime } from './relative-time';

const now = new Date('2026-06-15T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

describe('relativeTime', () => {
  it.each([
    [ago(0), 'now'],
    [ago(40), 'now'],
    [ago(-5), 'now'],
    [ago(60), '1 minute ago'],
    [ago(5 * 60), '5 minutes ago'],
    [ago(3 * 3600), '3 hours ago'],
    [ago(24 * 3600), 'yesterday'],
    [ago(3 * 24 * 3600), '3 days ago'],
    [ago(14 * 24 * 3600), '2 weeks ago'],
    [ago(400 * 24 * 3600), 'last year'],
  ])('says %s is "%s"', (iso, expected) => {
    expect(relativeTime(iso, now)).toBe(expected);
  });
});
