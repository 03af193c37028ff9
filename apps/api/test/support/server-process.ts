import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { killAll, launch, type Exit, type Launched } from '../../../../tools/launch-server.mjs';

/** The built server, as `npm start` runs it. `npm run build` (or `npm test`) makes it. */
export const serverEntry = fileURLToPath(new URL('../../dist/server.js', import.meta.url));

export type { Exit };

type LogLine = Record<string, unknown>;

export interface ServerProcess extends Launched {
  /** The JSON log lines on stdout, parsed. */
  logLines(): LogLine[];
  /** Resolves once a JSON log line matches, rejects if the process exits first. */
  waitForLog(match: (line: LogLine) => boolean): Promise<LogLine>;
}

export interface RunningServer extends ServerProcess {
  /** http://127.0.0.1:<port>, read from the server's own "listening" log line. */
  url: string;
}

export interface SpawnOptions {
  cwd?: string;
}

function parseLogLine(line: string): LogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return undefined;
  }
}

/**
 * Starts the built server with exactly `env` (plus PATH): nothing leaks in from the test runner's
 * environment, so "no configuration" means none, but for SHUTDOWN_GRACE, 0 unless `env` says otherwise:
 * no test waits out a drain it does not look at. Does not wait for it to listen.
 */
export function spawnServer(env: Record<string, string>, options: SpawnOptions = {}): ServerProcess {
  if (!existsSync(serverEntry)) throw new Error(`${serverEntry} is missing: run \`npm run build\` first`);
  const server = launch(serverEntry, { env: { SHUTDOWN_GRACE: '0', ...env }, cwd: options.cwd ?? process.cwd() });
  return {
    ...server,
    logLines: () =>
      server
        .lines()
        .map(parseLogLine)
        .filter((line) => line !== undefined),
    waitForLog: async (match) => {
      // No timeout of its own: the test's timeout is the one that counts.
      const line = await server.waitForLine((text) => {
        const parsed = parseLogLine(text);
        return parsed !== undefined && match(parsed);
      }, Infinity);
      return parseLogLine(line)!;
    },
  };
}

/** Starts the built server and waits until it listens. PORT defaults to 0, so the system picks a free port. */
export async function startServer(env: Record<string, string>, options: SpawnOptions = {}): Promise<RunningServer> {
  const server = spawnServer({ PORT: '0', ...env }, options);
  const listening = await server.waitForLog(
    (line) => typeof line.msg === 'string' && line.msg.startsWith('Server listening at http://127.0.0.1:'),
  );
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(String(listening.msg))![0];
  return { ...server, url };
}

/** Kills every server a test started that is still running; call it from afterEach. */
export const killAllServers = killAll;

// ---- talking to a running server, the steps every process test repeats ----

export const PASSWORD = 'correct horse battery';

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** One JSON request; `token` goes in as a bearer token. */
export async function call(
  server: RunningServer,
  method: string,
  url: string,
  options: { body?: unknown; token?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

export const uniqueEmail = (label = 'proc') => `${label}-${randomUUID().slice(0, 8)}@example.com`;

/** Signs a new person up (expecting 201); their id, email and token. */
export async function signUp(server: RunningServer, email = uniqueEmail()) {
  const body = { name: 'Process Test', email, password: PASSWORD };
  const answer = await call(server, 'POST', '/api/auth/signup', { body });
  expect(answer.status).toBe(201);
  return { id: answer.body.user.id as string, email, token: answer.body.token as string };
}

/** Signs in again over the API; the answer is the caller's to check. */
export function signIn(server: RunningServer, email: string, password = PASSWORD): Promise<Answer> {
  return call(server, 'POST', '/api/auth/signin', { body: { email, password } });
}

/** GET /api/auth/me with a bearer token. */
export function me(server: RunningServer, token: string): Promise<Answer> {
  return call(server, 'GET', '/api/auth/me', { token });
}
