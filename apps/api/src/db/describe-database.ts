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
  const fileSystemError = describeFileSystemError(current);
  if (fileSystemError) return fileSystemError;
  if (current instanceof Error) {
    const { code } = current as { code?: unknown };
    return current.message || (typeof code === 'string' ? code : current.name);
  }
  return String(current);
}

// PGlite's file system layer (Emscripten) throws plain objects, { name: 'ErrnoError', errno }, numbered as
// WASI numbers them, not as Linux does: the ones a data folder meets, in words.
const fileSystemErrors: Record<number, string> = {
  2: 'permission denied (EACCES)',
  19: 'disk quota exceeded (EDQUOT)',
  29: 'input/output error (EIO)',
  44: 'no such file or directory (ENOENT)',
  51: 'no space left on device (ENOSPC)',
  63: 'operation not permitted (EPERM)',
  69: 'read-only file system (EROFS)',
};

function describeFileSystemError(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, errno } = error as { name?: unknown; errno?: unknown };
  if (name !== 'ErrnoError' || typeof errno !== 'number') return undefined;
  return fileSystemErrors[errno] ?? `file system error ${errno}`;
}
