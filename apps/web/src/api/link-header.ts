/**
 * The target of a `Link` header's rel="next" (RFC 8288), when it is a path on this site: a list's next
 * page. Anything else (another origin, a malformed header) is ignored rather than followed.
 */
export function nextLinkPath(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match) continue;
    const [, target = '', params = ''] = match;
    const rels = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(params);
    const relValue = rels?.[1] ?? rels?.[2] ?? '';
    if (!relValue.toLowerCase().split(/\s+/).includes('next')) continue;
    // A path on this site only: one leading slash, never `//host`.
    return /^\/(?![/\\])/.test(target) ? target : undefined;
  }
  return undefined;
}
