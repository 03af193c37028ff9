import pg from 'pg';
import { importApi } from './servers/api.mjs';
import {
  growthSizes,
  otherOwnerCount,
  readerCount,
  signerCount,
  taskQuerySizes,
  tasksPerOtherOwner,
  tasksPerUser,
  writerCount,
} from './settings.mjs';

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

export function insertUsers(run, kind, count, passwordHash) {
  return run(`
    insert into users (id, email, name, password_hash)
    select gen_random_uuid()::text, format('${kind}-%s@bench.example', lpad(n::text, 3, '0')), 'Bench ${kind}', '${passwordHash}'
    from generate_series(1, ${count}) as n`);
}

// Newest first is by created_at, so the tasks get distinct times; every third is done. The text is
// ASCII, so lower() is the API's search folding (search-text.ts) and fills the search columns.
function insertTasks(run, whichUsers, perUser) {
  return run(`
    insert into tasks (user_id, title, description, completed, completed_at, search_title, search_description,
                       created_at, updated_at)
    select u.id, t.title, t.description, n % 3 = 0, case when n % 3 = 0 then t.at end, lower(t.title),
           lower(t.description), t.at, t.at
    from users u, generate_series(1, ${perUser}) as n,
         lateral (select 'Task number ' || n as title, case when n % 2 = 0 then 'A short description of task ' || n end
                         as description, now() - n * interval '1 second' as at) as t
    where u.${whichUsers}`);
}

// ---- the task-query database: owners of 100, 10,000 and 100,000 tasks among other users ----

/** What the task-query rows look for; the seed below puts each in a known share of the tasks. */
export const taskVocabulary = {
  /** The most used of the 20 tags: on about a quarter of the tasks. */
  commonTag: 'work',
  /** On one task in a thousand: none of 100, about 100 of 100,000. */
  rareTag: 'passport',
  /** One of 40 things a title names, so in about 2.5 % of the titles (and some descriptions). */
  word: 'invoice',
  /** Two letters, too short for a trigram: what a search box holds after two keystrokes. */
  twoLetters: 'in',
};

const tagSet = [
  taskVocabulary.commonTag,
  ...['home', 'errands', 'family', 'health', 'finance', 'shopping', 'urgent', 'someday', 'reading'],
  ...['garden', 'car', 'travel', 'school', 'fitness', 'kids', 'bills', 'phone', 'music', 'friends'],
];
const verbs = ['Call', 'Email', 'Review', 'Buy', 'Fix', 'Plan', 'Book', 'Pay', 'Clean', 'Write', 'Read', 'Prepare'];
const things = [
  ...['the dentist', 'groceries', 'the car', 'the report', 'rent', 'the garden', 'the bike', 'the roof'],
  ...['the slides', 'the budget', 'the tickets', 'the kitchen', 'the printer', 'the passport', 'the laptop'],
  ...['the contract', 'the insurance', 'the visa', 'the hotel', 'the boiler', 'the newsletter', 'the taxes'],
  ...['the gift', 'the birthday party', 'the meeting notes', 'the quarterly review', 'the backup', 'the lawn'],
  ...['the windows', 'the library books', 'the gym membership', 'the phone bill', 'the vet', 'the plumber'],
  ...['the school trip', 'the flights', 'the team lunch', 'the wedding', `the ${taskVocabulary.word}`],
];
const people = ['Anna', 'Ben', 'Chloe', 'David', 'Emma', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kim', 'Lena'];
const sqlArray = (words) => `array[${words.map((w) => `'${w.replaceAll("'", "''")}'`).join(', ')}]`;

/**
 * Migrates and fills a PostgreSQL database for the task-query rows: one owner per size in
 * taskQuerySizes and otherOwnerCount owners of tasksPerOtherOwner tasks each, so the table also holds
 * other people's tasks; then VACUUM and ANALYZE. The rows go in through a plain client (a 100,000-row INSERT
 * outlasts the API's query timeout) with the tasks table's secondary indexes dropped, and the indexes
 * are then rebuilt from their own definitions: building a GIN index once is far quicker than growing
 * it row by row. Returns the owners with their sizes.
 */
export async function seedTaskQueryDatabase(databaseUrl) {
  const { openDatabase } = await importApi('db/client.js');
  const { loadConfig } = await importApi('config.js');
  const { hashPassword } = await importApi('auth/password/password-hash.js');
  const passwordHash = await hashPassword(benchPassword);
  const database = await openDatabase({ ...loadConfig({}), DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: 1 });
  await database.migrate().finally(() => database.close());
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const run = (text) => client.query(text);
    const { rows: indexes } = await run(
      `select indexname, indexdef from pg_indexes where tablename = 'tasks' and indexname <> 'tasks_pkey'`,
    );
    for (const { indexname } of indexes) await run(`drop index ${indexname}`);
    await insertUsers(run, 'other', otherOwnerCount, passwordHash);
    await insertRealisticTasks(run, `email like 'other-%'`, tasksPerOtherOwner);
    for (const size of taskQuerySizes) {
      await insertUsers(run, `tasks-${size}`, 1, passwordHash);
      await insertRealisticTasks(run, `email = 'tasks-${size}-001@bench.example'`, size);
    }
    await run(`set maintenance_work_mem = '256MB'`);
    for (const { indexdef } of indexes) await run(indexdef);
    // VACUUM too: a table in use has been vacuumed, and without the visibility map an index-only scan
    // (the counts', the tag list's) would read the table after all.
    await run('vacuum analyze tasks');
    await run('analyze');
    const { rows } = await run(`select id, email from users where email like 'tasks-%' order by email`);
    const { rows: total } = await run('select count(*)::int as tasks from tasks');
    return {
      owners: taskQuerySizes.map((size) => ({
        size,
        ...rows.find((u) => u.email === `tasks-${size}-001@bench.example`),
      })),
      totalTasks: total[0].tasks,
      indexes: indexes.map((index) => index.indexname),
    };
  } finally {
    await client.end();
  }
}

