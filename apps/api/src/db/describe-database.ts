import { parse } from 'pg-connection-string';

/** Which PostgreSQL a URL points at, for messages: host, port and database, never the password. */
export function describePostgres(url: string): string {
  try {
    const { host, port, database } = parse(url);
    return `${host ?? 'localhost'}:${port ?? 5432}/${database ?? '(default database)'}`;
  } catch {
    return 'the server in the connection URL';
  }
}

/**
 * The cause of a database failure in a few words: the driver's own message, not drizzle's wrapper (which
 * quotes the whole statement), and never "undefined" (a refused connection to a name with two addresses is
 * an AggregateError with no message of its own).
 */
export function describeCause(error: unknown): string {
  let current = error;
  // drizzle's DrizzleQueryError says "Failed query: <sql>"; the error it wraps says what went wrong.
  while (current instanceof Error && current.message.startsWith('Failed query:') && current.cause) {
    current = current.cause;
  }
  if (current instanceof AggregateError && current.errors.length > 0) return describeCause(current.errors[0]);
  if (current instanceof Error) {
    const { code } = current as { code?: unknown };
    return current.message || (typeof code === 'string' ? code : current.name);
  }
  return String(current);
}
