import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** The OpenAPI 3 document, generated from the routes' zod schemas: UI at /docs, JSON at /docs/json. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Todo API',
        description: 'Accounts, sessions and private task lists. Errors are {"error", "code", "fields"?}.',
        version: '1.0.0',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  // staticCSP: the UI's own scripts are allowed by hash, so the strict CSP still holds on /docs.
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}
