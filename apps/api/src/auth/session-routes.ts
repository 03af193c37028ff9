import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from './audit-log.js';
import { messageSchema, sessionPathSchema, sessionSchema, signOutAllBodySchema } from './auth-schemas.js';
import { listSessions, revokeOwnSession, signOutAll, type SessionDeps } from './session-service.js';

/** The caller's devices: list them, sign one out, or sign out everywhere. */
export const sessionRoutes: FastifyPluginAsyncZod<{ deps: SessionDeps }> = async (app, { deps }) => {
  const docs = { tags: ['sessions'], security: [{ bearerAuth: [] }] };

  app.get('/sessions', {
    onRequest: [app.authenticate],
    schema: { ...docs, summary: "The caller's live sessions, most recently used first", response: { 200: z.array(sessionSchema) } },
  }, (request) => listSessions(deps.db, request.user));

  app.delete('/sessions/:sessionId', {
    onRequest: [app.authenticate],
    schema: { ...docs, summary: 'Revoke one of the caller’s sessions', params: sessionPathSchema, response: { 200: messageSchema } },
  }, async (request) => {
    await revokeOwnSession(deps, request.user, request.params.sessionId, requestMeta(request));
    return { message: 'Session revoked' };
  });

  app.post('/signout-all', {
    onRequest: [app.authenticate],
    schema: {
      ...docs,
      summary: 'Revoke every session of the caller, or every other one with {"keep_current": true}',
      body: signOutAllBodySchema,
      response: { 200: messageSchema.extend({ revoked: z.number().int() }) },
    },
  }, async (request) => {
    const revoked = await signOutAll(deps, request.user, request.body.keep_current, requestMeta(request));
    return { message: 'Signed out of all sessions', revoked };
  });
};
