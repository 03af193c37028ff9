import { importApi, importApiPackage } from '../servers/api.mjs';

// The shared schemas the API under test parses its query strings with.
const { listTasksQuerySchema, taskCountsQuerySchema } = await importApiPackage('@todo/shared/task-schemas');

/**
 * PostgreSQL's plans for the API's own queries. Each query is captured as task-list.ts sends it
 * (whether built per call or prepared), not retyped here, and explained with the values it was sent with.
 */
async function withCapturedQueries(databaseUrl, secret, work) {
  const { openDatabase } = await importApi('db/client.js');
  const { loadConfig } = await importApi('config.js');
  const { deriveCursorKey } = await importApi('tasks/task-cursor.js');
  const api = await importApi('tasks/task-list.js');
  const database = await openDatabase({ ...loadConfig({}), DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: 1 });
  try {
    const pool = database.db.$client;
    const query = pool.query.bind(pool);
    /** Runs `call` with the list, counts and tags functions and returns the plan of the last statement it sent. */
    const explain = async (call) => {
      const sent = [];
      pool.query = (config, values, ...rest) => {
        sent.push({ text: typeof config === 'string' ? config : config.text, values: values ?? config.values });
        return query(config, values, ...rest);
      };
      try {
        await call({ db: database.db, cursorKey: deriveCursorKey(secret), ...api });
      } finally {
        pool.query = query;
      }
      const { text, values } = sent.at(-1);
      const { rows } = await pool.query(`explain (analyze, buffers, costs off) ${text}`, values);
      const plan = rows.map((row) => row['QUERY PLAN']);
      return { sql: text, values, plan, ...summarizePlan(plan) };
    };
    return await work(explain);
  } finally {
    await database.close();
  }
}

/**
 * The plan for the default list (limit 100, newest first), for the user with the most tasks: it should
 * read 100 index entries and stop, never sort.
 */
export function explainList(databaseUrl, secret, userId) {
  return withCapturedQueries(databaseUrl, secret, (explain) =>
    explain(({ db, cursorKey, listTasks }) => listTasks(db, cursorKey, userId, listTasksQuerySchema.parse({}))),
  );
}

/**
 * The plan of each task-query row for one owner: `cases` are { id, path, query } with the row's path
 * under /api/{user_id}/ ('tasks', 'tasks/counts' or 'tags') and its query string, parsed by the same
 * shared schemas as the routes parse it.
 */
export function explainTaskQueries(databaseUrl, secret, userId, cases) {
  return withCapturedQueries(databaseUrl, secret, async (explain) => {
    const plans = {};
    for (const { id, path, query } of cases) {
      const params = Object.fromEntries(new URLSearchParams(query));
      plans[id] = await explain(({ db, cursorKey, listTasks, countTasks, listTags }) => {
        if (path === 'tasks') return listTasks(db, cursorKey, userId, listTasksQuerySchema.parse(params));
        if (path === 'tasks/counts') return countTasks(db, userId, taskCountsQuerySchema.parse(params));
        return listTags(db, userId);
      });
    }
    return plans;
  });
}

/**
 * What a reader looks for in a plan: which indexes (or sequential scans) it reads, how many rows each
 * scan produced and threw away, whether it sorts, and the shared buffers and time it took.
 */
export function summarizePlan(plan) {
  const scans = [];
  for (const line of plan) {
    const scan =
      /(Bitmap Heap Scan on|Bitmap Index Scan on|Index Only Scan(?: Backward)? using|Index Scan(?: Backward)? using|Seq Scan on) (\S+)/.exec(
        line,
      );
    if (scan) {
      const kind = scan[1].replace(/ (on|using)$/, '').toLowerCase();
      // A parallel scan's figures are per process (loops); its totals are what it read.
      const loops = Number(/loops=(\d+)/.exec(line)?.[1] ?? 1);
      scans.push({ kind, on: scan[2], rows: loops * Number(/rows=(\d+)/.exec(line)?.[1] ?? NaN), removed: 0, loops });
      continue;
    }
    const removed = /Rows Removed by (?:Filter|Index Recheck): (\d+)/.exec(line);
    if (removed && scans.length > 0) scans.at(-1).removed += scans.at(-1).loops * Number(removed[1]);
  }
  const buffers = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(
    plan.find((line) => line.includes('Buffers:')) ?? '',
  );
  return {
    scans,
    sorts: plan.some((line) => /^\s*(->\s+)?(Incremental )?Sort \(/.test(line)),
    sharedBuffers: buffers ? Number(buffers[1]) + Number(buffers[2] ?? 0) : undefined,
    executionMs: Number(
      /Execution Time: ([\d.]+) ms/.exec(plan.find((line) => line.includes('Execution Time')) ?? '')?.[1],
    ),
  };
}
