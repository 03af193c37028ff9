const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Parses "3600", "15m", "12h", "7d" or "2w" into seconds (0 included); undefined when it is not one of those. */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d+)\s*([smhdw]?)$/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * unitSeconds[match[2] || 's']!;
}
