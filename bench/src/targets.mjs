import { taskQueryRows } from './scenarios/task-queries.mjs';
// The targets, each a ratio against a limit measured in the same run. A target whose
// figures are missing (a partial run) is reported as not measured rather than guessed.

const ratio = (a, b) => (a && b ? a / b : undefined);

/** Share of throughput authentication costs: 1 − with / without. */
export const authCost = (withAuth, withoutAuth) =>
  withAuth && withoutAuth ? 1 - withAuth.perSecond / withoutAuth.perSecond : undefined;

/** The contract's bar for every task-query row: p50 at 100,000 tasks within this factor of p50 at 100. */
export const TASK_QUERY_GROWTH_LIMIT = 1.5;

/**
 * The size a task-query row's largest is held against: the smallest that answered as many tasks. An owner
 * of 100 tasks answers a filter few of them match with a short page, which is cheaper to send whatever
 * the index does; the comparison is between pages of the same length.
 */
export const taskQueryReference = (points) =>
  points.find((point) => point.answered >= points.at(-1).answered) ?? points[0];

/** One task-query row's p50 at its largest size ÷ at its reference size. */
export const taskQueryRatio = (points) =>
  points?.length > 1 ? points.at(-1).p50Ms / taskQueryReference(points).p50Ms : undefined;

/** The rows the page-cost target holds: not the counts and the tag list, which answer for the whole list. */
export const isPageRow = (id) => !taskQueryRows.find((row) => row.id === id)?.wholeList;

export function evaluateTargets({ hash, postgres: pg, pglite, betterAuth: ba, taskQueries }) {
  const { bare } = pg;
  const targets = [];
  const add = (id, label, value, target, met, unit = '') =>
    targets.push({ id, label, value, target, met: value === undefined ? null : met(value), unit });

  add(
    'signin-bound',
    'Sign-in per second ÷ argon2id hash bound (PostgreSQL)',
    ratio(pg.signin?.perSecond, hash.argon2id?.perSecond),
    '≥ 0.90',
    (v) => v >= 0.9,
  );
  add(
    'reads-auth-cost',
    'Authenticated reads: throughput lost to authentication (PostgreSQL)',
    authCost(pg.reads, pg.readsNoAuth),
    '< 10 %',
    (v) => v < 0.1,
    '%',
  );
  add(
    'reads-bare',
    'Authenticated reads ÷ bare limit (PostgreSQL)',
    ratio(pg.reads?.perSecond, bare.reads?.perSecond),
    '≥ 0.3',
    (v) => v >= 0.3,
  );
  const minimalReads = pg.minimal?.reads?.perSecond;
  add(
    'reads-minimal',
    'Authenticated reads ÷ minimal node:http + pg server, same query (PostgreSQL)',
    ratio(pg.reads?.perSecond, minimalReads),
    '≥ 0.8',
    (v) => v >= 0.8,
  );
  add(
    'create-auth-cost',
    'POST create: throughput lost to authentication (PostgreSQL)',
    authCost(pg.create, pg.createNoAuth),
    '< 10 %',
    (v) => v < 0.1,
    '%',
  );
  add(
    'complete-auth-cost',
    'PATCH complete: throughput lost to authentication (PostgreSQL)',
    authCost(pg.complete, pg.completeNoAuth),
    '< 10 %',
    (v) => v < 0.1,
    '%',
  );
  add(
    'isolation',
    'Read p99 during a sign-in storm ÷ read p99 without (PostgreSQL)',
    pg.isolation?.p99Ratio,
    '≤ 3',
    (v) => v <= 3,
    'x',
  );
  const growth = pg.growth;
  add(
    'growth',
    'List p50 at 100,000 tasks ÷ at 100 tasks (PostgreSQL)',
    growth ? growth.at(-1).p50Ms / growth[0].p50Ms : undefined,
    '≤ 1.5 (flat)',
    (v) => v <= 1.5,
    'x',
  );
  // A row that could not be measured (its request refused) counts against the target.
  const pageRows = Object.entries(taskQueries?.rows ?? {})
    .filter(([id]) => isPageRow(id))
    .map(([, row]) => row);
  const taskQueryRatios = pageRows.map((row) => taskQueryRatio(row.points)).filter((value) => value !== undefined);
  const unmeasured = pageRows.some((row) => row.error);
  add(
    'task-queries',
    'Task queries (each filter, sort, search, a deep page): the worst row’s p50 at 100,000 tasks ÷ at the smallest size answering as many tasks (PostgreSQL, section 8)',
    taskQueryRatios.length > 0 ? Math.max(...taskQueryRatios) : undefined,
    `≤ ${TASK_QUERY_GROWTH_LIMIT} for every row`,
    (v) => v <= TASK_QUERY_GROWTH_LIMIT && !unmeasured,
    'x',
  );
  add(
    'peer-reads',
    'Our authenticated reads ÷ Better Auth getSession requests per second',
    ratio(pg.reads?.perSecond, ba.session?.perSecond),
    '> 1',
    (v) => v > 1,
    'x',
  );
  const oursPerHash = ratio(pg.signin?.perSecond, hash.argon2id?.perSecond);
  const theirsPerHash = ratio(ba.signin?.perSecond, hash.scrypt?.perSecond);
  add(
    'peer-signin',
    'Sign-in throughput per unit of hash cost, ours ÷ Better Auth’s',
    ratio(oursPerHash, theirsPerHash),
    '> 1',
    (v) => v > 1,
    'x',
  );
  // Reported beside the PostgreSQL figures, held to the same bar, but not what the issue targets.
  add(
    'pglite-signin-bound',
    'Sign-in per second ÷ hash bound (PGlite, for reference)',
    ratio(pglite.signin?.perSecond, pglite.signin?.bound.perSecond),
    '≥ 0.90',
    (v) => v >= 0.9,
  );
  add(
    'pglite-reads-auth-cost',
    'Authenticated reads: throughput lost to authentication (PGlite, for reference)',
    authCost(pglite.reads, pglite.readsNoAuth),
    '< 10 %',
    (v) => v < 0.1,
    '%',
  );
  add(
    'pglite-isolation',
    'Read p99 during a sign-in storm ÷ without (PGlite, for reference)',
    pglite.isolation?.p99Ratio,
    '≤ 3',
    (v) => v <= 3,
    'x',
  );
  return targets;
}
