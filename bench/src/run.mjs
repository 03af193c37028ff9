// npm run bench: starts the built API on PostgreSQL and then on PGlite, each as its own process,
// loads it over loopback from this process with autocannon, measures the limits each figure is
// compared with in the same run, and writes docs/benchmarks.md and docs/benchmarks.json.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPgliteDataDir, createPostgresDatabase } from './databases.mjs';
import { seedDatabase, seedTaskQueryDatabase, signIn } from './fixtures.mjs';
import { describeMachine } from './machine.mjs';
import { measure, measureInterleaved } from './measure.mjs';
import { killAllChildren, startServer } from './processes.mjs';
import { formatValue, writeReport } from './report.mjs';
import { evaluateTargets } from './targets.mjs';
import { idleLoad } from './usage.mjs';
import { measureGrowth } from './scenarios/growth.mjs';
import { measureAgainstBound } from './scenarios/hash-bound.mjs';
import { measureIsolation } from './scenarios/isolation.mjs';
import { explainList, explainTaskQueries } from './scenarios/plan.mjs';
import {
  betterAuthSessionRequests,
  betterAuthSigninRequests,
  completeRequests,
  createRequests,
  listRequests,
  meRequests,
  signinRequests,
} from './scenarios/requests.mjs';
import { signUpBetterAuthUsers } from './scenarios/better-auth.mjs';
import { deepPagePath, measureTaskQuery, rowPath, taskQueryRows } from './scenarios/task-queries.mjs';
import { installedVersion } from './peer-version.mjs';
import * as settings from './settings.mjs';

const {
  apiDist,
  comparedThreadPoolSizes,
  isolationReadShare,
  poolMax,
  readConnections,
  signinConnections,
  signinConnectionsFor,
  threadPoolSize,
  writeConnections,
} = settings;

const startedAt = Date.now();
const logDir = mkdtempSync(path.join(os.tmpdir(), 'todo-bench-logs-'));
const secret = randomBytes(48).toString('base64');
const cleanups = [];
const results = {
  hash: {},
  postgres: { bare: {}, minimal: {} },
  pglite: { bare: {} },
  betterAuth: { version: installedVersion('better-auth') },
  threadPool: [],
  taskQueries: { rows: {}, plans: {} },
};
// BENCH_ONLY=<regular expression> runs only the steps whose label matches, with the set-up steps of
// their group (create, seed, start, stop); such a partial run prints its figures and leaves docs/ alone.
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;

// Environment of every API server: the IP limits raised out of the way (the per-account throttle
// only counts failed sign-ins, and the bench never fails one), X-Forwarded-For trusted from loopback
// so each bench user can sign in from an address of their own, warn-level logs, and the thread pool.
function apiEnv(extra) {
  return {
    BENCH_API_DIST: apiDist,
    BETTER_AUTH_SECRET: secret,
    DATABASE_POOL_MAX: String(poolMax),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_IP_BURST: '1000000000',
    RATE_LIMIT_IP_PER_MINUTE: '1000000000',
    TRUST_PROXY: '127.0.0.1',
    UV_THREADPOOL_SIZE: String(threadPoolSize),
    ...extra,
  };
}

async function startApi(script, name, env) {
  const server = await startServer(script, { env: apiEnv(env), logFile: path.join(logDir, `${name}.log`) });
  cleanups.push(server.stop);
  return server;
}

// ---- the plan: one line of progress per step ----

const steps = [];
let group;
const step = (label, run, { setup = false } = {}) => steps.push({ label, run, group, setup });
const state = {};

