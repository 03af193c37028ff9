import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';
import { authResultSchema, meSchema, messageSchema, signInBodySchema, signUpBodySchema, type AuthResult } from './auth-schemas.js';
import { getUser, signIn, signOut, signUp, type AuthDeps } from './auth-service.js';
import { readCredentials, resolveUser, type AuthenticateDeps } from './authenticate.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';

export interface AuthRoutesOptions {
  deps: AuthDeps & AuthenticateDeps;
}

const sessionMeta = (request: FastifyRequest) => ({ userAgent: request.headers['user-agent'], ip: request.ip });

// API clients use the token in the body; browsers get the same token as an HttpOnly cookie instead.
function withSessionCookie(request: FastifyRequest, reply: FastifyReply, result: AuthResult): AuthResult {
  setSessionCookie(request, reply, result.token, new Date(result.expires_at));
  return result;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, { deps }) => {
  app.post('/signup', {
    schema: {
      tags: ['auth'],
      summary: 'Create an account and open a session',
      body: signUpBodySchema,
      response: { 201: authResultSchema },
    },
  }, async (request, reply) =>
    reply.code(201).send(withSessionCookie(request, reply, await signUp(deps, request.body, sessionMeta(request)))));

  app.post('/signin', {
    schema: {
      tags: ['auth'],
      summary: 'Open a session with email and password',
      body: signInBodySchema,
      response: { 200: authResultSchema },
    },
  }, async (request, reply) => withSessionCookie(request, reply, await signIn(deps, request.body, sessionMeta(request))));

  app.post('/signout', {
    schema: {
      tags: ['auth'],
      summary: 'Revoke the presented session, if any; always succeeds',
      response: { 200: messageSchema },
    },
  }, async (request, reply) => {
    const sessionId = await presentedSessionId(deps, request);
    if (sessionId) await signOut(deps, sessionId);
    clearSessionCookie(request, reply);
    return { message: 'Signed out successfully' };
  });

  app.get('/me', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['auth'],
      summary: 'The signed-in user',
      security: [{ bearerAuth: [] }],
      response: { 200: meSchema },
    },
  }, async (request) => ({ user: await getUser(deps.db, request.user.id) }));
};

// Sign-out never fails for want of a session: a missing, bad or already revoked token simply has
// nothing to revoke. A cross-site cookie request is still refused, and a database failure still reported.
async function presentedSessionId(deps: AuthDeps & AuthenticateDeps, request: FastifyRequest): Promise<string | undefined> {
  let token: string | undefined;
  try {
    token = readCredentials(request, deps.allowedOrigins)?.token;
  } catch (error) {
    if (error instanceof AppError && error.code === 'csrf') throw error;
    return undefined;
  }
  if (!token) return undefined;
  try {
    return (await resolveUser(deps, token)).sessionId;
  } catch (error) {
    if (error instanceof AppError) return undefined;
    throw error;
  }
}
