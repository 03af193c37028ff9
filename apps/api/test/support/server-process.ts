import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built server, as `npm start` runs it. `npm run build` (or `npm test`) makes it. */
export const serverEntry = fileURLToPath(new URL('../../dist/server.js', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  process: ChildProcess;
  /** Everything the process has written to stdout so far. */
  stdout(): string;
  /** Everything the process has written to stderr so far. */
  stderr(): string;
  /** stdout and stderr interleaved as they arrived. */
  logs(): string;
  /** The JSON log lines on stdout, parsed. */
  logLines(): Array<Record<string, unknown>>;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** Resolves once a stdout line matches, rejects if the process exits first. */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<Exit>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<Exit>;
}

export interface RunningServer extends ServerProcess {
  /** http://127.0.0.1:<port>, read from the server's own "listening" log line. */
  url: string;
}

const spawned = new Set<ChildProcess>();

export interface SpawnOptions {
  cwd?: string;
}

/**
 * Starts the built server with exactly `env` (plus PATH): nothing leaks in from the test runner's
 * environment, so "no configuration" means none. Does not wait for it to listen.
 */
export function spawnServer(env: Record<string, string>, options: SpawnOptions = {}): ServerProcess {
  if (!existsSync(serverEntry)) throw new Error(`${serverEntry} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [serverEntry], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.add(child);

  let stdout = '';
  let stderr = '';
  let all = '';
  const lineWatchers = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    all += chunk;
    for (const watcher of lineWatchers) watcher();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    all += chunk;
  });

  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => {
      spawned.delete(child);
      for (const watcher of lineWatchers) watcher();
      resolve({ code, signal });
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  const logLines = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });

  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exited;
  };

  return {
    process: child,
    stdout: () => stdout,
    stderr: () => stderr,
    logs: () => all,
    logLines,
    exited,
    waitForLog: (match) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = logLines().find(match);
          if (found) {
            lineWatchers.delete(check);
            resolve(found);
          } else if (hasExited || child.exitCode !== null || child.signalCode !== null) {
            lineWatchers.delete(check);
            reject(new Error(`the server exited before logging what was awaited; its output:\n${all}`));
          }
        };
        lineWatchers.add(check);
        check();
      }),
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
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
export async function killAllServers(): Promise<void> {
  const running = [...spawned];
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
