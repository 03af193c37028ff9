import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PASSWORD,
  call,
  killAllServers,
  me,
  signIn,
  signUp,
  spawnServer,
  startServer,
  type RunningServer,
  type Exit,
  type ServerProcess,
} from '../support/server-process.js';

// These tests start the built server (apps/api/dist/server.js) as its own process, on the embedded
// database in a fresh temporary data folder each, and watch it the way an operator would: its exit
// code, its output, its files, and what it answers over HTTP.

const PROCESS_TEST_TIMEOUT = 90_000;
const STACK_LINE = /^\s{4}at /m;

const folders: string[] = [];

function tempFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'todo-server-'));
  folders.push(folder);
  return folder;
}

afterEach(async () => {
  await killAllServers();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

type StoredTask = { id: number; title: string };

async function allTasks(server: RunningServer, userId: string, token: string): Promise<StoredTask[]> {
  const tasks: StoredTask[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await call(server, 'GET', `/api/${userId}/tasks?limit=500&offset=${offset}`, { token });
    expect(page.status).toBe(200);
    tasks.push(...page.body);
    if (page.body.length < 500) return tasks;
  }
}

const isListening = (line: Record<string, unknown>) =>
  typeof line.msg === 'string' && line.msg.startsWith('Server listening at');

/** Waits for a server expected to refuse to start; a server that listens instead is an answer too. */
async function outcomeOf(server: ServerProcess): Promise<'listening' | Exit> {
  return Promise.race([
    server.exited,
    server.waitForLog(isListening).then(
      () => 'listening' as const,
      () => new Promise<never>(() => {}),
    ),
  ]);
}

describe('starting with no configuration', () => {
  it(
    'generates a signing secret in the data folder, readable by its owner only, and says so in the log',
    async () => {
      // No DATA_DIR either: the default ./data under the working directory, as `npm start` would use.
      const cwd = tempFolder();
      const server = await startServer({ PORT: '0' }, { cwd });

      const secretFile = path.join(cwd, 'data', 'auth-secret');
      expect(existsSync(secretFile)).toBe(true);
      expect(statSync(secretFile).mode & 0o777).toBe(0o600);
      const secret = readFileSync(secretFile, 'utf8').trim();
      expect(secret.length).toBeGreaterThanOrEqual(32);

      const notice = server.logLines().find((line) => String(line.msg).includes('generated a signing secret'));
      expect(notice).toBeDefined();
      expect(path.resolve(cwd, String(notice!.file))).toBe(secretFile);
      expect(server.output()).not.toContain(secret);

      const ready = await call(server, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ok', database: 'ok' });
      await signUp(server);
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'keeps the same secret across a restart, so a token issued before it still works after it',
    async () => {
      const dataDir = tempFolder();
      const first = await startServer({ DATA_DIR: dataDir });
      const user = await signUp(first);
      const secretBefore = readFileSync(path.join(dataDir, 'auth-secret'), 'utf8');
      expect(await first.stop()).toEqual({ code: 0, signal: null });

      const second = await startServer({ DATA_DIR: dataDir });
      const saved = 'using the signing secret saved in the data folder';
      expect(second.logLines().some((line) => String(line.msg).includes(saved))).toBe(true);
      expect(second.logLines().some((line) => String(line.msg).includes('generated a signing secret'))).toBe(false);
      expect(readFileSync(path.join(dataDir, 'auth-secret'), 'utf8')).toBe(secretBefore);

      const answer = await me(second, user.token);
      expect(answer.status).toBe(200);
      expect(answer.body.user).toMatchObject({ id: user.id, email: user.email });
    },
    PROCESS_TEST_TIMEOUT,
  );
});

describe('killed with SIGKILL while writing', () => {
  it(
    'keeps the account and every task it had acknowledged with 201',
    async () => {
      const dataDir = tempFolder();
      const server = await startServer({ DATA_DIR: dataDir });
      const user = await signUp(server);

      const acknowledged = new Map<number, string>();
      const KILL_AFTER = 60;
      const WRITERS = 8;
      let killed: Promise<unknown> | undefined;
      let sent = 0;
      const writer = async () => {
        while (!killed) {
          const title = `task ${sent++}`;
          try {
            const answer = await call(server, 'POST', `/api/${user.id}/tasks`, { body: { title }, token: user.token });
            expect(answer.status).toBe(201);
            // Every 201 that reaches us counts, even one that arrives after the kill was sent.
            acknowledged.set(answer.body.id, title);
          } catch (error) {
            if (!killed) throw error;
            return;
          }
          // Kill while the other writers' requests are still on their way.
          if (acknowledged.size >= KILL_AFTER && !killed) killed = server.kill();
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, writer));
      expect(await killed).toEqual({ code: null, signal: 'SIGKILL' });
      expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
      // Writes were in flight at the kill: more were sent than acknowledged.
      expect(sent).toBeGreaterThan(acknowledged.size);

      const restarted = await startServer({ DATA_DIR: dataDir });
      const signin = await signIn(restarted, user.email);
      expect(signin.status).toBe(200);
      expect(signin.body.user.id).toBe(user.id);

      const tasks = await allTasks(restarted, user.id, signin.body.token);
      const stored = new Map(tasks.map((task) => [task.id, task.title]));
      const missing = [...acknowledged].filter(([id, title]) => stored.get(id) !== title);
      expect(missing).toEqual([]);
    },
    PROCESS_TEST_TIMEOUT,
  );
});

describe('two servers on one data folder', () => {
  it(
    'refuses to start the second one, which exits non-zero saying the data folder is in use, while the first keeps serving',
    async () => {
      const dataDir = tempFolder();
      const first = await startServer({ DATA_DIR: dataDir });
      const before = await signUp(first);

      const second = spawnServer({ DATA_DIR: dataDir, PORT: '0' });
      const outcome = await outcomeOf(second);
      expect(outcome).toEqual({ code: 1, signal: null });
      expect(second.stderr()).toMatch(/data folder .* is already in use/i);
      expect(second.output()).not.toMatch(STACK_LINE);

      // The refused server left the first one's lock and data alone.
      expect(readFileSync(path.join(dataDir, 'pglite', 'server.lock'), 'utf8').trim()).toBe(String(first.pid));
      expect((await call(first, 'GET', '/health/ready')).status).toBe(200);
      expect((await signIn(first, before.email)).status).toBe(200);
      const body = { title: 'still writing' };
      const task = await call(first, 'POST', `/api/${before.id}/tasks`, { body, token: before.token });
      expect(task.status).toBe(201);
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'starts again after a SIGKILL left a stale lock behind, with the data intact',
    async () => {
      const dataDir = tempFolder();
      const lockFile = path.join(dataDir, 'pglite', 'server.lock');
      const first = await startServer({ DATA_DIR: dataDir });
      const user = await signUp(first);
      const deadPid = first.pid;
      expect(await first.kill()).toEqual({ code: null, signal: 'SIGKILL' });
      // The lock is still there, naming a process that no longer exists.
      expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(deadPid));

      const second = await startServer({ DATA_DIR: dataDir });
      expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(second.pid));
      const signin = await signIn(second, user.email);
      expect(signin.status).toBe(200);
      expect(signin.body.user.id).toBe(user.id);
    },
    PROCESS_TEST_TIMEOUT,
  );
});

describe('SIGTERM', () => {
  // Browsers and reverse proxies keep connections open between requests; a graceful stop must not wait
  // for them to hang up, nor answer in a way that invites another request on a connection it is closing.
  it.each([
    ['a client that closes its connection after the answer', () => new http.Agent({ keepAlive: false })],
    ['a client that keeps its connection alive', () => new http.Agent({ keepAlive: true, timeout: 60_000 })],
  ])(
    'lets an in-flight signup from %s finish with 201, then exits 0 and releases the data folder',
    async (_client, makeAgent) => {
      const dataDir = tempFolder();
      const server = await startServer({ DATA_DIR: dataDir });
      const agent = makeAgent();
      try {
        const requestId = `graceful-${randomUUID()}`;
        const email = `graceful-${randomUUID().slice(0, 8)}@example.com`;
        const body = JSON.stringify({ name: 'Graceful', email, password: PASSWORD });

        // Send the headers and half the body, so the request is certainly in the server's hands,
        // unfinished, when the signal arrives.
        const request = http.request(`${server.url}/api/auth/signup`, {
          agent,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-request-id': requestId,
          },
        });
        const response = new Promise<{ status: number; body: any }>((resolve, reject) => {
          request.on('response', (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
            res.on('error', reject);
          });
          request.on('error', reject);
        });
        const half = Math.floor(body.length / 2);
        request.write(body.slice(0, half));
        await server.waitForLog((line) => line.reqId === requestId && line.msg === 'incoming request');

        const exit = server.stop();
        await server.waitForLog(
          (line) => line.msg === 'shutting down: draining connections' && line.signal === 'SIGTERM',
        );
        request.end(body.slice(half));

        const answer = await response;
        expect(answer.status).toBe(201);
        expect(answer.body.user.email).toBe(email);
        expect(await exit).toEqual({ code: 0, signal: null });
        expect(server.stderr()).toBe('');
        // A clean shutdown releases the lock, and the account was really stored.
        expect(existsSync(path.join(dataDir, 'pglite', 'server.lock'))).toBe(false);
        const restarted = await startServer({ DATA_DIR: dataDir });
        expect((await signIn(restarted, email)).status).toBe(200);
      } finally {
        agent.destroy();
      }
    },
    PROCESS_TEST_TIMEOUT,
  );
});

describe('bad configuration', () => {
  it.each([
    ['PORT=abc', { PORT: 'abc' }, ['PORT']],
    ['a BETTER_AUTH_SECRET shorter than 32 characters', { BETTER_AUTH_SECRET: 'short' }, ['BETTER_AUTH_SECRET']],
    [
      'DATABASE_URL without BETTER_AUTH_SECRET',
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' },
      ['BETTER_AUTH_SECRET', 'DATABASE_URL'],
    ],
  ])(
    'refuses to start with %s: exit code 1 and one message naming the variable, no stack trace',
    async (_case, env, names) => {
      const dataDir = tempFolder();
      const server = spawnServer({ PORT: '0', DATA_DIR: dataDir, ...env });
      const outcome = await outcomeOf(server);
      expect(outcome).toEqual({ code: 1, signal: null });
      expect(server.stderr()).toMatch(/^Could not start the server: Invalid configuration/);
      for (const name of names) expect(server.stderr()).toContain(name);
      expect(server.output()).not.toMatch(STACK_LINE);
      // It stopped before touching anything: no generated secret, no database.
      expect(readdirSync(dataDir)).toEqual([]);
    },
    PROCESS_TEST_TIMEOUT,
  );
});
