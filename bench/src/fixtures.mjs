import { importApi } from './servers/api.mjs';
import { growthSizes, readerCount, signerCount, tasksPerUser, writerCount } from './settings.mjs';

// The bench's users and tasks, written straight into the database through the API's own client
// (PostgreSQL or PGlite alike), then signed in through the real HTTP endpoint for their tokens.

export const benchPassword = 'bench-password-7Qx!';

const groups = [
  ['signer', signerCount, 0],
  ['reader', readerCount, tasksPerUser],
  ['writer', writerCount, tasksPerUser],
];

/** Migrates and fills a database (DATABASE_URL set: PostgreSQL; else PGlite in DATA_DIR), then closes it. */
export async function seedDatabase(settings) {
  const { openDatabase } = await importApi('db/client.js');
  const { loadConfig } = await importApi('config.js');
  const { hashPassword } = await importApi('auth/password/password-hash.js');
  // Every bench user shares one real argon2id hash: sign-in verifies it exactly as any other.
  const passwordHash = await hashPassword(benchPassword);
  const database = await openDatabase({ ...loadConfig({}), ...settings });
  try {
    await database.migrate();
    const run = (text) => database.db.execute(text);
    for (const [kind, count, tasks] of groups) {
      await insertUsers(run, kind, count, passwordHash);
      if (tasks > 0) await insertTasks(run, `email like '${kind}-%'`, tasks);
    }
    for (const size of growthSizes) {
      await insertUsers(run, `growth-${size}`, 1, passwordHash);
      await insertTasks(run, `email = 'growth-${size}-001@bench.example'`, size);
    }
    await run('analyze');
    const { rows } = await run(`select id, email from users where email like '%@bench.example' order by email`);
    return {
      signers: rows.filter((u) => u.email.startsWith('signer-')),
      readers: rows.filter((u) => u.email.startsWith('reader-')),
      writers: rows.filter((u) => u.email.startsWith('writer-')),
      growth: growthSizes.map((size) => ({
        size,
        ...rows.find((u) => u.email === `growth-${size}-001@bench.example`),
      })),
    };
  } finally {
    await database.close();
  }
}

function insertUsers(run, kind, count, passwordHash) {
  return run(`
    insert into users (id, email, name, password_hash)
    select gen_random_uuid()::text, format('${kind}-%s@bench.example', lpad(n::text, 3, '0')), 'Bench ${kind}', '${passwordHash}'
    from generate_series(1, ${count}) as n`);
}

// Newest first is by created_at, so the tasks get distinct times; every third is done.
function insertTasks(run, whichUsers, perUser) {
  return run(`
    insert into tasks (user_id, title, description, completed, created_at, updated_at)
    select u.id, 'Task number ' || n, case when n % 2 = 0 then 'A short description of task ' || n end, n % 3 = 0,
           now() - n * interval '1 second', now() - n * interval '1 second'
    from users u, generate_series(1, ${perUser}) as n
    where u.${whichUsers}`);
}

/** Signs users in through POST /api/auth/signin, a few at a time; returns Map(email → token). */
export async function signIn(url, users) {
  const tokens = new Map();
  const queue = [...users];
  async function worker() {
    for (let user = queue.shift(); user; user = queue.shift()) {
      const response = await fetch(`${url}/api/auth/signin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: benchPassword }),
      });
      const body = await response.json();
      if (response.status !== 200)
        throw new Error(`sign-in of ${user.email} answered ${response.status}: ${JSON.stringify(body)}`);
      tokens.set(user.email, body.token);
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  return tokens;
}
