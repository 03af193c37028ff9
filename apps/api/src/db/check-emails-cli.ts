import { describeEmailProblems, findEmailProblems } from '../auth/email-collisions.js';
import { loadConfig } from '../config.js';
import { openDatabase } from './client.js';

// `npm run db:check-emails`: lists the accounts whose stored addresses collide under today's
// normalisation, or can no longer sign in, without changing any. Exits 1 when there are some.
const config = loadConfig();
const database = await openDatabase(config);
try {
  const report = await findEmailProblems(database.db);
  const lines = describeEmailProblems(report);
  console.log(lines.length > 0 ? lines.join('\n') : 'No stored email addresses collide.');
  process.exitCode = lines.length > 0 ? 1 : 0;
} finally {
  await database.close();
}
