import { describe, expect, it } from 'vitest';
import { deviceName, UNKNOWN_DEVICE } from './device-name.js';

describe('deviceName', () => {
  it.each([
    [
      'Chrome on Linux',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    ],
    [
      'Mobile Safari on iOS',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    ],
    ['Firefox on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0'],
    [
      'Safari on Mac OS',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    ],
  ])('names %s', (expected, userAgent) => {
    expect(deviceName(userAgent)).toBe(expected);
  });

  it('names only the browser when the OS is unknown', () => {
    expect(deviceName('Firefox/125.0')).toBe('Firefox');
  });

  it('names only the OS when the browser is unknown', () => {
    expect(deviceName('Mozilla/5.0 (X11; Linux x86_64)')).toBe('Linux');
  });

  it.each([null, undefined, '', 'nonsense'])('answers "%s" with a plain "Unknown device"', (userAgent) => {
    expect(deviceName(userAgent)).toBe(UNKNOWN_DEVICE);
  });
});
