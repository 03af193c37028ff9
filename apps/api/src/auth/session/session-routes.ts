import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { messageSchema, sessionPathSchema, sessionSchema, signOutAllBodySchema } from '@todo/shared/auth-schemas';
import { requestMeta } from '../request-meta.js';
import { readCredentials, resolveUser, type Authenticate, type AuthUser } from './authenticate.js';
import { clearSessionCookie } from './session-cookie.js';
import type { SessionDeps } from './session-deps.js';
import { listSessions, revokeOwnSession, signOut, signOutAll } from './session-service.js';

export interface SessionRoutesOptions {
  deps: SessionDeps & { authenticate: Authenticate };
}

/** Signing out, and the caller's devices: list them, sign one out, or sign out everywhere. */
export const sessionRoutes: FastifyPluginAsyncZod<SessionRoutesOptions> = async (app, { deps }) => {
  const guarded = { onRequest: [deps.authenticate] };
  const docs = { tags: ['sessions'], security: [{ bearerAuth: [] }] };

  app.post(
    '/signout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke the presented session, if any; always succeeds',
        response: { 200: messageSchema },
      },
    },
    async (request, reply) => {
      const { caller, crossSite } = await presentedUser(deps, request);
      if (caller) await signOut(deps, caller, requestMeta(request));
      // A page on another site gets the contract's answer too, but signs nobody out.
      if (!crossSite) clearSessionCookie(request, reply);
      return { message: 'Signed out successfully' };
    },
  );

  app.get(
    '/sessions',
    {
      ...guarded,
      schema: {
        ...docs,
        summary: "The caller's live sessions, most recently used first",
        response: { 200: z.array(sessionSchema) },
      },
    },
    (request) => listSessions(deps, request.user),
  );

  app.delete(
    '/sessions/:sessionId',
    {
      ...guarded,
      schema: {
        ...docs,
        summary: 'Revoke one of the caller’s sessions',
        params: sessionPathSchema,
        response: { 200: messageSchema },
      },
    },
    async (request) => {
      await revokeOwnSession(deps, request.user, request.params.sessionId, requestMeta(request));
      return { message: 'Session revoked' };
    },
  );

  app.post(
    '/signout-all',
    {
      ...guarded,
      schema: {
        ...docs,
        summary: 'Revoke every session of the caller, or every other one with {"keep_current": true}',
        body: signOutAllBodySchema,
        response: { 200: messageSchema.extend({ revoked: z.number().int() }) },
      },
    },
    async (request) => {
      const revoked = await signOutAll(deps, request.user, request.body.keep_current, requestMeta(request));
      return { message: 'Signed out of all sessions', revoked };
    },
  );
};

// Sign-out always answers 200: a missing, bad or already revoked token simply has nothing to revoke,
// and a cookie sent by another site's page is not the person's own request. A database failure is
// still reported.
async function presentedUser(
  deps: SessionDeps,
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
