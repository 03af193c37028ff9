/**
 * What a person has typed but not yet saved, kept in this tab's sessionStorage so that it survives the
 * session ending under them (a 401, a reload) until they sign in again. Drafts belong to one person:
 * the owner is the last person signed in in this tab, and a different person signing in finds none of
 * them, since they are dropped first. Storage may be unavailable (privacy modes, a full quota): then
 * drafts are simply not kept.
 */
const OWNER_KEY = 'todo-drafts-owner';
const PREFIX = 'todo-draft:';

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

function ownedKey(key: string): string | undefined {
  const owner = storage()?.getItem(OWNER_KEY);
  return owner ? `${PREFIX}${owner}:${key}` : undefined;
}

function draftKeys(store: Storage): string[] {
  return Array.from({ length: store.length }, (_, index) => store.key(index) ?? '').filter((key) =>
    key.startsWith(PREFIX),
  );
}

/** Called on every sign-in: another person's drafts are dropped before this one's page can show them. */
export function setDraftOwner(userId: string): void {
  const store = storage();
  if (!store) return;
  try {
    if (store.getItem(OWNER_KEY) !== userId) for (const key of draftKeys(store)) store.removeItem(key);
    store.setItem(OWNER_KEY, userId);
  } catch {
    // Not kept: drafts are a convenience.
  }
}

/** A deliberate sign-out: nothing typed stays behind for the next person at this browser. */
export function dropAllDrafts(): void {
  const store = storage();
  if (!store) return;
  for (const key of draftKeys(store)) store.removeItem(key);
  store.removeItem(OWNER_KEY);
}

export function readDraft<T>(key: string): T | undefined {
  const stored = ownedKey(key);
  const text = stored && storage()?.getItem(stored);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** Keeps `value` under `key` for the current owner; `undefined` forgets it. */
export function writeDraft(key: string, value: unknown): void {
  const stored = ownedKey(key);
  const store = storage();
  if (!stored || !store) return;
  try {
    if (value === undefined) store.removeItem(stored);
    else store.setItem(stored, JSON.stringify(value));
  } catch {
    // Not kept: drafts are a convenience.
  }
}

/** Whether the owner has anything unsaved, for telling them it is kept. */
export function hasDrafts(): boolean {
  const store = storage();
  return store !== undefined && draftKeys(store).length > 0;
}
