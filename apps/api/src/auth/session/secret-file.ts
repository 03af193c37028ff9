import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface GeneratedSecret {
  secret: string;
  file: string;
  created: boolean;
}

/**
 * The signing secret for a laptop install with no configuration: made once, kept in the data folder
 * readable by its owner only, so tokens survive restarts without anyone creating a .env.
 */
export function loadOrCreateSecret(dataDir: string): GeneratedSecret {
  const file = path.join(dataDir, 'auth-secret');
  try {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return { secret, file, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, file, created: true };
}
