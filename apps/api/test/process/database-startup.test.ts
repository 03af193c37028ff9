import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllServers, spawnServer, startServer } from '../support/server-process.js';
import { createPostgresDatabase, testDatabaseUrl } from '../support/test-database.js';
import { freeLoopbackPort } from '../support/ports.js';

// What an operator reads when the server cannot use its PostgreSQL: which server (never the password)
// and why, in one line, with no stack trace, SQL statement or "undefined".

const PROCESS_TEST_TIMEOUT = 60_000;
const SECRET = 'database-startup-test-secret-of-32-characters-or-more';
const PASSWORD_IN_URL = 's3cret-pw';

afterEach(killAllServers);

/** The same URL with a password, which the server must never repeat (trust authentication ignores it). */
function withPassword(url: string): string {
  const withSecret = new URL(url);
  withSecret.password = PASSWORD_IN_URL;
  return withSecret.toString();
}

async function failedStart(env: Record<string, string>) {
  const server = spawnServer({ BETTER_AUTH_SECRET: SECRET, LOG_LEVEL: 'info', ...env });
  const exit = await server.exited;
  return { exit, stderr: server.stderr(), output: server.output() };
}

function expectOneClearLine(output: string) {
  expect(output).not.toMatch(/^\s{4}at /m);
  expect(output).not.toContain('undefined');
  expect(output).not.toMatch(/\b(select|insert|create table)\b/i);
  expect(output).not.toContain(PASSWORD_IN_URL);
}

describe('starting on a PostgreSQL it cannot use', () => {
  it(
    'names the host, port and database, and the refusal, when nothing listens there',
    async () => {
      const port = await freeLoopbackPort();
      const { exit, stderr, output } = await failedStart({
        DATABASE_URL: `postgres://todo:${PASSWORD_IN_URL}@127.0.0.1:${port}/todo`,
      });
      expect(exit).toEqual({ code: 1, signal: null });
      expect(stderr.trim()).toBe(
        `Could not start the server: could not connect to PostgreSQL at 127.0.0.1:${port}/todo: ` +
          `connect ECONNREFUSED 127.0.0.1:${port}`,
      );
      expectOneClearLine(output);
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'names a database that does not exist',
    async () => {
      const url = new URL(testDatabaseUrl);
      url.pathname = '/todo_missing_database';
      url.password = PASSWORD_IN_URL;
      const { exit, stderr, output } = await failedStart({ DATABASE_URL: url.toString() });
      expect(exit).toEqual({ code: 1, signal: null });
      expect(stderr).toMatch(
        /^Could not start the server: could not connect to PostgreSQL at [^ ]+\/todo_missing_database: database "todo_missing_database" does not exist\n$/,
      );
      expectOneClearLine(output);
    },
    PROCESS_TEST_TIMEOUT,
  );
});

describe('migrating on start', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;

  beforeAll(async () => {
    database = await createPostgresDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it(
    'logs the migrations it applied and the server (never the password) it applied them to',
    async () => {
      const server = await startServer({
        DATABASE_URL: database.url,
        DATABASE_MIGRATION_URL: withPassword(database.url),
        BETTER_AUTH_SECRET: SECRET,
        LOG_LEVEL: 'info',
      });
      const applied = server.logLines().find((line) => line.msg === 'applied migrations');
      expect(applied).toMatchObject({ migrations: expect.arrayContaining([expect.stringMatching(/^0000_/)]) });
      expect(JSON.stringify(applied)).not.toContain(PASSWORD_IN_URL);
    },
    PROCESS_TEST_TIMEOUT,
  );
});
