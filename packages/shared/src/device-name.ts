import UAParser from 'ua-parser-js';

/** What a session's browser is called when its User-Agent is missing or names nothing known. */
export const UNKNOWN_DEVICE = 'Unknown device';

/**
 * A person's name for the device behind a User-Agent: "<browser> on <OS>" as ua-parser-js (v1, MIT)
 * names them, e.g. "Chrome on Linux" or "Mobile Safari on iOS". The settings page lists sessions by it,
 * and the API's security mails will name devices the same way.
 */
export function deviceName(userAgent: string | null | undefined): string {
  if (!userAgent) return UNKNOWN_DEVICE;
  const { browser, os } = new UAParser(userAgent).getResult();
  if (browser.name && os.name) return `${browser.name} on ${os.name}`;
  return browser.name ?? os.name ?? UNKNOWN_DEVICE;
}
