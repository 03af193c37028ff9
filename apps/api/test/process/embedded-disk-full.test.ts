import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  call,
  killAllServers,
  signIn,
  signUp,
  spawnServer,
  startServer,
  type RunningServer,
} from '../support/server-process.js';

// The embedded database on a disk that fills up, on a small tmpfs of the test's own (mounting one needs
// root, which CI has). A full disk must never leave a server that is up but answers nothing.

const SECRET = 'disk-full-test-secret-that-is-at-least-32-chars';
const MB = 2 ** 20;
// Free space left for the run: more than the table grows before the WAL needs its second 16 MB segment,
// less than that segment. Creating it is what fails and leaves PGlite spinning in its WAL flush.
const LEFT_FREE = 12 * MB;

const mounts: string[] = [];

function mountTmpfs(megabytes: number): string {
  if (process.getuid?.() !== 0) throw new Error('these tests mount a tmpfs, which needs root (CI runs as root)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'todo-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

afterEach(async () => {
  await killAllServers();
  for (const dir of mounts.splice(0)) {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

function fillDisk(dir: string, leaveFree: number): string {
  const { bavail, bsize } = statfsSync(dir);
  const filler = path.join(dir, 'filler');
  writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - leaveFree)));
  return filler;
}

describe('the embedded database on a full disk', () => {
  it('refuses a first start with too little space, naming the data folder and the cause', async () => {
    const dataDir = path.join(mountTmpfs(8), 'data');
    const server = spawnServer({ PORT: '0', DATA_DIR: dataDir });
    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(server.stderr().trim()).toBe(
      `Could not start the server: could not open the embedded database in ${path.join(dataDir, 'pglite')}: ` +
        'no space left on device (ENOSPC)',
    );
  }, 60_000);

  it('stops the server with a fatal log line once it stops answering, and loses no acknowledged task', async () => {
    const mount = mountTmpfs(128);
    const dataDir = path.join(mount, 'data');
    const env = { DATA_DIR: dataDir, BETTER_AUTH_SECRET: SECRET, DATABASE_QUERY_TIMEOUT: '3s' };
    const server = await startServer(env);
    const user = await signUp(server);
    const filler = fillDisk(mount, LEFT_FREE);

    // Four writers until the server stops answering. A write that fails on the full disk is the contract's
    // 500; one that never gets an answer ends when the watchdog kills the process.
    const acknowledged = new Set<number>();
    const statuses = new Map<number, number>();
    let stopped = false;
    const writer = async (name: number) => {
      for (let index = 0; !stopped; index++) {
        try {
          const answer = await call(server, 'POST', `/api/${user.id}/tasks`, {
            token: user.token,
            body: { title: `writer ${name} task ${index}`, description: 'd'.repeat(1000) },
          });
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status === 201) acknowledged.add(answer.body.id);
          else
            expect(answer.body).toEqual({
              error: 'Service temporarily unavailable, please try again',
              code: 'unavailable',
            });
        } catch {
          stopped = true; // the connection was cut: the process is gone
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));

    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(acknowledged.size).toBeGreaterThan(100);
    const fatal = server.logLines().find((line) => line.level === 60);
    expect(fatal?.msg).toMatch(
      new RegExp(`^the embedded database in ${dataDir} has not answered for \\d+ s and its disk has \\d+ MB free`),
    );

    // Once there is room again it starts, and every task it acknowledged is there. (Room for WAL recovery
    // and the sort behind paging, too: the tmpfs has 128 MB.)
    rmSync(filler);
    const restarted: RunningServer = await startServer(env);
    const token = (await signIn(restarted, user.email)).body.token as string;
    const stored = new Set<number>();
    for (let offset = 0; ; offset += 500) {
      const page = await call(restarted, 'GET', `/api/${user.id}/tasks?limit=500&offset=${offset}`, { token });
      expect(page.status).toBe(200);
      for (const task of page.body) stored.add(task.id);
      if (page.body.length < 500) break;
    }
    expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);
  }, 120_000);
});
