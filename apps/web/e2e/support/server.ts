import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built server, exactly as `npm start` runs it; `npm run build` at the root makes it and the web app. */
const serverEntry = fileURLToPath(new URL('../../../api/dist/server.js', import.meta.url));
const webIndex = fileURLToPath(new URL('../../dist/index.html', import.meta.url));

/**
 * For beforeAll/afterAll/afterEach: starting a server and a browser on a busy two-core machine can
 * take longer than vitest's 10 s default, which the e2e project does not raise.
 */
export const HOOK_TIMEOUT_MS = 60_000;

export interface E2eServer {
  /** http://127.0.0.1:<port>, the one origin the page and the API share. */
  baseUrl: string;
  /** The server's data folder (embedded database, generated signing secret); removed by stop(). */
  dataDir: string;
  /** Everything the server wrote so far, for failure messages. */
  output(): string;
  /** SIGTERM, SIGKILL if it lingers, then removes the data folder. */
  stop(): Promise<void>;
}

// A safety net: if the test process ends before afterAll stopped a server (a hook timed out while the
// server was still starting, say), the server and its data folder must not outlive it. Vitest ends its
// workers with SIGTERM, which skips 'exit' handlers, so that signal is caught too and then re-raised.
const running = new Map<ChildProcess, string>();
function killRunningServers(): void {
  for (const [child, dataDir] of running) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
  running.clear();
}
process.once('exit', killRunningServers);
process.once('SIGTERM', () => {
  killRunningServers();
  process.kill(process.pid, 'SIGTERM');
});

/** A port nobody listens on right now: the system picks it, we release it and hand it to the server. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the built server on a fresh embedded database and waits until GET /health answers.
 * One per test file: call it in beforeAll and `stop()` in afterAll.
 */
export async function startServer(): Promise<E2eServer> {
  for (const file of [serverEntry, webIndex]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` at the repository root first`);
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'todo-e2e-'));

  // Only what the server needs: nothing from the runner's environment (a DATABASE_URL, say) leaks in.
  const child = spawn(process.execPath, [serverEntry], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ALLOWED_ORIGINS: baseUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.set(child, dataDir);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const isRunning = () => child.exitCode === null && child.signalCode === null;

  async function stop(): Promise<void> {
    if (isRunning()) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => isRunning() && child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dataDir, { recursive: true, force: true });
    running.delete(child);
  }

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!isRunning()) {
      await stop();
      throw new Error(`the server exited before it was ready; its output:\n${output}`);
    }
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer GET /health within 30 s; its output:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return { baseUrl, dataDir, output: () => output, stop };
}
