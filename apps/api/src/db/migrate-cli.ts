import { loadConfig } from '../config.js';
import { openDatabase } from './client.js';
import { makeDataDirPrivate, tightenedMessage } from './data-dir.js';

// `npm run db:migrate`: the same migrations the server applies on start, without starting it.
// Like the server (see server.ts): the files it writes are for its own user only.
process.umask(0o077);
const config = loadConfig();
if (!config.DATABASE_URL) {
  for (const folder of makeDataDirPrivate(config.DATA_DIR)) console.log(tightenedMessage(folder));
}
const database = await openDatabase(config);
try {
  await database.migrate({
    warn: (fields, message) => console.warn(`${message} ${JSON.stringify(fields)}`),
    info: (fields, message) => console.log(`${message} ${JSON.stringify(fields)}`),
  });
  console.log(`Migrations applied (${database.kind}).`);
} finally {
  await database.close();
}
