import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  needsRehash,
  PASSWORD_HASH_OPTIONS,
  verifyAgainstDummyHash,
  verifyPassword,
} from './password-hash.js';

describe('hashPassword', () => {
  it('produces an argon2id PHC string with m=19456, t=2, p=1', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}$/);
    expect(stored).not.toContain('correct horse battery');
  });

  it('salts every hash, so the same password never hashes the same twice', async () => {
    const [first, second] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(first).not.toBe(second);
  });
});

describe('verifyPassword', () => {
  it('answers true for the password that was hashed', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword(stored, 'correct horse battery')).toBe(true);
  });

  it.each([
    ['a different password', 'correct horse battery!'],
    ['the password in another letter case', 'Correct Horse Battery'],
    ['an empty password', ''],
  ])('answers false for %s', async (_case, attempt) => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword(stored, attempt)).toBe(false);
  });

  it('compares non-ASCII passwords exactly', async () => {
    const stored = await hashPassword('Zoë’s pässwörd 😀');
    expect(await verifyPassword(stored, 'Zoë’s pässwörd 😀')).toBe(true);
    expect(await verifyPassword(stored, 'Zoe’s passwort 😀')).toBe(false);
  });

  it.each([
    ['an empty string', ''],
    ['plain text', 'not-a-hash'],
    ['a truncated PHC string', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ'],
    [
      'a PHC string with garbage parameters',
      '$argon2id$v=19$m=x,t=y,p=z$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA',
    ],
    ['a bcrypt hash', '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'],
  ])('answers false, without throwing, when the stored hash is %s', async (_case, stored) => {
    await expect(verifyPassword(stored, 'correct horse battery')).resolves.toBe(false);
  });

  it('still verifies hashes made with other argon2 parameters, read back from the PHC string', async () => {
    const older = await hash('correct horse battery', { algorithm: 2, memoryCost: 8192, timeCost: 3, parallelism: 1 });
    expect(older).toContain('m=8192,t=3,p=1');
    expect(await verifyPassword(older, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(older, 'wrong horse battery')).toBe(false);
  });
});

describe('verifyAgainstDummyHash', () => {
  it.each([
    ['a typical password', 'correct horse battery'],
    ['an empty password', ''],
    ['a long password', 'x'.repeat(128)],
  ])('answers false for %s', async (_case, attempt) => {
    await expect(verifyAgainstDummyHash(attempt)).resolves.toBe(false);
  });
});

describe('needsRehash', () => {
  it("answers false for a hash made with today's parameters", async () => {
    expect(await hashPassword('correct horse battery')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(needsRehash(await hashPassword('correct horse battery'))).toBe(false);
  });

  it.each([
    ['a higher time cost', { timeCost: 3 }, 'm=19456,t=3,p=1'],
    ['a lower memory cost', { memoryCost: 8192 }, 'm=8192,t=2,p=1'],
    ['a higher memory cost', { memoryCost: 65_536 }, 'm=65536,t=2,p=1'],
    ['another parallelism', { parallelism: 2 }, 'm=19456,t=2,p=2'],
  ])('answers true for an argon2id hash with %s', async (_case, change, parameters) => {
    const older = await hash('correct horse battery', { ...PASSWORD_HASH_OPTIONS, ...change });
    expect(older).toContain(`$argon2id$v=19$${parameters}$`);
    expect(needsRehash(older)).toBe(true);
  });

  it("answers true for an argon2i hash with today's costs", async () => {
    const older = await hash('correct horse battery', { ...PASSWORD_HASH_OPTIONS, algorithm: 1 });
    expect(older).toMatch(/^\$argon2i\$v=19\$m=19456,t=2,p=1\$/);
    expect(needsRehash(older)).toBe(true);
  });

  it.each([
    ['a bcrypt hash', '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'],
    [
      'an argon2id hash of an older version',
      '$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA',
    ],
    [
      "a hash whose costs merely start like today's",
      '$argon2id$v=19$m=194560,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA',
    ],
  ])('answers true for %s', (_case, stored) => {
    expect(needsRehash(stored)).toBe(true);
  });
});
