import path from 'node:path';
import { measureInterleaved } from '../measure.mjs';
import { startChild } from '../processes.mjs';
import { apiDist } from '../settings.mjs';

/**
 * Verifications per second of one password hash ('argon2id' ours, 'scrypt' Better Auth's) in a bare
 * Node process whose libuv pool has `threads` threads, all kept busy for `seconds`.
 */
export async function measureHashBound(kind, threads, seconds, logDir) {
  const bound = await startChild('hash-bound.mjs', {
    env: { HASH: kind, HASH_SECONDS: String(seconds), UV_THREADPOOL_SIZE: String(threads), BENCH_API_DIST: apiDist },
    logFile: path.join(logDir, `hash-bound-${kind}-${threads}.log`),
    readyType: 'result',
  });
  // Its exit (freeing the hash memory) must not overlap whatever is measured next.
  await bound.exited;
  return bound.readyWith;
}

/**
 * Sign-in at saturation against its hash bound, measured in turns (bound, sign-in, bound, …) so that
 * the ratio between them does not depend on what else the machine was doing at either moment.
 */
export async function measureAgainstBound(server, load, { kind, threads, logDir }) {
  const bounds = [];
  const [result] = await measureInterleaved([{ server, load }], {
    beforeEachRound: async (slice) => bounds.push(await measureHashBound(kind, threads, slice, logDir)),
  });
  const verifications = bounds.reduce((sum, b) => sum + b.verifications, 0);
  const boundSeconds = bounds.reduce((sum, b) => sum + b.seconds, 0);
  return {
    ...result,
    bound: { kind, threads, perSecond: verifications / boundSeconds, verifications, seconds: boundSeconds },
  };
}
