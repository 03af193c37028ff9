import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * Compresses answers of 1 KB and more (a page of tasks, the OpenAPI document) for clients that accept
 * brotli or gzip; the web app's built files come precompressed from the build (web-app.ts) and pass
 * through as they are. Registered before any route: it attaches itself to each route as it is added.
 */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  // BREACH: a compressed answer's length can leak a secret it holds (a token) to someone who can put
  // their own text beside it. The auth routes hand out tokens and are small, so they are left alone.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/auth')) route.compress = false;
  });
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024 });
}
