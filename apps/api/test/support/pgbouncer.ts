import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabaseUrl } from './test-database.js';
import { freeLoopbackPort } from './ports.js';

/** Debian's package puts it here; `.ci/run` installs it when missing. */
export const pgbouncerBinary = '/usr/sbin/pgbouncer';

export interface PgBouncer {
  /** The loopback port clients connect to. */
  readonly port: number;
  /** `url` with its host and port swapped for this pooler's: the same database, reached through it. */
  through(url: string): string;
  /** What PgBouncer wrote so far (its log goes to stderr). */
  output(): string;
  stop(): Promise<void>;
}

async function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A PgBouncer of the test's own in front of the test server, in transaction mode as Neon's pooled
 * connection string is: each transaction may run on another server connection, so session state (named
 * prepared statements, session advisory locks, SET) does not carry over. Startup parameters are left at
 * PgBouncer's defaults, so a client that sends one it does not support is refused, as it would be in
 * production. The pool is small so that clients really do share server connections.
 */
export async function startPgBouncer(options: { poolSize?: number } = {}): Promise<PgBouncer> {
  if (!existsSync(pgbouncerBinary)) {
    throw new Error(`${pgbouncerBinary} is missing: install Debian's pgbouncer package (.ci/run does)`);
  }
  const upstream = new URL(testDatabaseUrl);
  const port = await freeLoopbackPort();
  const dir = mkdtempSync(join(tmpdir(), 'pgbouncer-'));
  const config = join(dir, 'pgbouncer.ini');
  writeFileSync(
    config,
    [
      '[databases]',
      `* = host=${upstream.hostname} port=${upstream.port || 5432} user=${decodeURIComponent(upstream.username) || 'postgres'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      // The test server trusts loopback connections; the pooler need not check passwords either.
      'auth_type = any',
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize ?? 3}`,
      'max_client_conn = 500',
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root; CI runs as root, so it drops to the postgres user, who must be able
  // to read the folder.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
    chownSync(config, uid, gid);
  }
  const child: ChildProcess = spawn(pgbouncerBinary, [...(asRoot ? ['-u', 'postgres'] : []), config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 10_000;
  while (!(await acceptsConnections(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`PgBouncer did not start on port ${port}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    port,
    through: (url) => {
      const pooled = new URL(url);
      pooled.hostname = '127.0.0.1';
      pooled.port = String(port);
      return pooled.toString();
    },
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGINT'); // PgBouncer's "shut down at once"
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
