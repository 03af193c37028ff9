import type { FastifyReply, FastifyRequest } from 'fastify';

// Over https the cookie takes the __Host- prefix, which browsers only accept with Secure, Path=/ and
// no Domain: a sibling subdomain can then neither set nor overwrite it.
const PLAIN_NAME = 'todo_session';
const SECURE_NAME = '__Host-todo_session';

/** The browser's copy of the token: HttpOnly so no page script can read it, Lax so other sites cannot post with it. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): void {
  const secure = request.protocol === 'https';
  reply.setCookie(secure ? SECURE_NAME : PLAIN_NAME, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  for (const name of [PLAIN_NAME, SECURE_NAME]) {
    if (request.cookies[name] !== undefined) {
      reply.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure: name === SECURE_NAME, path: '/' });
    }
  }
}

/**
 * Over https only the __Host- cookie counts: accepting the plain one there would let anyone able to
 * set a cookie for the parent domain plant their own session in the victim's browser.
 */
export function readSessionCookie(request: FastifyRequest): string | undefined {
  return request.cookies[request.protocol === 'https' ? SECURE_NAME : PLAIN_NAME] || undefined;
}
