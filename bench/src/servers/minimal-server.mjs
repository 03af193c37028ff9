// The minimal limit for reads: plain node:http and pg, no framework, no ORM, no authentication. It
// runs the API's own list query (the SQL drizzle generates for listTasks, prepared once per
// connection under the same name) on the same PostgreSQL database and answers the same JSON (snake
// case, ISO timestamps), so what separates it from our API is everything the API does around them.
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX) });
pool.on('error', (error) => console.error(`pool: ${error.message}`));

const listSql = (where, limit) =>
  'select "id", "user_id", "title", "description", "completed", "priority", "tags", "due_at", "recurrence", ' +
  '"completed_at", "created_at", "updated_at" from "tasks" ' +
  `where ${where} order by "tasks"."created_at" desc, "tasks"."id" desc limit $${limit} offset $${limit + 1}`;
// By status: the statement and the values before limit and offset.
const listQueries = {
  all: [listSql('"tasks"."user_id" = $1', 2), []],
  pending: [listSql('("tasks"."user_id" = $1 and "tasks"."completed" = $2)', 3), [false]],
  completed: [listSql('("tasks"."user_id" = $1 and "tasks"."completed" = $2)', 3), [true]],
};
const listPath = /^\/api\/minimal\/([^/?]+)\/tasks(?:\?|$)/;

const toTaskJson = (row) => ({
  id: row.id,
  user_id: row.user_id,
  title: row.title,
  description: row.description,
  completed: row.completed,
  priority: row.priority,
  tags: row.tags,
  due_at: row.due_at?.toISOString() ?? null,
  recurrence: row.recurrence,
  completed_at: row.completed_at?.toISOString() ?? null,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

async function listTasks(request, response, userId) {
  // The API's defaults (status all, limit 100, offset 0); the bench sends none of them.
  const query = new URL(request.url, 'http://localhost').searchParams;
  const status = query.get('status') ?? 'all';
  if (!Object.hasOwn(listQueries, status)) return response.writeHead(400).end();
  const [text, filter] = listQueries[status];
  const values = [userId, ...filter, Number(query.get('limit') ?? 100), Number(query.get('offset') ?? 0)];
  const { rows } = await pool.query({ name: `list_tasks_${status}`, text, values });
  const body = JSON.stringify(rows.map(toTaskJson));
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
}

const server = http.createServer((request, response) => {
  const match = request.method === 'GET' ? listPath.exec(request.url) : null;
  if (!match) return response.writeHead(404).end();
  listTasks(request, response, decodeURIComponent(match[1])).catch((error) => {
    console.error(error);
    if (!response.headersSent) response.writeHead(500);
    response.end();
  });
});

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
process.send({ type: 'listening', port: server.address().port });
process.on('SIGTERM', () => {
  server.close(async () => {
    await pool.end();
    process.exit(0);
  });
  // node:http keeps idle keep-alive sockets open; drop them so close() can finish.
  server.closeIdleConnections();
});
