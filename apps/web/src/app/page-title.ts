/** The document title of a page: what a tab, the history list and a screen reader's page announcement show. */
export function pageTitle(page: string): string {
  return `${page} – Todo`;
}
