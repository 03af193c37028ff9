import { Writable } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { handleError } from './error-handler.js';

// What reaches the server log when a request fails on a database error. The values a driver error
// quotes (`detail`: "Failing row contains (…)") and the SQL parameters a query error carries are
// emails and password hashes: the log keeps the cause, never them.

const EMAIL = 'leaky.person@example.com';
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g';
const DETAIL = `Failing row contains (6c1d0b1e-0000-4000-8000-000000000000, ${EMAIL}, Leaky, ${HASH}).`;

/** The kind of error pg raises for a constraint violation, with the row quoted in `detail`. */
function constraintViolation(): pg.DatabaseError {
  const error = new pg.DatabaseError(
    'new row for relation "users" violates check constraint "users_name_length"',
    0,
    'error',
  );
  return Object.assign(error, {
    severity: 'ERROR',
    code: '23514',
    detail: DETAIL,
    schema: 'public',
    table: 'users',
    constraint: 'users_name_length',
    where: `SQL statement "update users set password_hash = '${HASH}'"`,
  });
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An app whose one route fails with `error`, logging as JSON lines into the returned array. */
async function failingWith(error: Error) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  app = Fastify({ logger: { level: 'info', stream } });
  app.setErrorHandler(handleError);
  app.get('/fail', async () => {
    throw error;
  });
  const response = await app.inject({ method: 'GET', url: '/fail' });
  return { response, lines, raw: () => JSON.stringify(lines) };
}

describe('handleError', () => {
  it('answers 500 unavailable to a driver error and logs its code, constraint and table but not its detail', async () => {
    const { response, lines, raw } = await failingWith(constraintViolation());

    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: 'Service temporarily unavailable, please try again',
      code: 'unavailable',
    });
    const logged = lines.find((line) => line.level === 50);
    expect(logged?.err).toMatchObject({ code: '23514', constraint: 'users_name_length', table: 'users' });
    expect(String((logged?.err as Record<string, unknown>).message)).toContain('users_name_length');
    expect(raw()).not.toContain('Failing row');
    expect(raw()).not.toContain(EMAIL);
    expect(raw()).not.toContain('$argon2id$');
  });

  it("logs a failed drizzle query by its driver error, without the query's parameters or the row's detail", async () => {
    const query = 'update "users" set "password_hash" = $1, "updated_at" = now() where "users"."email" = $2';
    const { response, lines, raw } = await failingWith(
      new DrizzleQueryError(query, [HASH, EMAIL], constraintViolation()),
    );

    expect(response.statusCode).toBe(500);
    expect(response.json().code).toBe('unavailable');
    const logged = lines.find((line) => line.level === 50);
    expect(logged?.err).toMatchObject({ code: '23514', constraint: 'users_name_length' });
    expect(logged?.reqId).toEqual(expect.any(String));
    expect(raw()).not.toContain('Failing row');
    expect(raw()).not.toContain(EMAIL);
    expect(raw()).not.toContain('$argon2id$');
  });

  it('logs a failed drizzle query with no driver error behind it without its parameters either', async () => {
    const { response, lines, raw } = await failingWith(
      new DrizzleQueryError('select * from "users" where "email" = $1', [EMAIL], undefined),
    );

    expect(response.statusCode).toBe(500);
    expect(lines.some((line) => line.level === 50)).toBe(true);
    expect(raw()).not.toContain(EMAIL);
  });

  it('logs an unexpected error that is not from the database as it is, so its cause is still there', async () => {
    const { response, lines } = await failingWith(new TypeError('cannot read properties of undefined'));

    expect(response.statusCode).toBe(500);
    const logged = lines.find((line) => line.level === 50);
    expect(logged?.err).toMatchObject({ type: 'TypeError', message: 'cannot read properties of undefined' });
  });

  it('logs nothing at error level for a client error, and answers it in the contract shape', async () => {
    const { response, lines } = await failingWith(new AppError('task_not_found'));

    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'Task not found', code: 'task_not_found' });
    expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });
});

describe('handleError on a character the database cannot store', () => {
  /** What pg raises for NUL in text (22021) or a character the database's encoding lacks (22P05). */
  function unstorable(code: string, message: string): pg.DatabaseError {
    return Object.assign(new pg.DatabaseError(message, 0, 'error'), { severity: 'ERROR', code });
  }

  it.each([
    ['22021 character_not_in_repertoire', unstorable('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    [
      '22P05 untranslatable_character',
      unstorable('22P05', 'character with byte sequence 0xe2 0x82 0xac has no equivalent'),
    ],
    [
      '22021 inside a drizzle query error',
      new DrizzleQueryError(
        'insert into "tasks" ("title") values ($1)',
        ['a\u0000b'],
        unstorable('22021', 'invalid byte'),
      ),
    ],
  ])('answers 400 validation_failed to %s, not 500, and logs no error', async (_case, error) => {
    const { response, lines } = await failingWith(error);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'The request holds a character that cannot be stored',
      code: 'validation_failed',
      fields: { request: 'The request holds a character that cannot be stored' },
    });
    expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  it('still answers 500 to another data error', async () => {
    const { response } = await failingWith(unstorable('22P02', 'invalid input syntax for type integer'));
    expect(response.statusCode).toBe(500);
  });
});
