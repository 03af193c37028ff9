import { z } from 'zod';
import { parseDuration } from './duration.js';

// Every setting the server reads, with its default. This module is the only reader of process.env.
const envFieldsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  /** A direct (unpooled) URL for migrations, such as Neon's; unset: DATABASE_URL. */
  DATABASE_MIGRATION_URL: z.string().min(1).optional(),
  /** How long one query may take before it fails and its connection is dropped. */
  DATABASE_QUERY_TIMEOUT: durationSetting('10s'),
  /** How long a starting replica waits for another one's migrations before it gives up. */
  DATABASE_MIGRATION_LOCK_TIMEOUT: durationSetting('2m'),
  /** Named prepared statements: only on a direct connection or a pooler that keeps them (PgBouncer 1.21+). */
  DATABASE_PREPARED_STATEMENTS: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  BETTER_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters long').optional(),
  /** Retired secrets, comma-separated: tokens they signed still verify, new ones use BETTER_AUTH_SECRET. */
  BETTER_AUTH_PREVIOUS_SECRETS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((secret) => secret.trim())
        .filter(Boolean),
    )
    .refine(
      (secrets) => secrets.every((secret) => secret.length >= 32),
      'every secret must be at least 32 characters long',
    ),
  JWT_ISSUER: z.string().min(1).default('todo-api'),
  JWT_AUDIENCE: z.string().min(1).default('todo-api'),
  JWT_EXPIRES_IN: durationSetting('7d'),
  /**
   * The longest a browser session can be kept alive by use (sliding sessions), counted from sign-in.
   * Unset: 30 days, or JWT_EXPIRES_IN when that is longer (below).
   */
  SESSION_MAX_AGE: z
    .string()
    .optional()
    .transform((value, ctx) => (value === undefined ? undefined : toSeconds(value, ctx))),
  /** Where people open the app: http(s), a trailing slash dropped. Unset: http://localhost:PORT (below). */
  PUBLIC_URL: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const url = parsePublicUrl(value);
      if (url === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL such as https://todo.example' });
        return z.NEVER;
      }
      return url;
    }),
  /** Unset: PUBLIC_URL's origin alone (below). `npm run dev` adds Vite's origin itself. */
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((value) =>
      value
        ?.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .refine((origins) => !origins?.includes('*'), 'must list origins; "*" is not allowed with credentials'),
  /** The built web app to serve at /; defaults to apps/web/dist. */
  WEB_DIR: z.string().min(1).optional(),
  /** Per client address, for signin and for signup separately: a burst, then a steady refill. */
  RATE_LIMIT_IP_BURST: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().positive().default(100),
  /** How long auth_events rows are kept before housekeeping deletes them. */
  AUDIT_RETENTION: durationSetting('90d'),
  /** How long a client may take to send one whole request, headers and body (see http/http-app.ts). */
  REQUEST_TIMEOUT: durationSetting('30s'),
  /** Open connections the server accepts in all, and from one client address (when TRUST_PROXY is unset). */
  MAX_CONNECTIONS: z.coerce.number().int().min(1).default(4096),
  MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(256),
  /** After SIGTERM: how long to go on serving, with /health/ready at 503, so a load balancer drains the replica. */
  SHUTDOWN_GRACE: durationSetting('5s', { zero: true }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value) => parseTrustProxy(value)),
});

const DEFAULT_SESSION_MAX_AGE = 30 * 86400;

// The defaults that depend on another setting: PUBLIC_URL on PORT, ALLOWED_ORIGINS on PUBLIC_URL,
// SESSION_MAX_AGE on JWT_EXPIRES_IN.
const envSchema = envFieldsSchema.transform((env) => {
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  return {
    ...env,
    PUBLIC_URL: publicUrl,
    ALLOWED_ORIGINS: env.ALLOWED_ORIGINS ?? [new URL(publicUrl).origin],
    SESSION_MAX_AGE: env.SESSION_MAX_AGE ?? Math.max(DEFAULT_SESSION_MAX_AGE, env.JWT_EXPIRES_IN),
  };
});

export type Config = z.output<typeof envSchema>;

/** A duration setting in whole seconds, written as 3600, 15m, 12h or 7d; more than 0 unless `zero` allows it. */
function durationSetting(fallback: string, { zero = false } = {}) {
  return z
    .string()
    .default(fallback)
    .transform((value, ctx) => toSeconds(value, ctx, { zero }));
}

function toSeconds(value: string, ctx: z.RefinementCtx, { zero = false } = {}): number {
  const seconds = parseDuration(value);
  if (seconds === undefined || (seconds === 0 && !zero)) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 3600, 15m, 12h or 7d' });
    return z.NEVER;
  }
  return seconds;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.DATABASE_URL && !parsed.data.BETTER_AUTH_SECRET) {
    throw new Error(
      'Invalid configuration:\n  BETTER_AUTH_SECRET: is required when DATABASE_URL is set (at least 32 characters)',
    );
  }
  if (parsed.data.SESSION_MAX_AGE < parsed.data.JWT_EXPIRES_IN) {
    throw new Error(
      'Invalid configuration:\n  SESSION_MAX_AGE: must be at least JWT_EXPIRES_IN, the life of one token',
    );
  }
  if (parsed.data.DATABASE_MIGRATION_URL && !parsed.data.DATABASE_URL) {
    throw new Error(
      'Invalid configuration:\n  DATABASE_MIGRATION_URL: is only used with DATABASE_URL; set both or neither',
    );
  }
  return parsed.data;
}

// An empty variable (PORT= in a shell) means "use the default", not "invalid" — except the secret:
// BETTER_AUTH_SECRET= is a secret set to nothing, refused like any secret under 32 characters.
function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && (entry[1] !== '' || entry[0] === 'BETTER_AUTH_SECRET'),
    ),
  );
}

// An http(s) URL with no credentials, query or fragment (paths are appended to it), normalised as the URL
// parser writes it, without trailing slashes: "https://Todo.Example/" is "https://todo.example".
function parsePublicUrl(value: string): string | undefined {
  if (/[\s?#]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return undefined;
  return url.href.replace(/\/+$/, '');
}

// Fastify's trustProxy: true, a hop count (as a function of the hop) or a list of addresses/CIDRs.
// Unset means X-Forwarded-For is ignored, so a client cannot choose the address it is seen as.
function parseTrustProxy(value: string | undefined): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (value === undefined) return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}