/**
 * perUser tasks for each user matching whichUsers, drawn from a hash of the task's number so that every run
 * seeds the same data: priority 20 % high, 60 % medium, 20 % low; 30 % completed; 0 to 3 of 20 tags,
 * the first ones far more used than the last, and rareTag on one task in a thousand; 40 % with a due
 * date within a year either side of now, denser near today (so today and this week hold a few of them);
 * titles "<verb> <thing>[ with <person>]" and half with a description. One task every 7 minutes back
 * from now. The text is ASCII, so lower() is the API's search folding (search-text.ts).
 */
function insertRealisticTasks(run, whichUsers, perUser) {
  // u(k): a uniform number in [0, 1) for task n of the user whose hash is s, a different one for each k.
  const u = (k) => `(((hashint4(n * 37 + ${k}) # s) & 2147483647) / 2147483648.0)`;
  const pick = (words, k) => `(${sqlArray(words)})[1 + floor(${u(k)} * ${words.length})::int]`;
  return run(`
    insert into tasks (user_id, title, description, completed, completed_at, priority, tags, due_at, recurrence,
                       search_title, search_description, created_at, updated_at)
    select user_id, title, description, completed, completed_at, priority, tags, due_at, recurrence, lower(title), lower(description), created_at, coalesce(completed_at, created_at)
    from (
      select u.id as user_id, n,
             ${pick(verbs, 1)} || ' ' || ${pick(things, 2)} ||
               case when ${u(3)} < 0.3 then ' with ' || ${pick(people, 4)} else '' end as title,
             case when ${u(5)} < 0.5 then 'Remember ' || ${pick(things, 6)} || ' and ask ' || ${pick(people, 7)} ||
               ' about ' || ${pick(things, 8)} end as description,
             ${u(9)} < 0.3 as completed,
             case when ${u(9)} < 0.3 then least(now(), now() - n * interval '7 minutes' + ${u(10)} * interval '30 days') end
               as completed_at,
             case when ${u(11)} < 0.2 then 'high' when ${u(11)} < 0.8 then 'medium' else 'low' end as priority,
             array(select distinct (${sqlArray(tagSet)})[1 + floor(power(${u('20 + k')}, 2) * ${tagSet.length})::int]
                   from generate_series(1, (array[0, 0, 0, 1, 1, 1, 1, 2, 2, 3])[1 + floor(${u(12)} * 10)::int]) as k)
               || case when (hashint4(n * 37 + 14) # s) % 1000 = 0 then array['${taskVocabulary.rareTag}'] else '{}'::text[] end
               as tags,
             case when ${u(15)} < 0.4 then now() + sign(${u(16)} - 0.5) * power(${u(17)}, 2) * interval '365 days' end
               as due_at,
             case when ${u(15)} < 0.4 and ${u(13)} < 0.1 then (array['daily', 'weekly', 'monthly'])[1 + n % 3] end
               as recurrence,
             now() - n * interval '7 minutes' as created_at
      from users u, generate_series(1, ${perUser}) as n, lateral (select hashtext(u.email) as s) as h
      where u.${whichUsers}
    ) as t`);
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
