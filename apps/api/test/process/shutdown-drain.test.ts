import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllServers, startServer, type RunningServer } from '../support/server-process.js';

// A load balancer keeps connections open to each replica and may send on them until it has seen the
// replica's /health/ready fail. A replica told to stop must answer those requests, never reset them.

const GRACE_SECONDS = 2;
const CONNECTIONS = 8;

const folders: string[] = [];
afterEach(async () => {
  await killAllServers();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

interface Outcome {
  status?: number;
  connection?: string;
  body?: string;
  error?: string;
}

function get(server: RunningServer, agent: http.Agent, url: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = http.get(`${server.url}${url}`, { agent }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, connection: response.headers.connection, body }));
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}

describe('SIGTERM with SHUTDOWN_GRACE', () => {
  it('answers every request sent on open keep-alive connections during the grace, with Connection: close, and turns /health/ready to 503', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'todo-drain-'));
    folders.push(dataDir);
    const server = await startServer({ DATA_DIR: dataDir, SHUTDOWN_GRACE: `${GRACE_SECONDS}s` });
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS, timeout: 60_000 });
    try {
      // Open the connections and leave them idle, as a load balancer's pool does.
      const warm = await Promise.all(Array.from({ length: CONNECTIONS }, () => get(server, agent, '/health')));
      expect(warm.map((outcome) => outcome.status)).toEqual(Array(CONNECTIONS).fill(200));
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(CONNECTIONS);

      const signalledAt = Date.now();
      const exit = server.stop();
      await server.waitForLog((line) => line.msg === 'shutting down: draining connections');

      // Keep sending for half the grace: first on the idle sockets, then on new ones.
      const outcomes: Outcome[] = [];
      while (Date.now() - signalledAt < (GRACE_SECONDS * 1000) / 2) {
        outcomes.push(...(await Promise.all(Array.from({ length: CONNECTIONS }, () => get(server, agent, '/health')))));
      }
      const ready = await get(server, agent, '/health/ready');

      expect(outcomes.filter((outcome) => outcome.error !== undefined)).toEqual([]);
      expect(outcomes.length).toBeGreaterThanOrEqual(CONNECTIONS);
      expect(outcomes.every((outcome) => outcome.status === 200 && outcome.connection === 'close')).toBe(true);
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body!)).toEqual({
        status: 'shutting_down',
        error: 'The server is shutting down',
        code: 'unavailable',
      });

      expect(await exit).toEqual({ code: 0, signal: null });
      // It served out the grace before it stopped, and not much longer.
      const stoppedAfter = Date.now() - signalledAt;
      expect(stoppedAfter).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000);
      expect(server.stderr()).toBe('');
    } finally {
      agent.destroy();
    }
  }, 60_000);
});
