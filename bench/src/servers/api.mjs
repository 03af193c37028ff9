import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { apiDist } from '../settings.mjs';

/** Imports a module of the compiled API (apps/api/dist), never its TypeScript sources. */
export function importApi(relativePath) {
  return import(pathToFileURL(path.join(apiDist, relativePath)).href);
}

/** Imports a package as the compiled API resolves it (its @todo/shared, say), so both read the same schemas. */
export function importApiPackage(specifier) {
  return import(pathToFileURL(createRequire(path.join(apiDist, 'app.js')).resolve(specifier)).href);
}

/**
 * Listens on a free loopback port, tells the parent which one over IPC, and closes the app and then
 * the database on SIGTERM, as server.ts does.
 */
export async function serve(app, closeDatabase = async () => {}) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.on('SIGTERM', async () => {
    await app.close();
    await closeDatabase();
    process.exit(0);
  });
  process.send({ type: 'listening', port: app.server.address().port });
}

/**
 * The bench-only replacement for authentication: the caller is whoever the path names. The routes,
 * their other hooks, the queries and the serialization stay exactly as they are.
 */
export async function trustPathUser(request) {
  request.user = { id: request.params.userId, email: '', name: '', sessionId: '' };
}
