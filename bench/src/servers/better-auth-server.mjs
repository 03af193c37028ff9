// The peer a user would pick instead: Better Auth behind plain node:http (no framework cost at all),
// its own handler under /api/auth/*, and one trivial authenticated route that asks getSession.
import http from 'node:http';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { fromNodeHeaders, toNodeHandler } from 'better-auth/node';
import { betterAuthOptions } from './better-auth-options.mjs';

let auth;
let handleAuth;

async function sessionRoute(request, response) {
  const session = await auth.api.getSession({ headers: fromNodeHeaders(request.headers) });
  const status = session ? 200 : 401;
  const body = session
    ? { user: { id: session.user.id, email: session.user.email, name: session.user.name } }
    : { error: 'Authentication required' };
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

const server = http.createServer((request, response) => {
  const route = request.url.startsWith('/api/auth/')
    ? handleAuth
    : request.url === '/api/session'
      ? sessionRoute
      : undefined;
  if (!route) return response.writeHead(404).end();
  route(request, response).catch((error) => {
    console.error(error);
    if (!response.headersSent) response.writeHead(500);
    response.end();
  });
});

// Better Auth checks each request's origin against its base URL, which must include the port: listen
// first, then build it. No request arrives before the parent hears the port.
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const options = betterAuthOptions({ ...process.env, BA_BASE_URL: `http://127.0.0.1:${port}` });
const { runMigrations } = await getMigrations(options);
await runMigrations();
auth = betterAuth(options);
handleAuth = toNodeHandler(auth);
process.send({ type: 'listening', port });
process.on('SIGTERM', () => {
  server.close(async () => {
    await options.database.end();
    process.exit(0);
  });
  // node:http keeps idle keep-alive sockets open; drop them so close() can finish.
  server.closeIdleConnections();
});
