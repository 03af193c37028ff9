// The real API, built from apps/api/dist exactly as server.ts builds it. Its configuration comes
// from the environment through the API's own loadConfig (DATABASE_URL set: PostgreSQL; unset:
// PGlite in DATA_DIR). BENCH_AUTH=off builds the same HTTP app from the same route modules with
// trustPathUser in place of authentication, and nothing else changed.
import { importApi, serve, trustPathUser } from './api.mjs';

const { buildApp } = await importApi('app.js');
const { loadConfig } = await importApi('config.js');
const { openDatabase } = await importApi('db/client.js');
const { createHttpApp } = await importApi('http/http-app.js');
const { createNotFoundHandler } = await importApi('http/not-found.js');
const { defaultWebDir, registerWebApp } = await importApi('http/web-app.js');
const { taskRoutes } = await importApi('tasks/task-routes.js');
const { deriveCursorKey } = await importApi('tasks/task-cursor.js');

async function buildWithoutAuth(config, database) {
  const app = await createHttpApp(config);
  const deps = {
    db: database.db,
    authenticate: trustPathUser,
    recordAccessDenied: async () => {},
    cursorKey: deriveCursorKey(config.BETTER_AUTH_SECRET),
  };
  await app.register(taskRoutes, { prefix: '/api', deps });
  const pageFallback = await registerWebApp(app, config.WEB_DIR ?? defaultWebDir);
  app.setNotFoundHandler(createNotFoundHandler(app, pageFallback));
  return app;
}

const config = loadConfig(process.env);
const database = await openDatabase({ ...config, onPoolError: (error) => console.error(`pool: ${error.message}`) });
await database.migrate();
const app =
  process.env.BENCH_AUTH === 'off' ? await buildWithoutAuth(config, database) : await buildApp(config, database);
await serve(app, () => database.close());
