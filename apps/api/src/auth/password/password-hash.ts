import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { hash, verify, type Options } from '@node-rs/argon2';
import pLimit from 'p-limit';
import { fail } from '../../errors.js';

// argon2id at OWASP's recommended cost. verify() reads the parameters back from each stored PHC
// string, so raising these later still verifies older hashes.
export const PASSWORD_HASH_OPTIONS: Options = {
  algorithm: 2, // Argon2id (the package's Algorithm enum is const, so its value is written here)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/** True when a stored hash was made with other settings than today's, so sign-in should replace it. */
export function needsRehash(passwordHash: string): boolean {
  const { memoryCost, timeCost, parallelism } = PASSWORD_HASH_OPTIONS;
  return !passwordHash.startsWith(`$argon2id$v=19$m=${memoryCost},t=${timeCost},p=${parallelism}$`);
}

/**
 * Hashes run on libuv's thread pool, never on the event loop, and at most cores − 1 of them at once:
 * a sign-in storm then always leaves one core to the event loop, and leaves pool threads free for
 * the other work Node sends there (jose's WebCrypto checks, file reads). The benchmarks measure it.
 */
export const HASH_CONCURRENCY = Math.max(1, availableParallelism() - 1);
const limitHashing = pLimit(HASH_CONCURRENCY);

/**
 * Hashes running or waiting, at most: 64 per pool thread, under half a second of work at the ~6 ms a
 * hash takes on the benchmark machine. Past it a new one is refused at once with 503 and Retry-After
 * rather than queued behind work that delays everyone (one account changing its password in a loop
 * once took everyone's sign-in from 20 ms to seconds).
 */
export const HASH_QUEUE_LIMIT = 64 * HASH_CONCURRENCY;

// The queue drains well within a second, so that is how long a refused client is asked to wait.
const hashQueueFullError = () => fail('unavailable', { status: 503, headers: { 'Retry-After': '1' } });

/**
 * Throws 503 when the hash queue is full. Called before an attempt's first write (the throttle's
 * count), so a refused attempt leaves nothing behind; hashing itself checks again.
 */
export function assertHashQueueRoom(): void {
  if (limitHashing.activeCount + limitHashing.pendingCount >= HASH_QUEUE_LIMIT) throw hashQueueFullError();
}

/**
 * Unicode NFKC, so the same password typed on two keyboards (full-width digits, ligatures) hashes the
 * same. Applied inside hashing and verification, so no caller can forget it.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export async function hashPassword(password: string): Promise<string> {
  const normalized = normalizePassword(password);
  assertHashQueueRoom();
  return limitHashing(() => hash(normalized, PASSWORD_HASH_OPTIONS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  const normalized = normalizePassword(password);
  assertHashQueueRoom(); // outside the try: a full queue is a 503, not a wrong password
  try {
    return await limitHashing(() => verify(passwordHash, normalized));
  } catch {
    return false; // a malformed stored hash matches nothing
  }
}

// A hash of a random secret nobody knows, made once at start-up. Verifying against it when the email
// is unknown costs the same as a real verification, so response time does not reveal which emails exist.
const dummyHash = hashPassword(randomBytes(32).toString('base64'));

export async function verifyAgainstDummyHash(password: string): Promise<false> {
  await verifyPassword(await dummyHash, password);
  return false;
}
