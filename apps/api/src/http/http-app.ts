import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorCatalogue } from '@todo/shared/errors';
import type { Config } from '../config.js';
import { clientKey } from '../rate-limit/ip-rate-limit.js';
import { registerAppHooks } from './app-hooks.js';
import { registerCompression } from './compression.js';
import { registerDrain } from './drain.js';
import { handleError } from './error-handler.js';
import { registerJsonParser } from './json-body.js';
import { answerUnroutableUrl } from './not-found.js';
import { registerOpenApi } from './openapi.js';
import { requestIdFor } from './request-id.js';
import { registerSecurityHeaders } from './security-headers.js';

const BODY_LIMIT_BYTES = 64 * 1024;

// How long a client may hold a socket. Fastify's default request timeout is none, so a client that
// trickled a body one byte every 10 s held its socket for ever, and ~1,100 of them made the server
// unreachable. A whole request (64 KiB of body at most) must arrive within REQUEST_TIMEOUT, 30 s by
// default (2.2 KB/s, slower than any real link), and its headers, a few hundred bytes, within 10 s.
const HEADERS_TIMEOUT_MS = 10_000;
// Node closes the sockets past those deadlines when it next checks, every 30 s by default: once a
// second (or four times per timeout, if shorter) keeps a socket little over its deadline, at the cost
// of a walk over the open ones.
const DEADLINE_CHECK_INTERVAL_MS = 1_000;
// Longer than the idle timeout of the usual load balancers (60 s), so a proxy never reuses a socket we
// have just closed; an idle socket is cheap, and the caps below bound how many one client may keep.
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

export type HttpConfig = Pick<
  Config,
  | 'LOG_LEVEL'
  | 'TRUST_PROXY'
  | 'ALLOWED_ORIGINS'
  | 'REQUEST_TIMEOUT'
  | 'MAX_CONNECTIONS'
  | 'MAX_CONNECTIONS_PER_ADDRESS'
>;

/**
 * The HTTP server every route lives in, with no routes yet: deadlines and caps on connections, logging
 * with redaction, request ids, the JSON body rules, the one error handler, CORS, cookies, security
 * headers and the OpenAPI document.
 */
export async function createHttpApp(config: HttpConfig) {
  const requestTimeoutMs = config.REQUEST_TIMEOUT * 1000;
  const app = Fastify({
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    http: {
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
      connectionsCheckingInterval: Math.min(DEADLINE_CHECK_INTERVAL_MS, requestTimeoutMs / 4),
    },
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

  limitConnections(app.server, config);
  answerTimeoutsInContractShape(app.server);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  registerJsonParser(app);
  registerAppHooks(app);
  registerDrain(app);

  await app.register(cors, {
    origin: config.ALLOWED_ORIGINS,
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  });
  await app.register(cookie);
  await registerCompression(app);
  registerSecurityHeaders(app);
  await registerOpenApi(app);
  return app;
}

/**
 * At most MAX_CONNECTIONS open sockets in all (Node drops the ones past it), and, when the socket's
 * peer is the client itself (TRUST_PROXY unset), at most MAX_CONNECTIONS_PER_ADDRESS from one address
 * (an IPv6 /64 being one client, as for rate limits), so one client cannot take every slot. Behind a
 * proxy the peer speaks for many clients: the proxy is the place to cap each one.
 */
function limitConnections(server: Server, config: HttpConfig): void {
  server.maxConnections = config.MAX_CONNECTIONS;
  if (config.TRUST_PROXY !== false) return;
  const perAddress = config.MAX_CONNECTIONS_PER_ADDRESS;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    if (socket.remoteAddress === undefined) return; // already gone
    const key = clientKey(socket.remoteAddress);
    const count = (open.get(key) ?? 0) + 1;
    if (count > perAddress) {
      socket.destroy();
      return;
    }
    open.set(key, count);
    socket.once('close', () => {
      const left = open.get(key)! - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
}

/**
 * A request that misses its deadline is answered 408 in the contract's error shape (Fastify's own
 * answer has another), then its socket is closed. Runs before Fastify's client-error listener, which
 * then finds the socket closed and leaves it; every other client error is still Fastify's.
 */
function answerTimeoutsInContractShape(server: Server): void {
  server.prependListener('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code !== 'ERR_HTTP_REQUEST_TIMEOUT' || socket.destroyed) return;
    const body = JSON.stringify({ error: errorCatalogue.request_timeout.message, code: 'request_timeout' });
    if (socket.writable) {
      socket.write(
        'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${randomUUID()}\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  });
}
