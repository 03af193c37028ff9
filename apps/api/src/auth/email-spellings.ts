import { domainToUnicode } from 'node:url';

/**
 * The spellings of an address in normal form (see `normalizeEmail` in @todo/shared/email) that a
 * server from before normalisation may have stored for it: the local part in NFC or NFD, the domain in
 * ASCII or in Unicode (NFC or NFD), with or without one trailing dot. The normal form comes first. At
 * most twelve, so looking them all up is still one index probe each.
 */
export function storedSpellings(email: string): string[] {
  const at = email.lastIndexOf('@');
  if (at < 0) return [email];
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const unicode = domainToUnicode(domain);
  const locals = new Set([local, local.normalize('NFD')]);
  const domains = new Set([domain, unicode, unicode.normalize('NFD')].filter(Boolean));
  const spellings = new Set([email]);
  for (const l of locals) {
    for (const d of domains) {
      spellings.add(`${l}@${d}`);
      spellings.add(`${l}@${d}.`);
    }
  }
  return [...spellings];
}

/**
 * Of the accounts stored under spellings of one address, the one that address signs in to: the one
 * stored in normal form, else the oldest. The others are reported at start-up (see email-collisions.ts).
 */
export function pickAccount<T extends { email: string; createdAt: Date }>(rows: T[], email: string): T | undefined {
  return rows.find((row) => row.email === email) ?? rows.toSorted((a, b) => +a.createdAt - +b.createdAt)[0];
}
