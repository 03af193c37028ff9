import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { uniqueEmail, useTestApp } from '../support/test-app.js';

// Runs on a real PostgreSQL server (the api-postgres project), where simultaneous requests really do
// run in separate connections and race to the unique index.
const ctx = useTestApp();

const SIMULTANEOUS = 20;

async function signUpAllAtOnce(emails: string[]) {
  return Promise.all(
    emails.map((email, index) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { name: `Racer ${index}`, email, password: 'correct horse battery' },
      }),
    ),
  );
}

async function usersWithEmail(email: string): Promise<Array<{ id: string; email: string }>> {
  const result = await ctx.database.db.execute(sql`select id, email from users where lower(email) = lower(${email})`);
  return (result as { rows: Array<{ id: string; email: string }> }).rows;
}

describe('POST /api/auth/signup, many at once with one email', () => {
  it.each([
    ['the same letter case', (email: string) => email],
    ['mixed letter cases', (email: string, index: number) => mixCase(email, index)],
  ])(`creates exactly one account from ${SIMULTANEOUS} simultaneous signups written in %s`, async (_case, spell) => {
    const email = uniqueEmail('race');
    const emails = Array.from({ length: SIMULTANEOUS }, (_, index) => spell(email, index));

    const responses = await signUpAllAtOnce(emails);

    const created = responses.filter((response) => response.statusCode === 201);
    const refused = responses.filter((response) => response.statusCode !== 201);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(SIMULTANEOUS - 1);
    for (const response of refused) {
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'Email already registered', code: 'email_taken' });
    }

    const winner = created[0]!.json().user;
    expect(winner.email).toBe(email.toLowerCase());
    const rows = await usersWithEmail(email);
    expect(rows).toEqual([{ id: winner.id, email: email.toLowerCase() }]);

    // The winner's token works: the account that exists is the one the 201 described.
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${created[0]!.json().token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBe(winner.id);
  });
});

/** A different spelling of the same address per index: each letter upper-cased or not by the index's bits. */
function mixCase(email: string, index: number): string {
  let letter = 0;
  return [...email]
    .map((char) => {
      if (!/[a-z]/i.test(char)) return char;
      const upper = ((index + 1) >> (letter++ % 5)) & 1;
      return upper ? char.toUpperCase() : char.toLowerCase();
    })
    .join('');
}
