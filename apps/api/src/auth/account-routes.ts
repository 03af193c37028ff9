import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAuthEvents, requestMeta } from './audit-log.js';
import { authEventSchema, changePasswordBodySchema, deleteAccountBodySchema, listEventsQuerySchema, messageSchema } from './auth-schemas.js';
import { changePassword, deleteAccount } from './account-service.js';
import type { AuthDeps } from './auth-service.js';
import { clearSessionCookie } from './session-cookie.js';

/** What the signed-in person can do to their own account: new password, deletion, and its audit trail. */
export const accountRoutes: FastifyPluginAsyncZod<{ deps: AuthDeps }> = async (app, { deps }) => {
  const docs = { tags: ['account'], security: [{ bearerAuth: [] }] };

  app.put('/password', {
    onRequest: [app.authenticate],
    schema: { ...docs, summary: 'Change the password; every other session is signed out', body: changePasswordBodySchema, response: { 200: messageSchema } },
  }, async (request) => {
    await changePassword(deps, request.user, request.body, requestMeta(request));
    return { message: 'Password changed; other sessions were signed out' };
  });

  app.delete('/account', {
    onRequest: [app.authenticate],
    schema: { ...docs, summary: 'Delete the account with its sessions and tasks', body: deleteAccountBodySchema, response: { 200: messageSchema } },
  }, async (request, reply) => {
    await deleteAccount(deps, request.user, request.body.password, requestMeta(request));
    clearSessionCookie(request, reply);
    return { message: 'Account deleted' };
  });

  app.get('/events', {
    onRequest: [app.authenticate],
    schema: { ...docs, summary: "The caller's own security events, newest first", querystring: listEventsQuerySchema, response: { 200: z.array(authEventSchema) } },
  }, async (request) =>
    (await listAuthEvents(deps.db, request.user.id, request.query.limit)).map((event) => ({
      id: event.id,
      event: event.event,
      ip: event.ip,
      user_agent: event.userAgent,
      request_id: event.requestId,
      created_at: event.createdAt.toISOString(),
    })));
};
