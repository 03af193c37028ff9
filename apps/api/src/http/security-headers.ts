import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** CSP allowing only our own origin (no inline script), no framing, no MIME sniffing, same-origin referrers. */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Referer must survive same-origin requests: the CSRF check falls back on it when Origin is absent.
    referrerPolicy: { policy: 'same-origin' },
    // Sent below, and only over https: over plain http (a laptop) the header would be meaningless.
    strictTransportSecurity: false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  });
}
