import { taskVocabulary } from '../fixtures.mjs';
import { measure } from '../measure.mjs';
import { deepPageRow, growthConnections } from '../settings.mjs';

const { commonTag, rareTag, word, twoLetters } = taskVocabulary;

/**
 * The rows of the task-query table: each filter, each sort, a search, the counts, the tags and a page
 * deep in the list, as GET requests under /api/{user_id}/. `query` is the query string; the deep page's
 * is found at run time by following Link headers (deepPagePath).
 */
export const taskQueryRows = [
  { id: 'status-pending', label: 'tasks?status=pending', path: 'tasks', query: 'status=pending' },
  { id: 'status-completed', label: 'tasks?status=completed', path: 'tasks', query: 'status=completed' },
  { id: 'priority-high', label: 'tasks?priority=high', path: 'tasks', query: 'priority=high' },
  { id: 'tag-common', label: `tasks?tag=${commonTag} (common)`, path: 'tasks', query: `tag=${commonTag}` },
  { id: 'tag-rare', label: `tasks?tag=${rareTag} (rare)`, path: 'tasks', query: `tag=${rareTag}` },
  { id: 'due-overdue', label: 'tasks?due=overdue', path: 'tasks', query: 'due=overdue' },
  { id: 'due-today', label: 'tasks?due=today', path: 'tasks', query: 'due=today' },
  { id: 'due-week', label: 'tasks?due=week', path: 'tasks', query: 'due=week' },
  { id: 'due-none', label: 'tasks?due=none', path: 'tasks', query: 'due=none' },
  { id: 'sort-created', label: 'tasks?sort=created', path: 'tasks', query: 'sort=created' },
  { id: 'sort-due', label: 'tasks?sort=due', path: 'tasks', query: 'sort=due' },
  { id: 'sort-priority', label: 'tasks?sort=priority', path: 'tasks', query: 'sort=priority' },
  { id: 'sort-title', label: 'tasks?sort=title', path: 'tasks', query: 'sort=title' },
  { id: 'search-word', label: `tasks?q=${word}`, path: 'tasks', query: `q=${word}` },
  { id: 'search-two-letters', label: `tasks?q=${twoLetters}`, path: 'tasks', query: `q=${twoLetters}` },
  // These two answer for the whole list, not a page: held against 100 tasks directly, outside the page target.
  { id: 'counts', label: 'tasks/counts', path: 'tasks/counts', query: '', wholeList: true },
  { id: 'tags', label: 'tags', path: 'tags', query: '', wholeList: true },
  { id: 'deep-page', label: 'tasks?limit=50&cursor=… (a page deep in the list)', path: 'tasks', deep: true },
];

const withQuery = (path, query) => (query ? `${path}?${query}` : path);
const nextLink = (response) => /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];

/**
 * The path of a page deep in the owner's list (newest first), reached as a client reaches it: by
 * following each page's Link header, 500 rows at a time, to row deepPageRow (half the list when the
 * owner has fewer than twice that). The page measured there is 50 rows, so at every size it answers
 * the same 50 tasks' worth. { path, afterRow }, or { error } when a page on the way is refused: the
 * report then says why the row is missing rather than the whole run failing.
 */
export async function deepPagePath(url, owner, token) {
  const target = Math.min(deepPageRow, Math.floor(owner.size / 2));
  const step = Math.min(500, target);
  let path = `/api/${owner.id}/tasks?limit=${step}`;
  let seen = 0;
  while (seen < target) {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) {
      const answer = `GET …/tasks?${path.split('?')[1].replace(/cursor=[^&]+/, 'cursor=…')} answered ${response.status}`;
      return { error: `${answer} ${await response.text()} after ${seen} rows` };
    }
    seen += (await response.json()).length;
    path = nextLink(response);
    if (!path) throw new Error(`the list of ${owner.size} tasks ended after ${seen} rows, before row ${target}`);
  }
  const next = new URL(path, url);
  next.searchParams.set('limit', '50');
  return { path: `${next.pathname}${next.search}`, afterRow: seen };
}

/**
 * The request path of one row for one owner (deepPaths: owner id → the deep page's path), or undefined when
 * the deep page could not be reached.
 */
export const rowPath = (row, owner, deepPaths) =>
  row.deep ? deepPaths.get(owner.id)?.path : `/api/${owner.id}/${withQuery(row.path, row.query)}`;

/**
 * One row at every size: latency at growthConnections connections, as the growth rows are measured,
 * and how much the answer held (tasks on the page, the counts' `all`, or the number of tags), so that
 * a row's cost can be read against its answer.
 */
export async function measureTaskQuery(server, row, owners, tokens, deepPaths, seconds) {
  const points = [];
  for (const owner of owners) {
    const path = rowPath(row, owner, deepPaths);
    const headers = { authorization: `Bearer ${tokens.get(owner.email)}` };
    const response = await fetch(`${server.url}${path}`, { headers });
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    const body = await response.json();
    const answered = Array.isArray(body) ? body.length : body.all;
    const result = await measure(
      server,
      { requests: [{ method: 'GET', path, headers }], connections: growthConnections },
      { duration: seconds, warmup: 1 },
    );
    points.push({ tasks: owner.size, answered, hasNextPage: nextLink(response) !== undefined, ...result });
  }
  return points;
}
