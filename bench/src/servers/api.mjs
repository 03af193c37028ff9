import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { apiDist } from '../settings.mjs';

/** Imports a module of the compiled API (apps/api/dist), never its TypeScript sources. */
export function importApi(relativePath) {
  return import(pathToFileURL(path.join(apiDist, relativePath)).href);
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
