import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const SECRET = 'a-secret-that-is-at-least-32-characters-long';

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted the configuration');
}

describe('loadConfig', () => {
  it('fills in every default from an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      DATABASE_POOL_MAX: 10,
      JWT_EXPIRES_IN: 7 * 86400,
      SESSION_MAX_AGE: 30 * 86400,
      PUBLIC_URL: 'http://localhost:3000',
      ALLOWED_ORIGINS: ['http://localhost:3000'],
      LOG_LEVEL: 'info',
      TRUST_PROXY: false,
      JWT_ISSUER: 'todo-api',
      JWT_AUDIENCE: 'todo-api',
      BETTER_AUTH_PREVIOUS_SECRETS: [],
      AUDIT_RETENTION: 90 * 86400,
      REQUEST_TIMEOUT: 30,
      MAX_CONNECTIONS: 4096,
      MAX_CONNECTIONS_PER_ADDRESS: 256,
      DATABASE_QUERY_TIMEOUT: 10,
      DATABASE_MIGRATION_LOCK_TIMEOUT: 120,
      DATABASE_PREPARED_STATEMENTS: false,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATABASE_MIGRATION_URL).toBeUndefined();
    expect(config.BETTER_AUTH_SECRET).toBeUndefined();
  });

  it('treats an empty variable as unset and uses the default', () => {
    expect(loadConfig({ PORT: '', JWT_EXPIRES_IN: '' })).toMatchObject({ PORT: 3000, JWT_EXPIRES_IN: 7 * 86400 });
  });

  it('reads PORT as a number', () => {
    expect(loadConfig({ PORT: '8080' }).PORT).toBe(8080);
  });

  it.each([['abc'], ['80.5'], ['70000']])('refuses PORT=%s with a message naming PORT', (port) => {
    const message = refusal({ PORT: port });
    expect(message).toMatch(/^Invalid configuration/);
    expect(message).toMatch(/\bPORT\b/);
  });

  it('refuses a BETTER_AUTH_SECRET shorter than 32 characters with a message naming it', () => {
    const message = refusal({ BETTER_AUTH_SECRET: 'x'.repeat(31) });
    expect(message).toMatch(/^Invalid configuration/);
    expect(message).toContain('BETTER_AUTH_SECRET');
    expect(message).toContain('32');
    expect(message).not.toContain('x'.repeat(31)); // the secret itself is never echoed
  });

  // Unset, the embedded database generates a secret; set to nothing, it is a mistake to point out.
  it.each<[string, NodeJS.ProcessEnv]>([
    ['with the embedded database', { BETTER_AUTH_SECRET: '' }],
    ['with DATABASE_URL', { BETTER_AUTH_SECRET: '', DATABASE_URL: 'postgres://app@db:5432/app' }],
  ])('refuses an empty BETTER_AUTH_SECRET= %s, naming it, instead of treating it as unset', (_case, env) => {
    const message = refusal(env);
    expect(message).toMatch(/^Invalid configuration/);
    expect(message).toMatch(/BETTER_AUTH_SECRET: must be at least 32 characters/);
  });

  it('still treats other empty variables as unset next to a valid secret', () => {
    const config = loadConfig({ BETTER_AUTH_SECRET: SECRET, BETTER_AUTH_PREVIOUS_SECRETS: '', DATABASE_URL: '' });
    expect(config.BETTER_AUTH_SECRET).toBe(SECRET);
    expect(config.BETTER_AUTH_PREVIOUS_SECRETS).toEqual([]);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('accepts a BETTER_AUTH_SECRET of exactly 32 characters', () => {
    expect(loadConfig({ BETTER_AUTH_SECRET: 's'.repeat(32) }).BETTER_AUTH_SECRET).toBe('s'.repeat(32));
  });

  it('has no previous secrets by default', () => {
    expect(loadConfig({}).BETTER_AUTH_PREVIOUS_SECRETS).toEqual([]);
  });

  it('splits BETTER_AUTH_PREVIOUS_SECRETS on commas, trimming spaces and dropping empty entries', () => {
    const older = 'o'.repeat(32);
    const oldest = 'p'.repeat(40);
    expect(loadConfig({ BETTER_AUTH_PREVIOUS_SECRETS: ` ${older} ,${oldest},` }).BETTER_AUTH_PREVIOUS_SECRETS).toEqual([
      older,
      oldest,
    ]);
  });

  it('refuses a previous secret shorter than 32 characters with a message naming BETTER_AUTH_PREVIOUS_SECRETS', () => {
    const short = 'y'.repeat(31);
    const message = refusal({ BETTER_AUTH_SECRET: SECRET, BETTER_AUTH_PREVIOUS_SECRETS: `${'o'.repeat(32)},${short}` });
    expect(message).toMatch(/^Invalid configuration/);
    expect(message).toContain('BETTER_AUTH_PREVIOUS_SECRETS');
    expect(message).toContain('32');
    expect(message).not.toContain(short); // the secret itself is never echoed
  });

  it('defaults JWT_ISSUER and JWT_AUDIENCE to todo-api', () => {
    expect(loadConfig({})).toMatchObject({ JWT_ISSUER: 'todo-api', JWT_AUDIENCE: 'todo-api' });
  });

  it('reads JWT_ISSUER and JWT_AUDIENCE when set', () => {
    expect(loadConfig({ JWT_ISSUER: 'https://auth.example', JWT_AUDIENCE: 'todo-web' })).toMatchObject({
      JWT_ISSUER: 'https://auth.example',
      JWT_AUDIENCE: 'todo-web',
    });
  });

  it('refuses DATABASE_URL without BETTER_AUTH_SECRET, naming the secret', () => {
    const message = refusal({ DATABASE_URL: 'postgres://app@db:5432/app' });
    expect(message).toMatch(/^Invalid configuration/);
    expect(message).toContain('BETTER_AUTH_SECRET');
  });

  it('accepts DATABASE_URL together with a secret', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://app@db:5432/app', BETTER_AUTH_SECRET: SECRET });
    expect(config.DATABASE_URL).toBe('postgres://app@db:5432/app');
    expect(config.BETTER_AUTH_SECRET).toBe(SECRET);
  });

  it('reads the pooled-database settings', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://app@pooler:6432/app',
      DATABASE_MIGRATION_URL: 'postgres://app@direct:5432/app',
      BETTER_AUTH_SECRET: SECRET,
      DATABASE_QUERY_TIMEOUT: '3s',
      DATABASE_MIGRATION_LOCK_TIMEOUT: '10m',
      DATABASE_PREPARED_STATEMENTS: 'true',
    });
    expect(config).toMatchObject({
      DATABASE_MIGRATION_URL: 'postgres://app@direct:5432/app',
      DATABASE_QUERY_TIMEOUT: 3,
      DATABASE_MIGRATION_LOCK_TIMEOUT: 600,
      DATABASE_PREPARED_STATEMENTS: true,
    });
  });

  it('refuses DATABASE_MIGRATION_URL without DATABASE_URL: the embedded database would ignore it', () => {
    expect(refusal({ DATABASE_MIGRATION_URL: 'postgres://app@direct:5432/app' })).toContain(
      'DATABASE_MIGRATION_URL: is only used with DATABASE_URL',
    );
  });

  it.each([
    ['DATABASE_PREPARED_STATEMENTS', 'yes', 'must be true or false'],
    ['DATABASE_QUERY_TIMEOUT', '0', 'must be a duration'],
    ['DATABASE_MIGRATION_LOCK_TIMEOUT', 'soon', 'must be a duration'],
  ])('refuses %s=%s, naming it', (name, value, sentence) => {
    expect(refusal({ [name]: value })).toContain(`${name}: ${sentence}`);
  });

  it('drains for 5 s after SIGTERM by default; SHUTDOWN_GRACE takes a duration, 0 included', () => {
    expect(loadConfig({}).SHUTDOWN_GRACE).toBe(5);
    expect(loadConfig({ SHUTDOWN_GRACE: '0' }).SHUTDOWN_GRACE).toBe(0);
    expect(loadConfig({ SHUTDOWN_GRACE: '30s' }).SHUTDOWN_GRACE).toBe(30);
    expect(refusal({ SHUTDOWN_GRACE: 'later' })).toContain('SHUTDOWN_GRACE: must be a duration');
  });

  it.each([
    ['15m', 900],
    ['12h', 43_200],
    ['7d', 604_800],
    ['3600', 3600],
    ['45s', 45],
    ['2w', 1_209_600],
  ])('reads JWT_EXPIRES_IN=%s as %i seconds', (value, seconds) => {
    expect(loadConfig({ JWT_EXPIRES_IN: value }).JWT_EXPIRES_IN).toBe(seconds);
  });

  it('reads SESSION_MAX_AGE, and refuses one shorter than a single token lives', () => {
    expect(loadConfig({ SESSION_MAX_AGE: '90d' }).SESSION_MAX_AGE).toBe(90 * 86400);
    const message = refusal({ SESSION_MAX_AGE: '3d', JWT_EXPIRES_IN: '7d' });
    expect(message).toMatch(/^Invalid configuration/);
    expect(message).toContain('SESSION_MAX_AGE');
  });

  it('lets SESSION_MAX_AGE default to JWT_EXPIRES_IN when tokens live longer than 30 days', () => {
    expect(loadConfig({ JWT_EXPIRES_IN: '60d' }).SESSION_MAX_AGE).toBe(60 * 86400);
    expect(loadConfig({ JWT_EXPIRES_IN: '1d' }).SESSION_MAX_AGE).toBe(30 * 86400);
  });

  it.each([['soon'], ['0'], ['-5m'], ['7 days'], ['1.5h']])(
    'refuses JWT_EXPIRES_IN=%s with a message naming it',
    (value) => {
      const message = refusal({ JWT_EXPIRES_IN: value });
      expect(message).toMatch(/^Invalid configuration/);
      expect(message).toContain('JWT_EXPIRES_IN');
    },
  );

  it.each([
    ['AUDIT_RETENTION', '90 days'],
    ['SESSION_MAX_AGE', 'a month'],
    ['REQUEST_TIMEOUT', 'soon'],
    ['REQUEST_TIMEOUT', '0'],
    ['MAX_CONNECTIONS', '0'],
    ['MAX_CONNECTIONS_PER_ADDRESS', 'many'],
  ])('refuses %s=%s with a message naming it', (name, value) => {
    const message = refusal({ [name]: value });
    expect(message).toMatch(/^Invalid configuration/);
    expect(message).toContain(name);
  });

  it('splits ALLOWED_ORIGINS on commas, trimming spaces and dropping empty entries', () => {
    expect(loadConfig({ ALLOWED_ORIGINS: 'https://todo.example, https://admin.example ,' }).ALLOWED_ORIGINS).toEqual([
      'https://todo.example',
      'https://admin.example',
    ]);
  });

  // The Vite dev server's origin is `npm run dev`'s to add (package.json), never a production default.
  it.each<[string, NodeJS.ProcessEnv, string[]]>([
    ['nothing set', {}, ['http://localhost:3000']],
    ['PORT=8080', { PORT: '8080' }, ['http://localhost:8080']],
    ['an https PUBLIC_URL', { PUBLIC_URL: 'https://todo.example' }, ['https://todo.example']],
    ['a PUBLIC_URL with a path', { PUBLIC_URL: 'https://example.com/todo/' }, ['https://example.com']],
    [
      'a PUBLIC_URL with a port',
      { PUBLIC_URL: 'http://192.168.1.20:8080', PORT: '8080' },
      ['http://192.168.1.20:8080'],
    ],
    ['a PUBLIC_URL with its default port', { PUBLIC_URL: 'https://todo.example:443/' }, ['https://todo.example']],
  ])("defaults ALLOWED_ORIGINS to PUBLIC_URL's origin alone with %s", (_case, env, origins) => {
    const config = loadConfig(env);
    expect(config.ALLOWED_ORIGINS).toEqual(origins);
    expect(config.ALLOWED_ORIGINS).not.toContain('http://localhost:5173');
  });

  it("keeps ALLOWED_ORIGINS as given, without adding PUBLIC_URL's origin", () => {
    const config = loadConfig({ PUBLIC_URL: 'https://todo.example', ALLOWED_ORIGINS: 'https://admin.example' });
    expect(config.ALLOWED_ORIGINS).toEqual(['https://admin.example']);
  });

  it.each([
    ['nothing set', {}, 'http://localhost:3000'],
    ['PORT=8080', { PORT: '8080' }, 'http://localhost:8080'],
    ['a trailing slash', { PUBLIC_URL: 'https://todo.example/' }, 'https://todo.example'],
    ['a path and trailing slashes', { PUBLIC_URL: 'https://example.com/todo//' }, 'https://example.com/todo'],
    ['capitals in the host', { PUBLIC_URL: 'https://Todo.Example' }, 'https://todo.example'],
    ['plain http', { PUBLIC_URL: 'http://todo.internal:8080' }, 'http://todo.internal:8080'],
  ])('reads PUBLIC_URL with %s as %s', (_case, env, url) => {
    expect(loadConfig(env).PUBLIC_URL).toBe(url);
  });

  it.each([
    ['no scheme', 'todo.example'],
    ['a relative path', '/todo'],
    ['another scheme', 'ftp://todo.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['credentials', 'https://user:secret@todo.example'],
    ['a query', 'https://todo.example/?next=/'],
    ['a fragment', 'https://todo.example/#top'],
    ['a space', 'https://todo .example'],
  ])('refuses a PUBLIC_URL with %s, naming it', (_case, value) => {
    const message = refusal({ PUBLIC_URL: value });
    expect(message).toMatch(/^Invalid configuration/);
    expect(message).toContain('PUBLIC_URL: must be an http:// or https:// URL');
  });

  it('refuses "*" in ALLOWED_ORIGINS', () => {
    expect(refusal({ ALLOWED_ORIGINS: 'https://todo.example,*' })).toContain('ALLOWED_ORIGINS');
  });

  it('ignores X-Forwarded-For when TRUST_PROXY is unset', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
  });

  it.each([
    ['true', true],
    ['false', false],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it('reads a numeric TRUST_PROXY as a count of trusted hops', () => {
    const trust = loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY;
    expect(trust).toEqual(expect.any(Function));
    const trusts = trust as (address: string, hop: number) => boolean;
    expect([trusts('10.0.0.1', 0), trusts('10.0.0.1', 1), trusts('10.0.0.1', 2)]).toEqual([true, true, false]);
  });

  it('refuses an unknown LOG_LEVEL, naming it', () => {
    expect(refusal({ LOG_LEVEL: 'loud' })).toContain('LOG_LEVEL');
  });
});
