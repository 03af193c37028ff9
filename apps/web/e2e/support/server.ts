import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll, start, type Started } from '../../../../tools/launch-server.mjs';

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
const dataDirs = new Set<string>();
function killRunningServers(): void {
  void killAll(); // sends every SIGKILL at once; the promise is only for who can wait
  for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  dataDirs.clear();
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
      const port = typeof address === 'object' && address ? address.port : undefined;
      probe.close(() => (port ? resolve(port) : reject(new Error('no port'))));
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
  dataDirs.add(dataDir);
  const removeDataDir = async () => {
    await rm(dataDir, { recursive: true, force: true });
    dataDirs.delete(dataDir);
  };

  let server: Started;
  try {
    server = await start(serverEntry, {
      // Only what the server needs: nothing from the runner's environment (a DATABASE_URL, say) leaks in.
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        ALLOWED_ORIGINS: baseUrl,
        SHUTDOWN_GRACE: '0',
      },
      // At LOG_LEVEL=warn the server logs no "listening" line: it is ready once GET /health answers.
      ready: { url: `${baseUrl}/health` },
      timeoutMs: 30_000,
      graceMs: 3_000,
    });
  } catch (error) {
    await removeDataDir();
    throw error;
  }
  return {
    baseUrl,
    dataDir,
    output: server.output,
    stop: async () => {
      await server.stop();
      await removeDataDir();
    },
  };
}
