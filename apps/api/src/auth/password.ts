import { randomBytes } from 'node:crypto';
import { hash, verify, type Options } from '@node-rs/argon2';

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

// Both calls run on libuv's thread pool, never on the event loop.
export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
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
