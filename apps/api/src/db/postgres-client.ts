import pg from 'pg';

export interface ClientRules {
  /** False: every statement goes unnamed, as a pooler in transaction mode needs (see below). */
  namedStatements: boolean;
}

// The message node-postgres gives a query that has not answered within query_timeout.
const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

type Callback = (error: Error | undefined, result: unknown) => void;

/**
 * node-postgres's Client with two rules every connection of the pool follows.
 *
 * Behind a pooler in transaction mode (PgBouncer, Neon's pooled URL) consecutive statements may run on
 * different server connections, so a statement prepared by name on one is missing on the next, or
 * already there under that name: names are dropped unless DATABASE_PREPARED_STATEMENTS says the
 * pooler keeps them. Unnamed statements still take parameters, so nothing is ever spliced into SQL.
 *
 * A query past its deadline fails, but its connection would stay busy waiting for the answer, and
 * the next query on it (a transaction's ROLLBACK) would wait a whole deadline again: the connection is
 * ended instead, so every later query on it fails at once and the pool replaces it.
 */
export function pooledClientClass(rules: ClientRules): typeof pg.Client {
  return class PooledClient extends pg.Client {
    // node-postgres's query() has a dozen overloads; this passes every one through unchanged.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      if (!rules.namedStatements) args[0] = withoutName(args[0]);
      const last: unknown = args.at(-1);
      if (typeof last === 'function') {
        args[args.length - 1] = (error: Error | undefined, result: unknown) => {
          this.endAfterTimeout(error);
          (last as Callback)(error, result);
        };
        return super.query(...(args as Parameters<pg.Client['query']>));
      }
      const answer: unknown = super.query(...(args as Parameters<pg.Client['query']>));
      if (!(answer instanceof Promise)) return answer;
      return answer.catch((error: unknown) => {
        this.endAfterTimeout(error);
        throw error;
      });
    }

    private endAfterTimeout(error: unknown): void {
      // With the late query still active, end() cuts the socket rather than waiting on it.
      if (error instanceof Error && error.message === QUERY_TIMEOUT_MESSAGE) this.end().catch(() => {});
    }
  };
}

function withoutName(config: unknown): unknown {
  if (typeof config !== 'object' || config === null || !('name' in config) || !config.name) return config;
  // A submittable (a Query or Cursor object) is not a plain config; drizzle never names those.
  if ('submit' in config) return config;
  return { ...config, name: undefined };
}
