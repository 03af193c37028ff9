// The real API, built from apps/api/dist exactly as server.ts builds it. Its configuration comes
// from the environment through the API's own loadConfig (DATABASE_URL set: PostgreSQL; unset:
// PGlite in DATA_DIR). BENCH_AUTH=off swaps authentication for trustPathUser and nothing else.
import { importApi, serve, trustPathUser } from './api.mjs';

const { buildApp } = await importApi('app.js');
const { loadConfig } = await importApi('config.js');
const { openDatabase } = await importApi('db/client.js');

const config = loadConfig(process.env);
const database = await openDatabase({ ...config, onPoolError: (error) => console.error(`pool: ${error.message}`) });
await database.migrate();
const options = process.env.BENCH_AUTH === 'off' ? { authenticate: trustPathUser } : {};
const app = await buildApp(config, database, options);
await serve(app, () => database.close());
