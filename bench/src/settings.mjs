import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Every knob of the benchmark in one place. The defaults are what `npm run bench` measures; the
// environment variables exist to try a change (a shorter run, another thread pool size) by hand.

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The compiled API under test; BENCH_API_DIST points at another build to compare a change before committing it. */
export const apiDist = path.resolve(process.env.BENCH_API_DIST ?? path.join(repoRoot, 'apps/api/dist'));

export const adminDatabaseUrl = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const number = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);

/** Seconds of load per measured point, after a warm-up that is thrown away. */
export const seconds = number('BENCH_SECONDS', 6);
export const warmupSeconds = number('BENCH_WARMUP_SECONDS', 2);

/**
 * libuv's thread pool size for every server and for the hash bound: one core fewer than the machine
 * has (at least one), so a sign-in storm can never take the core the event loop needs. Node's
 * default is 4 whatever the machine; each run also measures the alternatives (comparedThreadPoolSizes).
 */
export const threadPoolSize = number('BENCH_THREADPOOL', Math.max(1, os.cpus().length - 1));

/** Connections to PostgreSQL per server process (DATABASE_POOL_MAX), the same for Better Auth. */
export const poolMax = number('BENCH_POOL_MAX', 10);

export const readConnections = 64;
export const writeConnections = 64;
/** Enough sign-ins in flight that the hash pool never waits for the database steps around each hash. */
export const signinConnectionsFor = (threads) => Math.max(8, 4 * threads);
export const signinConnections = signinConnectionsFor(threadPoolSize);
/** Other pool sizes measured for comparison (sign-in and isolation only): Node's default and the core count. */
export const comparedThreadPoolSizes = [...new Set([os.cpus().length, 4])].filter((size) => size !== threadPoolSize);
/** The growth rows measure latency, not throughput: a handful of connections. */
export const growthConnections = 4;
export const growthSizes = [100, 10_000, 100_000];
/** The task-query rows (filters, sorts, search, counts, tags, a deep page): one owner of each size... */
export const taskQuerySizes = growthSizes;
/** ...in a table that also holds these owners' tasks, as a shared database would. */
export const otherOwnerCount = 20;
export const tasksPerOtherOwner = 5_000;
/** Where the deep-page row starts: this row, or half the owner's tasks when fewer. */
export const deepPageRow = 50_000;

export const tasksPerUser = 20;
export const readerCount = 64;
export const writerCount = 64;
export const signerCount = 100;

/** Paced reads during the isolation test run at this share of the measured read throughput. */
export const isolationReadShare = 0.25;
export const isolationReadConnections = 16;
