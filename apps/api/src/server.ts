import { setTimeout } from 'node:timers/promises';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { logEmailProblems } from './auth/email-collisions.js';
import { loadOrCreateSecret } from './auth/session/secret-file.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { makeDataDirPrivate, tightenedMessage } from './db/data-dir.js';
import { describeCause } from './db/describe-database.js';
import { watchEmbeddedDatabase } from './db/pglite-watchdog.js';

// How long in-flight requests and the database get to finish once the drain is over.
const CLOSE_TIMEOUT_MS = 10_000;

async function start(): Promise<void> {
  // Nothing this process writes is meant for another user: the embedded database's files and folders, its
  // lock, the generated secret. A umask is process-wide; that is right for this server, which writes only
  // its own files. (PGlite sets some files' modes itself, past the umask: openPglite takes care of those.)
  process.umask(0o077);
  const config = loadConfig();
  // The data folder is only used by the embedded database (and the secret generated for it).
  const tightened = config.DATABASE_URL ? [] : makeDataDirPrivate(config.DATA_DIR);
  const generated = config.BETTER_AUTH_SECRET ? undefined : loadOrCreateSecret(config.DATA_DIR);
  const secret = config.BETTER_AUTH_SECRET ?? generated!.secret;

  const database = await openDatabase({
    ...config,
    onPoolError: (error) => console.error(`database connection lost: ${describeCause(error)}`),
  });
  // Built first (it sends no query until it listens) so that migrations report through its log.
  const app = await buildApp({ ...config, BETTER_AUTH_SECRET: secret }, database);
  try {
    await database.migrate(app.log);
  } catch (error) {
    await app.close();
    await database.close();
    throw error;
  }
  // Look-alike addresses stored before emails were normalised: reported, never merged.
  await logEmailProblems(database.db, app.log);

  if (config.TRUST_PROXY === true) {
    app.log.warn(
      'TRUST_PROXY=true believes X-Forwarded-For from any client, so rate limits can be dodged; ' +
        'set a hop count or the proxy addresses instead',
    );
  }
  for (const folder of tightened) {
    app.log.warn(folder, tightenedMessage(folder));
  }
  if (generated) {
    app.log.info(
      { file: generated.file },
      generated.created
        ? 'BETTER_AUTH_SECRET is not set: generated a signing secret and saved it in the data folder'
        : 'BETTER_AUTH_SECRET is not set: using the signing secret saved in the data folder',
    );
  }

  // SIGTERM/SIGINT: drain for SHUTDOWN_GRACE (http/drain.ts), then stop accepting, let in-flight requests
  // finish and close the database. After an uncaught error there is nothing to drain for.
  const graceMs = config.SHUTDOWN_GRACE * 1000;
  closeWithGrace({ delay: graceMs + CLOSE_TIMEOUT_MS }, async ({ signal, err }) => {
    if (err) {
      app.log.error({ err }, 'shutting down after an error');
    } else {
      app.log.info({ signal, graceSeconds: config.SHUTDOWN_GRACE }, 'shutting down: draining connections');
      app.drain.start();
      await setTimeout(graceMs);
    }
    await app.close();
    await database.close();
  });

  await app.listen({ port: config.PORT, host: config.HOST });
  if (database.kind === 'pglite') {
    // From here on, since migrations on a large database may rightly hold the thread for longer.
    watchEmbeddedDatabase({ dataDir: config.DATA_DIR, timeoutSeconds: config.DATABASE_QUERY_TIMEOUT });
    app.log.info(`embedded database in ${config.DATA_DIR}`);
  } else {
    app.log.info('connected to PostgreSQL');
  }
}

try {
  await start();
} catch (error) {
  // Start-up failures are the operator's to fix: say what is wrong in one message, no stack trace.
  console.error(`Could not start the server: ${describeCause(error)}`);
  process.exit(1);
}
