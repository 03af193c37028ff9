import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the web app, seen from apps/api/src or apps/api/dist. */
export const defaultWebDir = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/**
 * Serves the built single-page app. Returns the fallback that answers client-side routes
 * (/dashboard, /auth/signin) with index.html, or undefined when there is no build to serve.
 */
export async function registerWebApp(
  app: FastifyInstance,
  webDir: string,
): Promise<((request: FastifyRequest, reply: FastifyReply) => boolean) | undefined> {
  if (!existsSync(path.join(webDir, 'index.html'))) {
    app.log.warn({ webDir }, 'no web app build found: serving the API only (run `npm run build`)');
    return undefined;
  }
  // wildcard: false registers one route per built file, so unknown paths still reach the not-found handler.
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: false,
    // The build writes a .br and a .gz beside each file (apps/web/scripts/precompress.mjs): sent with
    // Content-Encoding to browsers that accept them, never routes of their own.
    preCompressed: true,
    globIgnore: ['**/*.br', '**/*.gz'],
    setHeaders: (res, filePath) => {
      // Vite puts a content hash in every asset's name, so they can be cached for good.
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
      res.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (request, reply) => {
    const isPageRequest =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !/^\/(api|docs|health)(\/|$)/.test(request.url) &&
      (request.headers.accept ?? '').includes('text/html');
    if (!isPageRequest) return false;
    void reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    return true;
  };
}
