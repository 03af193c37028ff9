import { importApi } from '../servers/api.mjs';

/**
 * PostgreSQL's plan for the API's own list query, for the user with the most tasks: it should read
 * 100 index entries and stop, never sort. The query is captured as task-service's listTasks sends
 * it (whether built per call or prepared), not retyped here.
 */
export async function explainList(databaseUrl, userId) {
  const { openDatabase } = await importApi('db/client.js');
  const { loadConfig } = await importApi('config.js');
  const { listTasks } = await importApi('tasks/task-service.js');
  const database = await openDatabase({ ...loadConfig({}), DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: 1 });
  try {
    const pool = database.db.$client;
    const sent = [];
    const query = pool.query.bind(pool);
    pool.query = (config, values, ...rest) => {
      sent.push({ text: typeof config === 'string' ? config : config.text, values: values ?? config.values });
      return query(config, values, ...rest);
    };
    await listTasks(database.db, userId, { status: 'all', limit: 100, offset: 0 });
    pool.query = query;
    const { text, values } = sent.at(-1);
    const { rows } = await pool.query(`explain (analyze, buffers, costs off, timing off) ${text}`, values);
    return { sql: text, plan: rows.map((row) => row['QUERY PLAN']) };
  } finally {
    await database.close();
  }
}