for (const kind of ['postgres', 'pglite']) {
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const out = results[kind];
  group = kind;

  step(
    `${label}: create and seed the database`,
    async () => {
      const started = Date.now();
      if (kind === 'postgres') {
        const database = await createPostgresDatabase('todo_bench');
        cleanups.push(database.drop);
        state.dbEnv = { DATABASE_URL: database.url };
        state.noAuthDbEnv = state.dbEnv;
        state.users = await seedDatabase({ DATABASE_POOL_MAX: poolMax, DATABASE_URL: database.url });
      } else {
        // PGlite is locked to one process, so the server without authentication gets a copy of the seeded folder.
        const [dataDir, copy] = [createPgliteDataDir(), createPgliteDataDir()];
        cleanups.push(dataDir.drop, copy.drop);
        state.users = await seedDatabase({ DATABASE_POOL_MAX: poolMax, DATA_DIR: dataDir.dir });
        cpSync(dataDir.dir, copy.dir, { recursive: true });
        state.dbEnv = { DATA_DIR: dataDir.dir };
        state.noAuthDbEnv = { DATA_DIR: copy.dir };
      }
      return `seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`;
    },
    { setup: true },
  );
  // On PostgreSQL, also the minimal server: the list query on the same database, no framework.
  const others = kind === 'postgres' ? ', the bare app and the minimal server' : ' and the bare app';
  step(
    `${label}: start the API, the API without authentication${others}; sign the bench users in`,
    async () => {
      state.server = await startApi('our-server.mjs', `api-${kind}`, state.dbEnv);
      state.noAuth = await startApi('our-server.mjs', `api-${kind}-noauth`, {
        ...state.noAuthDbEnv,
        BENCH_AUTH: 'off',
      });
      state.bare = await startApi('bare-server.mjs', `bare-${kind}`, {});
      state.minimal =
        kind === 'postgres' ? await startApi('minimal-server.mjs', 'minimal-postgres', state.dbEnv) : undefined;
      const { readers, writers, growth } = state.users;
      state.tokens = await signIn(state.server.url, [...readers, ...writers, ...growth]);
      state.taskIds = await newestTaskIds(state.server.url, writers, state.tokens);
      const pids = [state.server, state.noAuth, state.bare, state.minimal].filter(Boolean).map((server) => server.pid);
      return `pids ${pids.join(', ')}; ${state.tokens.size} sessions`;
    },
    { setup: true },
  );
  step(
    `${label}: sign-in at saturation (${signinConnections} connections), in turns with the argon2id hash bound`,
    async () => {
      const load = { requests: signinRequests(state.users.signers), connections: signinConnections };
      out.signin = await measureAgainstBound(state.server, load, { kind: 'argon2id', threads: threadPoolSize, logDir });
      if (kind === 'postgres') results.hash.argon2id = out.signin.bound;
      return `${brief(out.signin)}; bound ${out.signin.bound.perSecond.toFixed(1)}/s`;
    },
  );
  // Each of these is measured in turns with the same route without authentication and on the bare app
  // (and, given `minimal`, on the minimal server).
  const compared = async (name, connections, requestsFor, { minimal = false } = {}) => {
    const [withAuth, withoutAuth, bare, minimalResult] = await measureInterleaved([
      { server: state.server, load: { requests: requestsFor('/api'), connections } },
      { server: state.noAuth, load: { requests: requestsFor('/api'), connections } },
      { server: state.bare, load: { requests: requestsFor('/api/bare'), connections } },
      ...(minimal ? [{ server: state.minimal, load: { requests: requestsFor('/api/minimal'), connections } }] : []),
    ]);
    out[name] = withAuth;
    out[`${name}NoAuth`] = withoutAuth;
    out.bare[name] = bare;
    if (minimal) out.minimal[name] = minimalResult;
    const perSecond = (result) => result.perSecond.toFixed(0);
    return (
      `${brief(withAuth)}; without auth ${perSecond(withoutAuth)}/s; bare ${perSecond(bare)}/s` +
      (minimal ? `; minimal ${perSecond(minimalResult)}/s` : '')
    );
  };
  const minimal = kind === 'postgres';
  const readsAgainst = minimal ? 'without auth, bare and minimal' : 'without auth and bare';
  step(`${label}: authenticated reads, 20 tasks (${readConnections} connections), ${readsAgainst} in turns`, () => {
    const requestsFor = (prefix) => listRequests(state.users.readers, state.tokens, prefix);
    return compared('reads', readConnections, requestsFor, { minimal });
  });
  if (kind === 'postgres') {
    // The default sends the list unnamed, which a pooler in transaction mode needs; named statements
    // (DATABASE_PREPARED_STATEMENTS=true) spare PostgreSQL the planning. What the default costs, in turns.
    step(`${label}: reads with named prepared statements, in turns with the default unnamed ones`, async () => {
      const named = await startApi('our-server.mjs', 'api-postgres-named', {
        ...state.dbEnv,
        DATABASE_PREPARED_STATEMENTS: 'true',
      });
      const load = { requests: listRequests(state.users.readers, state.tokens), connections: readConnections };
      const [unnamed, withNames] = await measureInterleaved([
        { server: state.server, load },
        { server: named, load },
      ]);
      await named.stop();
      out.statements = { unnamed, named: withNames };
      const cost = 1 - unnamed.perSecond / withNames.perSecond;
      return `unnamed ${brief(unnamed)}; named ${brief(withNames)}; unnamed costs ${(cost * 100).toFixed(1)} %`;
    });
  }
  step(`${label}: authenticated GET /api/auth/me (${readConnections} connections)`, async () => {
    out.me = await measure(state.server, {
      requests: meRequests(state.users.readers, state.tokens),
      connections: readConnections,
    });
    return brief(out.me);
  });
  step(`${label}: isolation, paced reads alone and during a sign-in storm`, async () => {
    out.isolation = await measureIsolation(state.server, {
      readRequests: listRequests(state.users.readers, state.tokens),
      signinRequests: signinRequests(state.users.signers),
      readsPerSecond: out.reads.perSecond * isolationReadShare,
    });
    const { alone, during, p99Ratio } = out.isolation;
    return `p99 ${alone.p99Ms.toFixed(1)} ms alone, ${during.p99Ms.toFixed(1)} ms in the storm (${p99Ratio.toFixed(2)}x)`;
  });
  step(`${label}: list latency for 100, 10,000 and 100,000 tasks`, async () => {
    out.growth = await measureGrowth(
      state.server,
      state.users.growth,
      state.tokens,
      Math.max(3, Math.round(settings.seconds / 2)),
    );
    if (kind === 'postgres')
      out.plan = await explainList(state.dbEnv.DATABASE_URL, secret, state.users.growth.at(-1).id);
    return out.growth.map((row) => `${row.tasks}: p50 ${row.p50Ms.toFixed(2)} ms`).join(', ');
  });
  step(
    `${label}: authenticated writes, POST create (${writeConnections} connections), without auth and bare in turns`,
    () => compared('create', writeConnections, (prefix) => createRequests(state.users.writers, state.tokens, prefix)),
  );
  step(
    `${label}: authenticated writes, PATCH …/complete (${writeConnections} connections), ` +
      'without auth and bare in turns',
    () => {
      const requestsFor = (prefix) => completeRequests(state.users.writers, state.tokens, state.taskIds, prefix);
      return compared('complete', writeConnections, requestsFor);
    },
  );
  step(
    `${label}: stop its servers`,
    async () => {
      const servers = [state.server, state.noAuth, state.bare, state.minimal].filter(Boolean);
      await Promise.all(servers.map((server) => server.stop()));
      return `${servers.length} stopped`;
    },
    { setup: true },
  );

  if (kind === 'postgres') {
    for (const threads of comparedThreadPoolSizes) {
      step(`thread pool: sign-in and isolation with UV_THREADPOOL_SIZE=${threads} (PostgreSQL)`, async () => {
        const server = await startApi('our-server.mjs', `api-postgres-pool-${threads}`, {
          ...state.dbEnv,
          UV_THREADPOOL_SIZE: String(threads),
        });
        const connections = signinConnectionsFor(threads);
        const signin = await measureAgainstBound(
          server,
          { requests: signinRequests(state.users.signers), connections },
          { kind: 'argon2id', threads, logDir },
        );
        const { bound } = signin;
        const isolation = await measureIsolation(server, {
          readRequests: listRequests(state.users.readers, state.tokens),
          signinRequests: signinRequests(state.users.signers),
          readsPerSecond: out.reads.perSecond * isolationReadShare,
          signinConnections: connections,
        });
        await server.stop();
        results.threadPool.push({ threads, bound: bound.perSecond, signin, isolation });
        return `bound ${bound.perSecond.toFixed(0)}/s, sign-in ${signin.perSecond.toFixed(0)}/s (${(signin.perSecond / bound.perSecond).toFixed(2)}), read p99 ${isolation.p99Ratio.toFixed(2)}x in the storm`;
      });
    }
    // Each filter, sort and search of the list, the counts, the tags and a deep page, for owners of
    // 100, 10,000 and 100,000 tasks in a table that also holds other people's: a database of its own.
    group = 'task-queries';
    const tq = results.taskQueries;
    step(
      'Task queries (PostgreSQL): create a database, seed 100, 10,000 and 100,000 tasks for one owner each beside other owners',
      async () => {
        const started = Date.now();
        const database = await createPostgresDatabase('todo_bench_tasks');
        cleanups.push(database.drop);
        state.tqDatabaseUrl = database.url;
        const seeded = await seedTaskQueryDatabase(database.url);
        state.tqOwners = seeded.owners;
        tq.totalTasks = seeded.totalTasks;
        return `${seeded.totalTasks.toLocaleString('en-US')} tasks in ${((Date.now() - started) / 1000).toFixed(1)} s`;
      },
      { setup: true },
    );
    step(
      'Task queries (PostgreSQL): start the API, sign the owners in, follow Link headers to each deep page',
      async () => {
        state.tqServer = await startApi('our-server.mjs', 'api-task-queries', { DATABASE_URL: state.tqDatabaseUrl });
        state.tqTokens = await signIn(state.tqServer.url, state.tqOwners);
        state.tqDeep = new Map();
        for (const owner of state.tqOwners) {
          const deep = await deepPagePath(state.tqServer.url, owner, state.tqTokens.get(owner.email));
          state.tqDeep.set(owner.id, deep);
        }
        tq.deepPageAfterRow = Object.fromEntries(state.tqOwners.map((o) => [o.size, state.tqDeep.get(o.id).afterRow]));
        tq.deepPageError = state.tqOwners.map((o) => state.tqDeep.get(o.id).error).find(Boolean);
        const deep = tq.deepPageError ?? `deep pages after rows ${Object.values(tq.deepPageAfterRow).join(', ')}`;
        return `pid ${state.tqServer.pid}; ${deep}`;
      },
      { setup: true },
    );
    for (const row of taskQueryRows) {
      step(`Task queries (PostgreSQL): GET …/${row.label} at 100, 10,000 and 100,000 tasks`, async () => {
        if (row.deep && tq.deepPageError) {
          tq.rows[row.id] = { label: row.label, error: tq.deepPageError };
          return `not measured: ${tq.deepPageError}`;
        }
        const seconds = Math.max(2, Math.round(settings.seconds / 2));
        const points = await measureTaskQuery(
          state.tqServer,
          row,
          state.tqOwners,
          state.tqTokens,
          state.tqDeep,
          seconds,
        );
        tq.rows[row.id] = { label: row.label, points };
        const ratio = points.at(-1).p50Ms / points[0].p50Ms;
        return `${points.map((p) => `${p.tasks}: p50 ${p.p50Ms.toFixed(2)} ms`).join(', ')}; ${ratio.toFixed(2)}x`;
      });
    }
    step('Task queries (PostgreSQL): EXPLAIN (ANALYZE, BUFFERS) of each row at 100,000 tasks', async () => {
      const owner = state.tqOwners.at(-1);
      const cases = taskQueryRows
        .filter((row) => rowPath(row, owner, state.tqDeep) !== undefined)
        .map((row) => {
          const url = new URL(rowPath(row, owner, state.tqDeep), 'http://bench');
          return { id: row.id, path: row.path, query: url.search.slice(1) };
        });
      tq.plans = await explainTaskQueries(state.tqDatabaseUrl, secret, owner.id, cases);
      return Object.entries(tq.plans)
        .map(([id, plan]) => `${id}: ${[...new Set(plan.scans.map((scan) => scan.on))].join('+')}`)
        .join(', ');
    });
    step(
      'Task queries (PostgreSQL): stop the API',
      async () => {
        await state.tqServer.stop();
        return 'stopped';
      },
      { setup: true },
    );

    group = 'better-auth';
    step(
      'Better Auth: start it on its own database and sign users up',
      async () => {
        const database = await createPostgresDatabase('todo_bench_better_auth');
        cleanups.push(database.drop);
        const env = {
          BA_DATABASE_URL: database.url,
          BA_SECRET: secret,
          DATABASE_POOL_MAX: String(poolMax),
          UV_THREADPOOL_SIZE: String(threadPoolSize),
        };
        state.ba = await startServer('better-auth-server.mjs', { env, logFile: path.join(logDir, 'better-auth.log') });
        cleanups.push(state.ba.stop);
        state.baUsers = await signUpBetterAuthUsers(state.ba.url, settings.signerCount);
        return `pid ${state.ba.pid}, ${state.baUsers.cookies.length} users`;
      },
      { setup: true },
    );
    step(
      `Better Auth: sign-in at saturation (${signinConnections} connections), in turns with its scrypt hash bound`,
      async () => {
        const load = { requests: betterAuthSigninRequests(state.baUsers.users), connections: signinConnections };
        results.betterAuth.signin = await measureAgainstBound(state.ba, load, {
          kind: 'scrypt',
          threads: threadPoolSize,
          logDir,
        });
        results.hash.scrypt = results.betterAuth.signin.bound;
        return `${brief(results.betterAuth.signin)}; bound ${results.betterAuth.signin.bound.perSecond.toFixed(1)}/s`;
      },
    );
    step(`Better Auth: getSession behind a trivial route (${readConnections} connections)`, async () => {
      const requests = betterAuthSessionRequests(state.baUsers.cookies.slice(0, settings.readerCount));
      results.betterAuth.session = await measure(state.ba, { requests, connections: readConnections });
      await state.ba.stop();
      return brief(results.betterAuth.session);
    });
  }
}

