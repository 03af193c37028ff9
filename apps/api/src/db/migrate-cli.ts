import { loadConfig } from '../config.js';
import { openDatabase } from './client.js';

// `npm run db:migrate`: the same migrations the server applies on start, without starting it.
const config = loadConfig();
const database = await openDatabase(config);
try {
  await database.migrate();
  console.log(`Migrations applied (${database.kind}).`);
} finally {
  await database.close();
}
