/** Where a signed-in person goes when no (acceptable) return path was given. */
export const HOME_PATH = '/dashboard';

/**
 * Only a path on this site may be returned to after sign-in. The browser's own URL parser decides,
 * since it is the one that would follow the link: tabs, backslashes and `//` tricks all fail here.
 * What comes back is the path as the parser resolved it, and that must start with exactly one slash
 * too: `/.//evil.example`, `/..//`, `/%2e//` and `/./\` all resolve to `//evil.example`, which a
 * browser reads as another host.
 */
export function safeReturnPath(next: string | null, origin: string): string {
  if (!next?.startsWith('/')) return HOME_PATH;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return HOME_PATH;
  }
  if (url.origin !== origin) return HOME_PATH;
  const path = url.pathname + url.search + url.hash;
  return /^\/[/\\]/.test(path) ? HOME_PATH : path;
}

/** Account settings: the profile, password, devices, security activity and deleting the account. */
export const SETTINGS_PATH = '/settings';
