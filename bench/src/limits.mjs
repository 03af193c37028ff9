// One paragraph per figure on what limits it, with this run's own numbers: the CPU each process
// spent per request says where the time goes, so the text follows the measurements.

import { TASK_QUERY_GROWTH_LIMIT, isPageRow, taskQueryRatio, taskQueryReference } from './targets.mjs';

const fixed = (n, digits = 0) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));
const int = (n) => (n === undefined || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en-US'));
/** CPU microseconds per request of one part (server, loop, PostgreSQL) over a measured point. */
const us = (x, part) => (x ? (x[part] * 1e6) / x.perSecond : undefined);
const mib = (bytes) => (bytes === undefined ? '–' : int(bytes / 2 ** 20));

export function explainLimits({ results: r, settings: s, machine }) {
  const { postgres: pg, pglite: lite, betterAuth: ba, hash } = r;
  const { bare } = pg;
  const threads = s.threadPoolSize;
  const hashMs = hash.argon2id ? (1000 * threads) / hash.argon2id.perSecond : undefined;
  const scryptMs = hash.scrypt ? (1000 * threads) / hash.scrypt.perSecond : undefined;
  const paragraphs = [];

  // The pool threads' CPU is the server's less its main thread's (a little garbage-collector work aside).
  const poolBusy = pg.signin ? pg.signin.serverCores - pg.signin.loopCores : undefined;
  const serverHashMs = pg.signin ? (1000 * poolBusy) / pg.signin.perSecond : undefined;
  paragraphs.push(
    `**Sign-in** is one argon2id verification plus four database statements (the per-IP bucket, the account's ` +
      `failure record checked and counted in one, the user, and one that ends the failure streak, writes the audit ` +
      `row and opens the session) and a token signature. With ${threads} hash thread(s) the bound is ${fixed(hash.argon2id?.perSecond, 1)} ` +
      `verifications/s, ${fixed(hashMs, 1)} ms of a thread each. On PostgreSQL sign-in reached ${int(pg.signin?.perSecond)}/s. Beside the hash ` +
      `each sign-in cost ${int(us(pg.signin, 'loopCores'))} µs of event-loop CPU and ${int(us(pg.signin, 'postgresCores'))} µs of PostgreSQL, ` +
      `which with ${machine.cpus - threads} core(s) outside the pool runs beside the hashing rather than in its place. The gap to the bound is in ` +
      `the pool itself: its thread(s) were busy ${fixed(poolBusy, 2)} of ${threads} core(s) and spent ${fixed(serverHashMs, 1)} ms per sign-in against ` +
      `${fixed(hashMs, 1)} ms per verification in the bound, so verifications run slower next to the event loop and PostgreSQL (argon2id's ` +
      `19 MiB per hash competes with them for caches and memory bandwidth) and the pool sometimes waits for work. On PGlite the statements ` +
      `run on the server's own event loop: ${int(us(lite.signin, 'loopCores'))} µs of it per sign-in, queries included.`,
  );

  const authUs = us(pg.reads, 'serverCores') - us(pg.readsNoAuth, 'serverCores');
  const queryUs = us(pg.readsNoAuth, 'serverCores') - us(bare.reads, 'serverCores');
  paragraphs.push(
    `**Authenticated reads** are limited by the server's single event loop, which ran at ${fixed(pg.reads?.loopCores, 2)} cores while ` +
      `PostgreSQL used ${fixed(pg.reads?.postgresCores, 2)} and autocannon ${fixed(pg.reads?.clientCores, 2)}. Per request the server spent ` +
      `${int(us(pg.reads, 'serverCores'))} µs of CPU: ${int(us(bare.reads, 'serverCores'))} µs is the bare app (HTTP, hooks, security headers, the ` +
      `20-task response through its schema), ${int(queryUs)} µs the query (building it, the round trip, turning 20 rows into tasks) and ` +
      `${int(authUs)} µs authentication (the HS256 check and the cached session lookup). So the bare ratio is set by the query path and the auth ` +
      `cost by the token check. The minimal server (plain node:http and pg, the same query and JSON, ` +
      `nothing else) answered ${int(pg.minimal?.reads?.perSecond)}/s on ` +
      `${int(us(pg.minimal?.reads, 'serverCores'))} µs of CPU per read: the rest of our ` +
      `${int(us(pg.reads, 'serverCores'))} µs is what Fastify, its plugins and hooks, zod, drizzle and ` +
      `authentication add around them. ` +
      // Measured once with node --cpu-prof, not in every run: the split of one read's CPU by library.
      `A CPU profile of one authenticated read (\`node --cpu-prof\` on the built server under autocannon, 64 ` +
      `connections, 2026-12-02) split it as: socket writes 36 % (the response and the query, kernel loopback ` +
      `TCP), pg's protocol parsing and field decoding 22 %, Fastify's routing and headers 7 %, drizzle's row ` +
      `mapping 6 %, garbage collection 6 %, zod's response encoding and JSON.stringify 5 %, turning rows into ` +
      `task JSON 3 %, the token and session checks 2.5 %; @fastify/helmet rebuilding its middleware on every ` +
      `request took 6.5 % and was removed (helmet is now built once). About three quarters is the floor the ` +
      `minimal server pays too (node:http, pg and the socket writes). ` +
      `PGlite answers the query inside the same event loop (${int(us(lite.reads, 'serverCores'))} µs per read), so ` +
      `its reads are bounded by the embedded database, not by authentication.`,
  );

  paragraphs.push(
    `**Writes** are one INSERT or UPDATE … RETURNING each, committed on its own: PostgreSQL used ${fixed(pg.create?.postgresCores, 2)} cores for ` +
      `${int(pg.create?.perSecond)} creates/s and ${fixed(pg.complete?.postgresCores, 2)} for ${int(pg.complete?.perSecond)} completes/s, and the ` +
      `server ${int(us(pg.create, 'serverCores'))} and ${int(us(pg.complete, 'serverCores'))} µs per request. The event loop and PostgreSQL share ` +
      `${machine.cpus} cores, so a write is bounded by both together; the bare routes (${int(bare.create?.perSecond)} and ${int(bare.complete?.perSecond)}/s) ` +
      `show what HTTP and validation alone would allow.`,
  );

  paragraphs.push(
    `**Isolation**: hashing runs on libuv's thread pool, never on the event loop, so a storm cannot block the loop outright; what it can ` +
      `do is take CPU. With ${threads} pool thread(s) on ${machine.cpus} cores the storm (${int(pg.isolation?.stormSigninsPerSecond)} sign-ins/s) ` +
      `took its share and the paced reads' p99 went from ${fixed(pg.isolation?.alone.p99Ms, 1)} to ${fixed(pg.isolation?.during.p99Ms, 1)} ms. ` +
      `Anything else a request needs from that same pool waits behind the queued hashes: jose checks HS256 through WebCrypto, which Node ` +
      `runs on libuv's pool, so a token that has to be verified during a storm waits for a hash thread. The thread pool table in section 1 ` +
      `shows the same test with more threads.`,
  );

  const growth = pg.growth ?? [];
  paragraphs.push(
    `**Growth**: the list reads \`tasks_user_created_idx\` from the owner's newest entry and stops after 100 rows (the plan in section 5), ` +
      `so its cost is the 100 rows it returns, not the ${int(growth.at(-1)?.tasks)} the user owns: p50 ${fixed(growth[0]?.p50Ms, 2)} ms at ` +
      `${int(growth[0]?.tasks)} tasks and ${fixed(growth.at(-1)?.p50Ms, 2)} ms at ${int(growth.at(-1)?.tasks)}. What remains is one round trip ` +
      `and serializing 100 tasks.`,
  );

  const taskRows = Object.entries(r.taskQueries?.rows ?? {}).filter(([id]) => isPageRow(id));
  if (taskRows.length > 0) {
    const plans = r.taskQueries.plans ?? {};
    const missed = taskRows.filter(([, row]) => row.error || taskQueryRatio(row.points) > TASK_QUERY_GROWTH_LIMIT);
    const readOf = (id) =>
      (plans[id]?.scans ?? [])
        .map((scan) => `${scan.on} ${int(scan.rows)} rows, ${int(scan.removed)} filtered out`)
        .join('; ');
    paragraphs.push(
      `**Task queries** (section 8): a row stays flat when its index hands the page over in order and the scan stops ` +
        `after limit + 1 rows; it grows with the owner when the plan reads every matching row (a bitmap scan, then a sort) ` +
        `or walks the newest-first index past rows a filter throws away. ${missed.length} of ${taskRows.length} rows missed ` +
        `${TASK_QUERY_GROWTH_LIMIT}×. ` +
        missed
          .map(([id, row]) =>
            row.error
              ? `${row.label}: not measured (${row.error.split(' {')[0]}).`
              : `${row.label}: ${fixed(taskQueryRatio(row.points), 2)}× with ` +
                `${int(taskQueryReference(row.points).answered)} → ${int(row.points.at(-1).answered)} rows answered; at ` +
                `${int(row.points.at(-1).tasks)} tasks it read ${readOf(id) || '–'}` +
                `${plans[id]?.sorts ? ', then sorted' : ''} (${fixed(plans[id]?.executionMs, 2)} ms in PostgreSQL).`,
          )
          .join(' ') +
        ' Each row is held against the smallest size that answered as many tasks: a short page is cheaper to send ' +
        'whatever the index does.',
    );
  }

  paragraphs.push(
    `**Memory**: the server's peak RSS is Node and V8 (about ${mib(bare.reads?.peakRssBytes)} MiB for the bare app under load) plus, during ` +
      `sign-ins, 19 MiB for each argon2id verification in flight (m = 19,456 KiB, one per pool thread). On PGlite the database itself, ` +
      `PostgreSQL compiled to WebAssembly with its buffers, lives in the server process: ${mib(lite.reads?.peakRssBytes)} MiB against ` +
      `${mib(pg.reads?.peakRssBytes)} MiB on PostgreSQL for the same reads.`,
  );

  paragraphs.push(
    `**Better Auth** verifies scrypt with N = 16,384 and r = 16 (32 MiB, about ${fixed(scryptMs, 0)} ms of a thread, against ` +
      `${fixed(hashMs, 1)} ms for our argon2id), so its sign-in is almost all hash and reaches ${fixed(ba.signin?.perSecond / hash.scrypt?.perSecond, 2)} ` +
      `of its own bound; per unit of hash cost, ours is compared with that. Its getSession reads the session and its user from PostgreSQL ` +
      `on every request (its cookie cache is off by default): ${int(us(ba.session, 'serverCores'))} µs of server CPU and ` +
      `${int(us(ba.session, 'postgresCores'))} µs of PostgreSQL per request, against ${int(us(pg.reads, 'serverCores'))} and ` +
      `${int(us(pg.reads, 'postgresCores'))} µs for our task list, whose session check is cached for 4 s.`,
  );
  return paragraphs;
}
