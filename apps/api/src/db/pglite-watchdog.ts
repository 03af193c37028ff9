import { Worker } from 'node:worker_threads';

// How often the server's thread says it is alive, and how often the watchdog looks.
const BEAT_MS = 250;
const CHECK_MS = 1_000;

export interface WatchdogOptions {
  /** The data folder, for the message. */
  dataDir: string;
  /** How long the thread may stay busy: a query on the embedded database may take that long at most. */
  timeoutSeconds: number;
}

/**
 * PGlite runs on the server's own thread, so a query that never returns blocks everything else: no request
 * is answered, not even /health, and SIGTERM is never handled. A full disk does that (PGlite spins in its
 * WAL flush when it cannot add a WAL segment). Only another thread can notice, so a worker watches a
 * heartbeat this thread keeps; once it has stopped for `timeoutSeconds`, the worker writes a fatal log line
 * and kills the process, for a supervisor to restart it. Nothing acknowledged is lost by that: each answer
 * was sent after its commit, as with kill -9. The watch lasts as long as the process (its shutdown, which
 * checkpoints the database, is watched too) and does not keep the process alive.
 */
export function watchEmbeddedDatabase({ dataDir, timeoutSeconds }: WatchdogOptions): void {
  const heartbeat = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  setInterval(() => Atomics.add(heartbeat, 0, 1), BEAT_MS).unref();
  const worker = new Worker(new URL('./pglite-watchdog-worker.js', import.meta.url), {
    workerData: { heartbeat, dataDir, timeoutMs: timeoutSeconds * 1000, checkMs: CHECK_MS },
  });
  worker.unref();
}
