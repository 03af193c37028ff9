// The hash bound: password verifications per second, run bare in a Node process like the server's
// (the same libuv thread pool size, set by UV_THREADPOOL_SIZE), with exactly one verification in
// flight per pool thread. HASH=argon2id uses the API's own password module (argon2id m=19456,
// t=2, p=1 through @node-rs/argon2); HASH=scrypt uses Better Auth's (scrypt N=16384, r=16, p=1).
import { importApi } from './api.mjs';

const inFlight = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
const seconds = Number(process.env.HASH_SECONDS);
const password = 'bench-password-7Qx!';

async function loadHasher(kind) {
  if (kind === 'argon2id') {
    const { hashPassword, verifyPassword } = await importApi('auth/password/password-hash.js');
    const stored = await hashPassword(password);
    return () => verifyPassword(stored, password);
  }
  const { hashPassword, verifyPassword } = await import('better-auth/crypto');
  const stored = await hashPassword(password);
  return () => verifyPassword({ hash: stored, password });
}

const verify = await loadHasher(process.env.HASH);
// One round untimed: thread start-up and first allocations.
await Promise.all(Array.from({ length: inFlight }, verify));

let done = 0;
const deadline = performance.now() + seconds * 1000;
async function keepVerifying() {
  while (performance.now() < deadline) {
    if (!(await verify())) throw new Error('verification failed');
    done += 1;
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: inFlight }, keepVerifying));
const elapsed = (performance.now() - started) / 1000;
process.send(
  { type: 'result', perSecond: done / elapsed, verifications: done, seconds: elapsed, threads: inFlight },
  () => process.disconnect(),
);