// ---- helpers ----

function brief(result) {
  const mib = (result.peakRssBytes / 2 ** 20).toFixed(0);
  return `${result.perSecond.toFixed(0)}/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, peak RSS ${mib} MiB`;
}

/** Each writer's newest task, which PATCH …/complete flips back and forth. */
async function newestTaskIds(url, users, tokens) {
  const ids = new Map();
  for (const user of users) {
    const response = await fetch(`${url}/api/${user.id}/tasks?limit=1`, {
      headers: { authorization: `Bearer ${tokens.get(user.email)}` },
    });
    const [task] = await response.json();
    ids.set(user.id, task.id);
  }
  return ids;
}

async function cleanUp() {
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((error) => console.error(`cleanup: ${error.message}`));
  }
  cleanups.length = 0;
}

process.once('SIGINT', () => {
  console.error('\ninterrupted: stopping the servers');
  killAllChildren();
  cleanUp().finally(() => process.exit(130));
});

// ---- run ----

const machine = { ...(await describeMachine()), busyCoresBeforeRun: await idleLoad() };
console.log(
  `npm run bench: ${machine.cpus} × ${machine.cpuModel}, ${(machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, Node ${machine.node}`,
);
if (machine.busyCoresBeforeRun > 0.2) {
  console.log(
    `warning: ${machine.busyCoresBeforeRun.toFixed(2)} cores were busy before the bench started; other work will skew the figures`,
  );
}
console.log(
  `libuv thread pool ${threadPoolSize}, ${settings.seconds} s per point after ${settings.warmupSeconds} s warm-up; logs in ${logDir}`,
);
const isChosen = (s) => !only || only.test(s.label);
const isNeeded = (s) => s.setup && steps.some((o) => o.group === s.group && !o.setup && isChosen(o));
const plan = steps.filter((s) => isChosen(s) || isNeeded(s));
if (plan.every((s) => s.setup)) {
  console.error(`BENCH_ONLY=${process.env.BENCH_ONLY} matches no step that measures; the steps are:`);
  for (const s of steps.filter((s) => !s.setup)) console.error(`  ${s.label}`);
  rmSync(logDir, { recursive: true, force: true });
  process.exit(2);
}
try {
  for (const [index, { label, run }] of plan.entries()) {
    const stepStarted = Date.now();
    console.log(`[${index + 1}/${plan.length}] ${label} ...`);
    const summary = await run();
    console.log(`      ${summary} (${((Date.now() - stepStarted) / 1000).toFixed(0)} s)`);
  }
} catch (error) {
  console.error(`\nbench failed: ${error.stack ?? error.message}`);
  killAllChildren();
  await cleanUp();
  process.exit(1);
}
await cleanUp();
rmSync(logDir, { recursive: true, force: true });

