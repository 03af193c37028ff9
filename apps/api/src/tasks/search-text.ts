/**
 * Text as search compares it, with Unicode case folding done here rather than by the database, so the
 * result does not hang on its locale: "STRASSE" finds "Straße", "ΟΔΟΣ" finds "οδος". Lower, upper, lower
 * again folds what one lower-casing leaves apart (ß and ẞ become "ss"); final sigma is sigma. NFKC gives
 * composed and decomposed accents, and compatibility forms such as "ﬁ", one spelling.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().replaceAll('ς', 'σ');
}

/** The stored, folded copies of a task's text that `q` is matched against (see the tasks table). */
export function searchColumns(title: string, description: string | null) {
  return {
    searchTitle: foldForSearch(title),
    searchDescription: description === null ? null : foldForSearch(description),
  };
}

/** A search box's words (split on any whitespace), each folded; empty when there is nothing to look for. */
export function searchWords(q: string | undefined): string[] {
  if (!q) return [];
  return foldForSearch(q).split(/\s+/u).filter(Boolean);
}

/** A word as a LIKE pattern that finds it anywhere: `%`, `_` and `\` in it stand for themselves. */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, '\\$&')}%`;
}
