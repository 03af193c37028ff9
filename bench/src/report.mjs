import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { explainLimits } from './limits.mjs';
import { repoRoot } from './settings.mjs';
import {
  TASK_QUERY_GROWTH_LIMIT,
  authCost,
  evaluateTargets,
  isPageRow,
  taskQueryRatio,
  taskQueryReference,
} from './targets.mjs';
import { taskVocabulary } from './fixtures.mjs';

// docs/benchmarks.json holds every figure; docs/benchmarks.md shows them as tables, starting with a
// short summary (between the summary markers) written to be pasted into the README.

export const COMMAND = 'npm run bench';
export const HASH_SETTINGS = {
  ours: 'argon2id, m = 19,456 KiB, t = 2, p = 1 (@node-rs/argon2)',
  betterAuth: 'scrypt, N = 16,384, r = 16, p = 1, 64-byte key (node:crypto, 32 MiB per hash)',
};

const int = (n) => (n === undefined || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en-US'));
const ms = (n) => (n === undefined ? '–' : n < 10 ? n.toFixed(2) : n.toFixed(1));
const times = (n, digits = 2) => (n === undefined ? '–' : n.toFixed(digits));
const pct = (n) => (n === undefined ? '–' : `${(n * 100).toFixed(1)} %`);
const mib = (bytes) => (bytes === undefined ? '–' : int(bytes / 2 ** 20));
const cores = (n) => (n === undefined ? '–' : n.toFixed(2));
const verdict = (met) => (met === null ? 'not measured' : met ? '**met**' : '**not met**');
export const formatValue = (t) =>
  t.value === undefined ? '–' : t.unit === '%' ? pct(t.value) : `${times(t.value)}${t.unit === 'x' ? '×' : ''}`;
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

const statementsShare = (statements) =>
  statements ? statements.unnamed.perSecond / statements.named.perSecond : undefined;

export async function writeReport(run) {
  const date = new Date().toISOString();
  const targets = evaluateTargets(run.results);
  const json = {
    command: COMMAND,
    date,
    elapsedSeconds: run.elapsedSeconds,
    machine: run.machine,
    settings: run.settings,
    hashSettings: HASH_SETTINGS,
    targets,
    results: run.results,
  };
  const jsonPath = path.join(repoRoot, 'docs/benchmarks.json');
  const mdPath = path.join(repoRoot, 'docs/benchmarks.md');
  writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(mdPath, markdown({ ...run, date, targets }));
  return {
    files: [path.relative(repoRoot, mdPath), path.relative(repoRoot, jsonPath)],
    summary: summary({ ...run, date, targets }),
  };
}

function machineLine({ machine, date }) {
  return (
    `${machine.cpus} × ${machine.cpuModel}, ${(machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB memory, ` +
    `${machine.os}, Node ${machine.node}, PostgreSQL ${machine.postgres}; ${date.slice(0, 10)}`
  );
}

/** The short version, for the README. */
export function summary(run) {
  const { results: r, targets } = run;
  const { postgres: pg, pglite: lite, betterAuth: ba, hash } = r;
  const { bare } = pg;
  const t = Object.fromEntries(targets.map((target) => [target.id, target]));
  const growth = (rows) => (rows ? rows.map((g) => ms(g.p50Ms)).join(' / ') : '–');
  return [
    `Measured with \`${COMMAND}\` on ${machineLine(run)}. Every figure is held against a limit measured in the same run;`,
    `[docs/benchmarks.md](docs/benchmarks.md) has the full tables and what limits each one.`,
    '',
    table(
      ['figure', 'PostgreSQL', 'PGlite', 'held against', 'target'],
      [
        [
          'sign-ins / s',
          `${int(pg.signin?.perSecond)} (p99 ${ms(pg.signin?.p99Ms)} ms)`,
          `${int(lite.signin?.perSecond)}`,
          `argon2id bound ${int(hash.argon2id?.perSecond)}/s: ${formatValue(t['signin-bound'])}`,
          `≥ 0.90: ${verdict(t['signin-bound'].met)}`,
        ],
        [
          'authenticated reads / s (20 tasks)',
          `${int(pg.reads?.perSecond)} (p99 ${ms(pg.reads?.p99Ms)} ms)`,
          int(lite.reads?.perSecond),
          `auth costs ${pct(authCost(pg.reads, pg.readsNoAuth))}; ` +
            `${formatValue(t['reads-bare'])} of bare ${int(bare.reads?.perSecond)}/s; ` +
            `${formatValue(t['reads-minimal'])} of minimal ${int(pg.minimal?.reads?.perSecond)}/s`,
          `< 10 %: ${verdict(t['reads-auth-cost'].met)}; ≥ 0.3: ${verdict(t['reads-bare'].met)}; ` +
            `≥ 0.8: ${verdict(t['reads-minimal'].met)}`,
        ],
        [
          'creates / s',
          `${int(pg.create?.perSecond)} (p99 ${ms(pg.create?.p99Ms)} ms)`,
          int(lite.create?.perSecond),
          `auth costs ${pct(authCost(pg.create, pg.createNoAuth))}`,
          `< 10 %: ${verdict(t['create-auth-cost'].met)}`,
        ],
        [
          'completes / s',
          `${int(pg.complete?.perSecond)} (p99 ${ms(pg.complete?.p99Ms)} ms)`,
          int(lite.complete?.perSecond),
          `auth costs ${pct(authCost(pg.complete, pg.completeNoAuth))}`,
          `< 10 %: ${verdict(t['complete-auth-cost'].met)}`,
        ],
        [
          'read p99 in a sign-in storm',
          `${ms(pg.isolation?.during.p99Ms)} ms (${formatValue(t.isolation)})`,
          `${ms(lite.isolation?.during.p99Ms)} ms`,
          `p99 without the storm ${ms(pg.isolation?.alone.p99Ms)} ms`,
          `≤ 3×: ${verdict(t.isolation.met)}`,
        ],
        [
          'list p50 at 100 / 10k / 100k tasks (ms)',
          growth(pg.growth),
          growth(lite.growth),
          'the 100-task row',
          `flat: ${verdict(t.growth.met)}`,
        ],
        [
          'task queries: p50 at 100k ÷ at 100 tasks, per row',
          taskQueriesBrief(r.taskQueries),
          '–',
          'the same row at 100 tasks',
          `≤ ${TASK_QUERY_GROWTH_LIMIT}× each: ${verdict(t['task-queries'].met)}`,
        ],
        [
          'Better Auth sign-ins / s, session reads / s',
          `${int(ba.signin?.perSecond)}, ${int(ba.session?.perSecond)}`,
          '–',
          `ours per unit of hash cost: ${formatValue(t['peer-signin'])}; our reads: ${formatValue(t['peer-reads'])}`,
          `ahead: ${verdict(t['peer-signin'].met)}, ${verdict(t['peer-reads'].met)}`,
        ],
      ],
    ),
  ].join('\n');
}

function markdown(run) {
  const { results: r, settings: s, machine, targets } = run;
  const { postgres: pg, pglite: lite, betterAuth: ba, hash } = r;
  const { bare } = pg;
  const dbs = [
    ['PostgreSQL', pg],
    ['PGlite', lite],
  ];
  const load = (name, x) => [
    name,
    int(x?.perSecond),
    ms(x?.p50Ms),
    ms(x?.p99Ms),
    int(x && (x.serverCores * 1e6) / x.perSecond),
    mib(x?.peakRssBytes),
    cores(x?.serverCores),
    cores(x?.postgresCores),
    cores(x?.clientCores),
    cores(x?.otherCores),
  ];
  const loadHead = [
    '',
    'per second',
    'p50 ms',
    'p99 ms',
    'server CPU µs per request',
    'server peak RSS MiB',
    'server cores',
    'PostgreSQL cores',
    'autocannon cores',
    'other cores',
  ];

  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`${COMMAND}\` (bench/, not part of \`npm test\`). Do not edit by hand: run it again.`,
    '',
    '<!-- summary:start -->',
    summary(run),
    '<!-- summary:end -->',
    '',
    '## How it was measured',
    '',
    `- **Machine**: ${machineLine(run)}. ${machine.busyCoresBeforeRun > 0.2 ? `**${cores(machine.busyCoresBeforeRun)} cores were already busy with other work when the run started; the figures are lower and noisier than on an idle machine.**` : `Idle before the run (${cores(machine.busyCoresBeforeRun)} cores busy).`}`,
    `- **Command**: \`${COMMAND}\` (builds, then \`node bench/src/run.mjs\`); it took ${(run.elapsedSeconds / 60).toFixed(1)} minutes.`,
    `- **Servers**: each one its own Node process started from \`apps/api/dist\` (our API through its own \`buildApp\`, \`loadConfig\` and \`openDatabase\`), on a fresh PostgreSQL database \`todo_bench_<random>\` and then on PGlite in a temporary \`DATA_DIR\`; both are removed afterwards. \`LOG_LEVEL=${s.logLevel}\`, \`DATABASE_POOL_MAX=${s.poolMax}\`, \`UV_THREADPOOL_SIZE=${s.threadPoolSize}\`, per-IP limits raised out of the way.`,
    `- **Load**: autocannon in the orchestrating process, over loopback, ${s.seconds} s per point after a ${s.warmupSeconds} s warm-up that is thrown away. Any non-2xx answer fails the run. Latencies are exact percentiles of every response.`,
    `- **Data**: ${s.readerCount} readers and ${s.writerCount} writers with ${s.tasksPerUser} tasks each, ${s.signerCount} users who sign in, one user each with ${s.growthSizes.map(int).join(', ')} tasks. Requests are dealt round-robin over the users, so the requests in flight belong to different users, each with its own session; sign-ins come from an address per user (X-Forwarded-For from loopback is trusted).`,
    "- **Memory**: the server's peak RSS (VmHWM, reset through `/proc/<pid>/clear_refs` before each point). **CPU**: cores kept busy over the point by the server, autocannon, every PostgreSQL process, and anything else.",
    `- **Hash settings**: ours ${HASH_SETTINGS.ours}; Better Auth ${HASH_SETTINGS.betterAuth}.`,
    '',
    '## Targets',
    '',
    table(
      ['target', 'measured', 'target', 'verdict'],
      targets.map((t) => [t.label, formatValue(t), t.target, verdict(t.met)]),
    ),
    '',
    '## 1. Sign-in against the hash bound',
    '',
    `The hash bound is argon2id verifications per second with the API's own \`verifyPassword\`, run bare in a Node process with the same thread pool size, one verification in flight per thread. Sign-in is measured at ${s.signinConnections} connections, in turns with the bound (three slices each), so both see the same machine.`,
    '',
    table(
      [...loadHead, 'share of the hash bound'],
      [
        ...dbs.map(([name, x]) => [
          ...load(`sign-in, ${name}`, x.signin),
          `${times(x.signin?.perSecond / x.signin?.bound.perSecond)} of ${times(x.signin?.bound.perSecond, 1)}/s`,
        ]),
        [
          ...load('Better Auth sign-in, PostgreSQL', ba.signin),
          `${times(ba.signin?.perSecond / hash.scrypt?.perSecond)} of its scrypt bound ${times(hash.scrypt?.perSecond, 1)}/s`,
        ],
      ],
    ),
    '',
    '### The thread pool',
    '',
    `Every server here runs with \`UV_THREADPOOL_SIZE=${s.threadPoolSize}\`: one thread fewer than the ${machine.cpus} cores, at least one. argon2id runs on libuv's pool, so the pool size is how many cores a sign-in storm can take; the rest stay with the event loop, PostgreSQL and the load generator. Each run measures the alternatives on PostgreSQL the same way (hash bound with that many threads, sign-in at saturation, the isolation test of section 4):`,
    '',
    table(
      [
        'UV_THREADPOOL_SIZE',
        'argon2id bound / s',
        'sign-ins / s',
        'share of its bound',
        'sign-in p99 ms',
        'read p99 alone ms',
        'read p99 in storm ms',
        'read p99 ratio',
        'paced reads kept / s',
      ],
      [
        { threads: s.threadPoolSize, bound: hash.argon2id?.perSecond, signin: pg.signin, isolation: pg.isolation },
        ...(r.threadPool ?? []),
      ]
        .sort((a, b) => a.threads - b.threads)
        .map((p) => [
          `${p.threads}${p.threads === s.threadPoolSize ? ' (used)' : p.threads === 4 ? ' (Node default)' : ''}`,
          times(p.bound, 1),
          int(p.signin?.perSecond),
          times(p.signin?.perSecond / p.bound),
          ms(p.signin?.p99Ms),
          ms(p.isolation?.alone.p99Ms),
          ms(p.isolation?.during.p99Ms),
          `${times(p.isolation?.p99Ratio)}×`,
          `${int(p.isolation?.during.perSecond)} of ${int(p.isolation?.readsPerSecondTarget)}`,
        ]),
    ),
    '',
    '## 2–3. Authenticated reads and writes',
    '',
    `GET /api/{user_id}/tasks (20 tasks each), POST /api/{user_id}/tasks and PATCH ` +
      `/api/{user_id}/tasks/{task_id}/complete, ${s.readConnections} connections. "No auth" is the same ` +
      `server, route and query with the authentication hook swapped for one that trusts the path ` +
      `(the same route modules on the same \`createHttpApp\`, with the path's user trusted); "bare" is the same Fastify app answering from ` +
      `memory through the same response schema, with no authentication and no database. "Minimal" (PostgreSQL ` +
      `only) is no framework at all: plain \`node:http\` and \`pg\` running the API's own list query on the ` +
      `same database and answering the same JSON, with no authentication, validation or security headers. They ` +
      `run side by side and are loaded in turns (three slices each), so that other work on the machine weighs ` +
      `on all of them alike.`,
    '',
    table(
      [...loadHead, 'auth cost', 'share of bare'],
      [
        ...['reads', 'create', 'complete'].flatMap((name) =>
          dbs.flatMap(([db, x]) => [
            [
              ...load(`${name}, ${db}`, x[name]),
              pct(authCost(x[name], x[`${name}NoAuth`])),
              times(x[name]?.perSecond / x.bare[name]?.perSecond),
            ],
            [
              ...load(`${name}, no auth, ${db}`, x[`${name}NoAuth`]),
              '',
              times(x[`${name}NoAuth`]?.perSecond / x.bare[name]?.perSecond),
            ],
            [...load(`${name}, bare (in turns with the ${db} rows above)`, x.bare[name]), '', '1.00'],
            ...(x.minimal?.[name]
              ? [
                  [
                    ...load(`${name}, minimal node:http + pg (in turns with the ${db} rows above)`, x.minimal[name]),
                    '',
                    times(x.minimal[name].perSecond / x.bare[name]?.perSecond),
                  ],
                ]
              : []),
          ]),
        ),
        ...dbs.map(([db, x]) => [...load(`GET /api/auth/me, ${db}`, x.me), '', '']),
      ],
    ),
    '',
    'Named prepared statements on PostgreSQL: the same reads on a server started with ' +
      '`DATABASE_PREPARED_STATEMENTS=true` (the list query prepared by name once per connection), in turns with ' +
      'the default, which sends it unnamed so that it works through a pooler in transaction mode.',
    '',
    table(
      [...loadHead, 'throughput vs named'],
      [
        [...load('reads, unnamed (default)', pg.statements?.unnamed), pct(statementsShare(pg.statements))],
        [...load('reads, named (`DATABASE_PREPARED_STATEMENTS=true`)', pg.statements?.named), '100.0 %'],
      ],
    ),
    '',
    '## 4. The event loop during a sign-in storm',
    '',
    `Authenticated reads paced at ${Math.round(s.isolationReadShare * 100)} % of the read throughput measured above (${s.isolationReadConnections} connections), first alone, then while ${s.signinConnections} connections sign in as fast as the server lets them.`,
    '',
    table(
      [
        '',
        'paced reads / s',
        'p50 alone ms',
        'p99 alone ms',
        'p50 in storm ms',
        'p99 in storm ms',
        'p99 ratio',
        'storm sign-ins / s',
        'server peak RSS MiB',
      ],
      dbs.map(([name, x]) => {
        const i = x.isolation;
        return [
          name,
          int(i?.readsPerSecondTarget),
          ms(i?.alone.p50Ms),
          ms(i?.alone.p99Ms),
          ms(i?.during.p50Ms),
          ms(i?.during.p99Ms),
          `${times(i?.p99Ratio)}×`,
          int(i?.stormSigninsPerSecond),
          mib(i?.during.peakRssBytes),
        ];
      }),
    ),
    '',
    '## 5. Growth: list latency by tasks owned',
    '',
    `The default list (limit 100, newest first) for one user at ${s.growthConnections} connections; each answer holds 100 tasks.`,
    '',
    table(
      ['tasks owned', ...dbs.flatMap(([name]) => [`${name} per second`, `${name} p50 ms`, `${name} p99 ms`])],
      s.growthSizes.map((size, i) => [
        int(size),
        ...dbs.flatMap(([, x]) => [int(x.growth?.[i]?.perSecond), ms(x.growth?.[i]?.p50Ms), ms(x.growth?.[i]?.p99Ms)]),
      ]),
    ),
    '',
    ...(pg.plan
      ? ["PostgreSQL's plan for the API's own list query at 100,000 tasks:", '', '```', ...pg.plan.plan, '```', '']
      : []),
    '## 6. Memory',
    '',
    'Peak RSS of the server process during each point, in MiB.',
    '',
    table(
      ['scenario', 'PostgreSQL', 'PGlite'],
      [
        ['sign-in storm', mib(pg.signin?.peakRssBytes), mib(lite.signin?.peakRssBytes)],
        ['authenticated reads', mib(pg.reads?.peakRssBytes), mib(lite.reads?.peakRssBytes)],
        [
          'reads during sign-in storm',
          mib(pg.isolation?.during.peakRssBytes),
          mib(lite.isolation?.during.peakRssBytes),
        ],
        ['list of 100 at 100,000 tasks', mib(pg.growth?.at(-1)?.peakRssBytes), mib(lite.growth?.at(-1)?.peakRssBytes)],
        ['create', mib(pg.create?.peakRssBytes), mib(lite.create?.peakRssBytes)],
        ['complete', mib(pg.complete?.peakRssBytes), mib(lite.complete?.peakRssBytes)],
        ['bare reads (no database)', mib(bare.reads?.peakRssBytes), ''],
        ['Better Auth sign-in storm', mib(ba.signin?.peakRssBytes), ''],
        ['Better Auth session reads', mib(ba.session?.peakRssBytes), ''],
      ],
    ),
    '',
    '## 7. Beside Better Auth',
    '',
    `Better Auth ${ba.version ?? ''} with email and password on its own PostgreSQL database (same server, same pool size, same thread pool), behind plain \`node:http\`; its rate limiter is off as ours is raised. Its session check is \`auth.api.getSession\` behind a route that returns the user.`,
    '',
    table(
      ['', 'ours', 'Better Auth', 'ours ÷ theirs'],
      [
        ['password hash', HASH_SETTINGS.ours, HASH_SETTINGS.betterAuth, ''],
        ['hash bound (verifications / s)', times(hash.argon2id?.perSecond, 1), times(hash.scrypt?.perSecond, 1), ''],
        [
          'sign-ins / s',
          int(pg.signin?.perSecond),
          int(ba.signin?.perSecond),
          times(pg.signin?.perSecond / ba.signin?.perSecond),
        ],
        [
          'sign-ins per unit of hash cost (÷ own bound)',
          times(pg.signin?.perSecond / hash.argon2id?.perSecond),
          times(ba.signin?.perSecond / hash.scrypt?.perSecond),
          times(pg.signin?.perSecond / hash.argon2id?.perSecond / (ba.signin?.perSecond / hash.scrypt?.perSecond)),
        ],
        [
          'sign-in p50 / p99 ms',
          `${ms(pg.signin?.p50Ms)} / ${ms(pg.signin?.p99Ms)}`,
          `${ms(ba.signin?.p50Ms)} / ${ms(ba.signin?.p99Ms)}`,
          '',
        ],
        [
          'authenticated requests / s',
          `${int(pg.reads?.perSecond)} (task list), ${int(pg.me?.perSecond)} (/api/auth/me)`,
          `${int(ba.session?.perSecond)} (getSession)`,
          times(pg.reads?.perSecond / ba.session?.perSecond),
        ],
        [
          'authenticated p50 / p99 ms',
          `${ms(pg.reads?.p50Ms)} / ${ms(pg.reads?.p99Ms)}`,
          `${ms(ba.session?.p50Ms)} / ${ms(ba.session?.p99Ms)}`,
          '',
        ],
        [
          'server peak RSS MiB (sign-in, reads)',
          `${mib(pg.signin?.peakRssBytes)}, ${mib(pg.reads?.peakRssBytes)}`,
          `${mib(ba.signin?.peakRssBytes)}, ${mib(ba.session?.peakRssBytes)}`,
          '',
        ],
      ],
    ),
    '',
    ...taskQueriesSection(r.taskQueries, s),
    '## What limits each figure',
    '',
    ...explainLimits(run).flatMap((paragraph) => [paragraph, '']),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

const taskQueryRows = (taskQueries) => Object.entries(taskQueries?.rows ?? {});

/** "14 of 18 rows within 1.5×; worst: counts 40×". */
function taskQueriesBrief(taskQueries) {
  const rows = taskQueryRows(taskQueries)
    .filter(([id]) => isPageRow(id))
    .map(([, row]) => ({ label: row.label, ratio: taskQueryRatio(row.points) }));
  if (rows.length === 0) return '–';
  // An unmeasured row has no ratio: it counts among the rows, never among those within the limit.
  const within = rows.filter((row) => row.ratio <= TASK_QUERY_GROWTH_LIMIT).length;
  const worst = rows.filter((row) => row.ratio !== undefined).reduce((a, b) => (b.ratio > a.ratio ? b : a));
  return `${within} of ${rows.length} rows within ${TASK_QUERY_GROWTH_LIMIT}×; worst ${worst.label} ${times(worst.ratio, 1)}×`;
}

/** One scan of a plan as "tasks_user_created_idx: 101 rows, 52 filtered out". */
const scanText = (scan) =>
  `${scan.kind === 'seq scan' || scan.kind === 'bitmap heap scan' ? `${scan.kind} on ${scan.on}` : `\`${scan.on}\` (${scan.kind})`}: ` +
  `${int(scan.rows)} rows${scan.removed ? `, ${int(scan.removed)} filtered out` : ''}`;

function taskQueriesSection(taskQueries, s) {
  const rows = taskQueryRows(taskQueries);
  if (rows.length === 0) return [];
  const sizes = s.taskQuerySizes ?? [];
  const across = (points, pick) => points.map(pick).join(' / ');
  const plans = taskQueries.plans ?? {};
  const { commonTag, rareTag, word, twoLetters } = taskVocabulary;
  return [
    '## 8. Task queries: filters, sorts, search, counts, tags and a deep page',
    '',
    `GET /api/{user_id}/… for owners of ${sizes.map(int).join(', ')} tasks on PostgreSQL, in a database of their own whose ` +
      `tasks table also holds ${int(s.otherOwnerCount)} other owners' ${int(s.tasksPerOtherOwner)} tasks each ` +
      `(${int(taskQueries.totalTasks)} rows in all), seeded by \`generate_series\` from a hash of each task's number: priority 20 % ` +
      `high, 60 % medium, 20 % low; 30 % completed; 0 to 3 of 20 tags, the first far more used than the last ("${commonTag}" on ` +
      `about a quarter of the tasks), and "${rareTag}" on one in a thousand; 40 % with a due date within a year either side of now, ` +
      `denser near today; titles of a verb, one of 40 things ("${word}" is one) and sometimes a person, half with a description; ` +
      `then VACUUM and ANALYZE. Each row is ${s.growthConnections} connections for ${Math.max(2, Math.round(s.seconds / 2))} s per size after ` +
      `a 1 s warm-up, with authentication, limit 100 unless given. The deep page follows each page's \`Link\` header 500 rows ` +
      `at a time to row ${int(s.deepPageRow)} (half the list for smaller owners: after rows ` +
      `${Object.values(taskQueries.deepPageAfterRow ?? {})
        .map(int)
        .join(
          ', ',
        )}) and measures the next 50 by its cursor. "${twoLetters}" is two letters, too short for a trigram. Target: ` +
      `p50 at ${int(sizes.at(-1))} tasks within ${TASK_QUERY_GROWTH_LIMIT}× of p50 at ${int(sizes[0])}, or at the smallest size ` +
      'that answers as many tasks (below).',
    '',
    table(
      [
        'GET …/',
        `answered (${sizes.map(int).join(' / ')})`,
        'p50 ms',
        'p99 ms',
        'per second',
        `p50 ${int(sizes.at(-1))} ÷ the same page`,
        `≤ ${TASK_QUERY_GROWTH_LIMIT}×`,
        `p50 ${int(sizes.at(-1))} ÷ ${int(sizes[1])}`,
      ],
      rows.map(([id, { label, points, error }]) => {
        if (error) return [label, `not measured: ${error}`, '–', '–', '–', '–', verdict(false), '–'];
        const pageRow = isPageRow(id);
        const ratio = pageRow ? taskQueryRatio(points) : points.at(-1).p50Ms / points[0].p50Ms;
        return [
          label,
          across(points, (p) => int(p.answered)),
          across(points, (p) => ms(p.p50Ms)),
          across(points, (p) => ms(p.p99Ms)),
          across(points, (p) => int(p.perSecond)),
          pageRow
            ? `${times(ratio)}× (at ${int(taskQueryReference(points).tasks)})`
            : `${times(ratio)}× (at ${int(points[0].tasks)})`,
          pageRow ? verdict(ratio === undefined ? null : ratio <= TASK_QUERY_GROWTH_LIMIT) : 'the whole list',
          points.length > 2 ? `${times(points.at(-1).p50Ms / points[1].p50Ms)}×` : '–',
        ];
      }),
    ),
    '',
    'A filter that few of 100 tasks match answers fewer tasks at 100 than at 10,000 and 100,000 (the "answered" ' +
      'column), and a short page is cheaper to send whatever the index does; so each row is held against the smallest ' +
      'size that answers as many tasks (named in brackets). The counts and the tag list answer for the whole list, ' +
      'so they are held against 100 tasks directly, outside the page target: both read counters that triggers keep, ' +
      'and the counts also count the overdue tasks, one index entry each.',
    '',
    `What PostgreSQL did for each row at ${int(sizes.at(-1))} tasks: the API's own statement (captured as task-list.ts sends ` +
      'it) under `EXPLAIN (ANALYZE, BUFFERS)`. "Answered" is the tasks on the page (the counts\' `all`, the number of tags).',
    '',
    table(
      ['GET …/', 'scans: index or table, rows it produced', 'sorts', 'shared buffers', 'execution ms'],
      rows.map(([id, { label }]) => {
        const plan = plans[id];
        return [
          label,
          plan ? plan.scans.map(scanText).join('; ') : '–',
          plan ? (plan.sorts ? 'yes' : 'no') : '–',
          int(plan?.sharedBuffers),
          plan ? ms(plan.executionMs) : '–',
        ];
      }),
    ),
    '',
    ...rows.flatMap(([id, { label }]) =>
      plans[id]
        ? [`<details><summary>Plan: ${label}</summary>`, '', '```', ...plans[id].plan, '```', '', '</details>', '']
        : [],
    ),
  ];
}
