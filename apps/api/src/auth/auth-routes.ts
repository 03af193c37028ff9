import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';
import { requestMeta } from './audit-log.js';
import { authResultSchema, meSchema, messageSchema, signInBodySchema, signUpBodySchema, type AuthResult } from './auth-schemas.js';
import { getUser, signIn, signOut, signUp, type AuthDeps } from './auth-service.js';
import { readCredentials, resolveUser, type AuthenticateDeps, type AuthUser } from './authenticate.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';

export interface AuthRoutesOptions {
  deps: AuthDeps & AuthenticateDeps;
  /** Per-address token buckets (onRequest hooks), one for each of signin and signup. */
  limits: { signin: onRequestHookHandler; signup: onRequestHookHandler };
}

// API clients use the token in the body; browsers get the same token as an HttpOnly cookie instead.
function withSessionCookie(request: FastifyRequest, reply: FastifyReply, result: AuthResult): AuthResult {
  setSessionCookie(request, reply, result.token, new Date(result.expires_at));
  return result;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, { deps, limits }) => {
  app.post('/signup', {
    onRequest: limits.signup,
    schema: {
      tags: ['auth'],
      summary: 'Create an account and open a session',
      body: signUpBodySchema,
      response: { 201: authResultSchema },
    },
  }, async (request, reply) =>
    reply.code(201).send(withSessionCookie(request, reply, await signUp(deps, request.body, requestMeta(request)))));

  app.post('/signin', {
    onRequest: limits.signin,
    schema: {
      tags: ['auth'],
      summary: 'Open a session with email and password',
      body: signInBodySchema,
      response: { 200: authResultSchema },
    },
  }, async (request, reply) => withSessionCookie(request, reply, await signIn(deps, request.body, requestMeta(request))));

  app.post('/signout', {
    schema: {
      tags: ['auth'],
      summary: 'Revoke the presented session, if any; always succeeds',
      response: { 200: messageSchema },
    },
  }, async (request, reply) => {
    const { caller, crossSite } = await presentedUser(deps, request);
    if (caller) await signOut(deps, caller.id, caller.sessionId, requestMeta(request));
    // A page on another site gets the contract's answer too, but signs nobody out.
    if (!crossSite) clearSessionCookie(request, reply);
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

// Sign-out always answers 200: a missing, bad or already revoked token simply has nothing to revoke,
// and a cookie sent by another site's page is not the person's own request. A database failure is
// still reported.
async function presentedUser(
  deps: AuthenticateDeps,
  request: FastifyRequest,
): Promise<{ caller?: AuthUser | undefined; crossSite: boolean }> {
  let token: string | undefined;
  try {
    token = readCredentials(request, deps.allowedOrigins)?.token;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { crossSite: error.code === 'csrf' };
  }
  if (!token) return { crossSite: false };
  try {
    return { caller: await resolveUser(deps, token), crossSite: false };
  } catch (error) {
    if (error instanceof AppError) return { crossSite: false };
    throw error;
  }
}
