// The watchdog's own thread (see pglite-watchdog.ts). It must not depend on the server's thread for
// anything, logging included, since that thread is the one that may be stuck.
import { statfsSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { workerData } from 'node:worker_threads';

const { heartbeat, dataDir, timeoutMs, checkMs } = workerData as {
  heartbeat: Int32Array;
  dataDir: string;
  timeoutMs: number;
  checkMs: number;
};

let lastBeat = Atomics.load(heartbeat, 0);
let lastBeatAt = Date.now();
let lastCheckAt = Date.now();

function freeMegabytes(): number | undefined {
  try {
    const { bavail, bsize } = statfsSync(dataDir);
    return Math.floor((bavail * bsize) / 2 ** 20);
  } catch {
    return undefined;
  }
}

setInterval(() => {
  const now = Date.now();
  // This thread was late too, so the whole process was paused (a suspended laptop, a stopped container):
  // the silence says nothing about the database.
  const paused = now - lastCheckAt > checkMs * 3;
  lastCheckAt = now;
  const beat = Atomics.load(heartbeat, 0);
  if (beat !== lastBeat || paused) {
    lastBeat = beat;
    lastBeatAt = now;
    return;
  }
  if (now - lastBeatAt < timeoutMs) return;

  const free = freeMegabytes();
  const line = {
    level: 60,
    time: now,
    pid: process.pid,
    hostname: hostname(),
    dataDir,
    freeMegabytes: free,
    msg:
      `the embedded database in ${dataDir} has not answered for ${Math.round((now - lastBeatAt) / 1000)} s` +
      (free !== undefined && free < 64 ? ` and its disk has ${free} MB free` : '') +
      ': stopping the server (exit by SIGKILL) so that it can be restarted',
  };
  writeSync(1, `${JSON.stringify(line)}\n`);
  process.kill(process.pid, 'SIGKILL');
}, checkMs);
