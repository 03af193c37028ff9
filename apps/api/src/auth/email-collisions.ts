import { domainToASCII } from 'node:url';
import { normalizeEmail } from '@todo/shared/email';
import { inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users } from '../db/schema.js';
import { pickAccount, storedSpellings } from './email-spellings.js';

export interface StoredAccount {
  id: string;
  email: string;
  createdAt: Date;
}

/** Accounts whose addresses a person could not tell apart, and which of them (if any) signs in. */
export interface EmailCollision {
  key: string;
  accounts: StoredAccount[];
  /** The id of the account its address signs in to; undefined when none does. */
  signsIn: string | undefined;
}

export interface EmailReport {
  collisions: EmailCollision[];
  /** Accounts no spelling of an address signs in to, although no other account shares it. */
  unreachable: StoredAccount[];
}

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const ASCII = /^[\x21-\x7e]*$/;

/**
 * What an address looks like to a person: without invisible characters, NFKC-folded, the domain in
 * ASCII without its trailing dot. Two stored addresses with one key are one mailbox to the eye.
 */
export function collisionKey(stored: string): string {
  const text = stored.replace(INVISIBLE, '').normalize('NFKC').toLowerCase().normalize('NFKC');
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const typed = text.slice(at + 1);
  const domain = typed.endsWith('.') ? typed.slice(0, -1) : typed;
  return `${text.slice(0, at)}@${ASCII.test(domain) ? domain : domainToASCII(domain) || domain}`;
}

/** Whether sign-in, given `candidates` (every stored account), reaches this account by some spelling. */
function signsInTo(account: StoredAccount, candidates: StoredAccount[]): boolean {
  const normal = normalizeEmail(account.email);
  if (normal === undefined) return false;
  const spellings = new Set(storedSpellings(normal));
  return (
    pickAccount(
      candidates.filter((row) => spellings.has(row.email)),
      normal,
    )?.id === account.id
  );
}

const BATCH = 1000;

/**
 * Existing accounts that today's normalisation of addresses would have kept apart from nobody: those
 * sharing one address (a collision) and those no spelling signs in to any more (a format character,
 * a ligature). Read-only: nothing is merged or changed, that is the operator's call. Only addresses
 * that are not plain lower-case ASCII can be involved, so the scan reads those and their counterparts.
 */
export async function findEmailProblems(db: Db): Promise<EmailReport> {
  const suspects: StoredAccount[] = await db
    .select({ id: users.id, email: users.email, createdAt: users.createdAt })
    .from(users)
    .where(or(sql`${users.email} ~ ${'[^\\x21-\\x7e]'}`, sql`${users.email} like '%.'`));
  // Group the suspects by key, then add the plain accounts stored under those keys.
  const byKey = new Map<string, StoredAccount[]>();
  for (const account of suspects) {
    const key = collisionKey(account.email);
    byKey.set(key, [...(byKey.get(key) ?? []), account]);
  }
  const keys = [...byKey.keys()];
  for (let start = 0; start < keys.length; start += BATCH) {
    const plain = await db
      .select({ id: users.id, email: users.email, createdAt: users.createdAt })
      .from(users)
      .where(inArray(users.email, keys.slice(start, start + BATCH)));
    for (const account of plain) {
      const group = byKey.get(account.email)!;
      if (!group.some((member) => member.id === account.id)) group.push(account);
    }
  }
  const report: EmailReport = { collisions: [], unreachable: [] };
  for (const [key, accounts] of byKey) {
    accounts.sort((a, b) => +a.createdAt - +b.createdAt);
    if (accounts.length > 1) {
      report.collisions.push({ key, accounts, signsIn: accounts.find((a) => signsInTo(a, accounts))?.id });
    } else if (!signsInTo(accounts[0]!, accounts)) {
      report.unreachable.push(accounts[0]!);
    }
  }
  return report;
}

/** An address with its invisible characters and combining marks spelled out, so look-alikes differ. */
export function showAddress(email: string): string {
  return email.replace(/[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}]/gu, (char) => {
    return `\\u{${char.codePointAt(0)!.toString(16).toUpperCase()}}`;
  });
}

/** The report for a person at a terminal (`npm run db:check-emails`): one line per account. */
export function describeEmailProblems(report: EmailReport): string[] {
  const line = (account: StoredAccount, note: string) =>
    `  ${account.id}  ${showAddress(account.email)}  (created ${account.createdAt.toISOString()}) ${note}`;
  const lines: string[] = [];
  for (const { key, accounts, signsIn } of report.collisions) {
    lines.push(`${accounts.length} accounts look like ${showAddress(key)}:`);
    for (const account of accounts) {
      lines.push(line(account, account.id === signsIn ? 'signs in' : 'cannot sign in'));
    }
  }
  if (report.unreachable.length > 0) lines.push('Accounts whose address can no longer sign in:');
  for (const account of report.unreachable) lines.push(line(account, 'cannot sign in'));
  return lines;
}

interface WarnLog {
  warn: (details: object, message: string) => void;
}

/**
 * At start-up: says in the log which accounts collide or can no longer sign in, by id (the log keeps
 * no addresses), and where to read the addresses. Changes nothing; a failure only gets logged.
 */
export async function logEmailProblems(db: Db, log: WarnLog): Promise<void> {
  let report: EmailReport;
  try {
    report = await findEmailProblems(db);
  } catch (err) {
    log.warn({ err }, 'could not check stored email addresses for look-alikes');
    return;
  }
  const advice = 'nothing was changed; `npm run db:check-emails` lists the addresses';
  if (report.collisions.length > 0) {
    const collisions = report.collisions.map(({ accounts, signsIn }) => ({
      accounts: accounts.map((account) => account.id),
      signsIn: signsIn ?? null,
    }));
    const subject = collisions.length === 1 ? '1 address is' : `${collisions.length} addresses are`;
    log.warn({ collisions }, `${subject} shared by look-alike accounts; ${advice}`);
  }
  if (report.unreachable.length > 0) {
    const accounts = report.unreachable.map((account) => account.id);
    const subject = accounts.length === 1 ? '1 account has' : `${accounts.length} accounts have`;
    log.warn({ accounts }, `${subject} an address that can no longer sign in; ${advice}`);
  }
}
