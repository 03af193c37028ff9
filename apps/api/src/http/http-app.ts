import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import { registerAppHooks } from './app-hooks.js';
import { handleError } from './error-handler.js';
import { registerJsonParser } from './json-body.js';
import { answerUnroutableUrl } from './not-found.js';
import { registerOpenApi } from './openapi.js';
import { requestIdFor } from './request-id.js';
import { registerSecurityHeaders } from './security-headers.js';

const BODY_LIMIT_BYTES = 64 * 1024;

export type HttpConfig = Pick<Config, 'LOG_LEVEL' | 'TRUST_PROXY' | 'ALLOWED_ORIGINS'>;

/**
 * The HTTP server every route lives in, with no routes yet: logging with redaction, request ids, the
 * JSON body rules, the one error handler, CORS, cookies, security headers and the OpenAPI document.
 */
export async function createHttpApp(config: HttpConfig) {
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
        ],
        censor: '[redacted]',
      },
    },
    genReqId: requestIdFor,
    bodyLimit: BODY_LIMIT_BYTES,
    frameworkErrors: answerUnroutableUrl,
    trustProxy: config.TRUST_PROXY,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  registerJsonParser(app);
  registerAppHooks(app);

  await app.register(cors, {
    origin: config.ALLOWED_ORIGINS,
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  });
  await app.register(cookie);
  registerSecurityHeaders(app);
  await registerOpenApi(app);
  return app;
}
