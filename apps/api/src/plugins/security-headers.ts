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
    // HSTS belongs to deployments served over https; see the transport settings.
    strictTransportSecurity: false,
  });
}