const elapsedSeconds = (Date.now() - startedAt) / 1000;
if (only) {
  const measured = evaluateTargets(results).filter((target) => target.met !== null);
  const lines = measured.map((t) => `  ${t.id}: ${formatValue(t)} (target ${t.target}) ${t.met ? 'met' : 'not met'}`);
  console.log(`\n${['targets measured:', ...lines].join('\n')}`);
  // Every figure all the same, for a closer look than the progress lines give.
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsFile = path.join(os.tmpdir(), `todo-bench-partial-${stamp}.json`);
  writeFileSync(resultsFile, `${JSON.stringify({ machine, settings: settingsUsed(), results }, null, 2)}\n`);
  console.log(
    `\nfinished in ${(elapsedSeconds / 60).toFixed(1)} min; a partial run (BENCH_ONLY) writes no report, ` +
      `its figures are in ${resultsFile}`,
  );
} else {
  const { files, summary } = await writeReport({ machine, settings: settingsUsed(), results, elapsedSeconds });
  console.log(`\n${summary}\n\nfinished in ${(elapsedSeconds / 60).toFixed(1)} min; wrote ${files.join(' and ')}`);
}

function settingsUsed() {
  const {
    seconds,
    warmupSeconds,
    growthConnections,
    growthSizes,
    tasksPerUser,
    readerCount,
    writerCount,
    signerCount,
    isolationReadConnections,
    taskQuerySizes,
    otherOwnerCount,
    tasksPerOtherOwner,
    deepPageRow,
  } = settings;
  return {
    seconds,
    warmupSeconds,
    threadPoolSize,
    poolMax,
    readConnections,
    writeConnections,
    signinConnections,
    growthConnections,
    growthSizes,
    tasksPerUser,
    readerCount,
    writerCount,
    signerCount,
    isolationReadConnections,
    isolationReadShare,
    taskQuerySizes,
    otherOwnerCount,
    tasksPerOtherOwner,
    deepPageRow,
    logLevel: 'warn',
  };
}
