import type { FastifyRequest } from 'fastify';

/** Who asked, as far as the server can tell: recorded with every event and every session. */
export interface RequestMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
  requestId?: string | undefined;
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  return { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 512), requestId: request.id };
}
