import { randomUUID } from 'node:crypto';
import { like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  collisionKey,
  describeEmailProblems,
  findEmailProblems,
  logEmailProblems,
  type EmailReport,
} from '../../src/auth/email-collisions.js';
import { hashPassword } from '../../src/auth/password/password-hash.js';
import { users } from '../../src/db/schema.js';
import { postSignIn, useTestApp } from '../support/test-app.js';

const ctx = useTestApp();

const PASSWORD = 'correct horse battery';
let passwordHash: string;
beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

/** Stores accounts as an older server would have, oldest first, under this test's own tag; their ids. */
async function storeLegacyAccounts(emails: string[]): Promise<string[]> {
  const start = Date.now() - 86_400_000;
  const rows = await ctx.database.db
    .insert(users)
    .values(emails.map((email, i) => ({ email, name: 'Legacy', passwordHash, createdAt: new Date(start + i * 1000) })))
    .returning({ id: users.id });
  return rows.map((row) => row.id);
}

/** The part of the report about accounts whose address holds `tag`. */
function reportFor(report: EmailReport, tag: string) {
  return {
    collisions: report.collisions
      .filter(({ key }) => key.includes(tag))
      .map(({ accounts, signsIn }) => ({ accounts: accounts.map((a) => a.id), signsIn })),
    unreachable: report.unreachable.filter((account) => account.email.includes(tag)).map((account) => account.id),
  };
}

// Pairs an older server stored as two accounts: the first one is the older.
const collidingPairs: Array<[string, (tag: string) => [string, string], 0 | 1 | undefined]> = [
  ['a zero-width space', (tag) => [`ann-${tag}@example.com`, `ann-${tag}\u200B@example.com`], 0],
  ['a soft hyphen, the look-alike older', (tag) => [`an\u00ADn-${tag}@example.com`, `ann-${tag}@example.com`], 1],
  ['NFC and NFD', (tag) => [`josé-${tag}@example.com`, `jose\u0301-${tag}@example.com`], 0],
  ['IDN and punycode', (tag) => [`ann-${tag}@bücher.de`, `ann-${tag}@xn--bcher-kva.de`], 1],
  ['a trailing dot', (tag) => [`ann-${tag}@example.com.`, `ann-${tag}@example.com`], 1],
  ['an NFKC ligature', (tag) => [`o\uFB03ce-${tag}@example.com`, `office-${tag}@example.com`], 1],
  ['two spellings of which none is normal', (tag) => [`jose\u0301-${tag}@bücher.de`, `josé-${tag}@bücher.de`], 0],
  [
    'two that can no longer sign in',
    (tag) => [`ann\u200B-${tag}@example.com`, `ann\u00AD-${tag}@example.com`],
    undefined,
  ],
];

describe('findEmailProblems', () => {
  it.each(collidingPairs)(
    'lists two accounts that differ by %s, and the one that signs in',
    async (_case, pair, winner) => {
      const tag = randomUUID().slice(0, 8);
      const ids = await storeLegacyAccounts(pair(tag));
      const report = reportFor(await findEmailProblems(ctx.database.db), tag);
      expect(report).toEqual({
        collisions: [{ accounts: ids, signsIn: winner === undefined ? undefined : ids[winner] }],
        unreachable: [],
      });
    },
  );

  it.each(collidingPairs.filter(([, , winner]) => winner !== undefined))(
    'names, for %s, the account sign-in really reaches',
    async (_case, pair, winner) => {
      const tag = randomUUID().slice(0, 8);
      const emails = pair(tag);
      const ids = await storeLegacyAccounts(emails);
      const response = await postSignIn(ctx.app, emails[winner!], PASSWORD);
      expect(response.statusCode).toBe(200);
      expect(response.json().user.id).toBe(ids[winner!]);
    },
  );

  it('lists an account no spelling signs in to any more, although nobody shares its address', async () => {
    const tag = randomUUID().slice(0, 8);
    const ids = await storeLegacyAccounts([`bob\u200B-${tag}@example.com`, `o\uFB03ce-${tag}@example.com`]);
    const report = reportFor(await findEmailProblems(ctx.database.db), tag);
    expect(report).toEqual({ collisions: [], unreachable: ids });
  });

  it('leaves out accounts that are alone and still sign in, normal or not', async () => {
    const tag = randomUUID().slice(0, 8);
    await storeLegacyAccounts([
      `plain-${tag}@example.com`,
      `jose\u0301-${tag}@example.com`,
      `ann-${tag}@bücher.de.`,
      `zoë-${tag}@xn--bcher-kva.de`,
    ]);
    expect(reportFor(await findEmailProblems(ctx.database.db), tag)).toEqual({ collisions: [], unreachable: [] });
  });

  it('changes no account', async () => {
    const tag = randomUUID().slice(0, 8);
    await storeLegacyAccounts([`ann-${tag}@example.com`, `ann-${tag}\u200B@example.com`, `ann-${tag}@example.com.`]);
    const tagged = () =>
      ctx.database.db
        .select()
        .from(users)
        .where(like(users.email, `%${tag}%`))
        .orderBy(users.createdAt);
    const before = await tagged();
    await findEmailProblems(ctx.database.db);
    expect(await tagged()).toEqual(before);
    expect(before).toHaveLength(3);
  });
});

describe('collisionKey', () => {
  it.each([
    ['ann\u200B@example.com', 'ann@example.com'],
    ['o\uFB03ce@example.com', 'office@example.com'],
    ['jose\u0301@bücher.de.', 'josé@xn--bcher-kva.de'],
    ['ann@ｅｘａｍｐｌｅ.com', 'ann@example.com'],
  ])('sees %j as %j', (stored, key) => {
    expect(collisionKey(stored)).toBe(key);
  });
});

describe('the report of look-alike accounts', () => {
  it('spells out invisible characters and combining marks for the terminal', async () => {
    const tag = randomUUID().slice(0, 8);
    await storeLegacyAccounts([`ann-${tag}@example.com`, `ann-${tag}\u200B@example.com`]);
    const lines = describeEmailProblems(await findEmailProblems(ctx.database.db)).join('\n');
    expect(lines).toContain(`ann-${tag}\\u{200B}@example.com`);
    expect(lines).toMatch(new RegExp(`ann-${tag}@example\\.com .*signs in`));
  });

  it('goes to the start-up log by account id, without any address', async () => {
    const tag = randomUUID().slice(0, 8);
    const ids = await storeLegacyAccounts([`ann-${tag}@example.com`, `ann-${tag}\u200B@example.com`]);
    const warnings: Array<[object, string]> = [];
    await logEmailProblems(ctx.database.db, { warn: (details, message) => warnings.push([details, message]) });
    const logged = JSON.stringify(warnings);
    expect(logged).toContain(ids[0]);
    expect(logged).toContain(ids[1]);
    expect(logged).toContain('npm run db:check-emails');
    expect(logged).not.toContain(tag);
  });

  it('is only a warning when the check itself fails', async () => {
    const warnings: string[] = [];
    const broken = {
      select: () => {
        throw new Error('database down');
      },
    } as never;
    await logEmailProblems(broken, { warn: (_details, message) => warnings.push(message) });
    expect(warnings).toEqual(['could not check stored email addresses for look-alikes']);
  });
});
