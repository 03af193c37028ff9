import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
 * environment, so "no configuration" means none. Does not wait for it to listen.
 */
export function spawnServer(env: Record<string, string>, options: SpawnOptions = {}): ServerProcess {
  if (!existsSync(serverEntry)) throw new Error(`${serverEntry} is missing: run \`npm run build\` first`);
  const server = launch(serverEntry, { env, cwd: options.cwd ?? process.cwd() });
  return {
    ...server,
    logLines: () => server.lines().map(parseLogLine).filter((line) => line !== undefined),
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
