import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAuthEvents } from '../audit-log.js';
import {
  authEventSchema,
  deleteAccountBodySchema,
  listEventsQuerySchema,
  meSchema,
  messageSchema,
  updateProfileBodySchema,
} from '@todo/shared/auth-schemas';
import { requestMeta } from '../request-meta.js';
import type { Authenticate } from '../session/authenticate.js';
import { clearSessionCookie } from '../session/session-cookie.js';
import { deleteAccount, getProfile, updateProfile, type AccountDeps } from './account-service.js';

export interface AccountRoutesOptions {
  deps: AccountDeps & {
    authenticate: Authenticate;
    /** onRequest hooks run after authentication, before the password is confirmed (per address, per account). */
    limitConfirm: Array<(request: FastifyRequest) => Promise<void>>;
  };
}

/** The signed-in person's own account: who they are, its deletion, and its audit trail. */
export const accountRoutes: FastifyPluginAsyncZod<AccountRoutesOptions> = async (app, { deps }) => {
  const guarded = { onRequest: [deps.authenticate] };
  const docs = { tags: ['account'], security: [{ bearerAuth: [] }] };

  app.get(
    '/me',
    {
      ...guarded,
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        security: [{ bearerAuth: [] }],
        response: { 200: meSchema },
      },
    },
    async (request) => ({ user: await getProfile(deps.db, request.user.id) }),
  );

  app.patch(
    '/me',
    {
      ...guarded,
      schema: {
        ...docs,
        summary: "Change the signed-in user's name",
        body: updateProfileBodySchema,
        response: { 200: meSchema },
      },
    },
    async (request) => ({
      user: await updateProfile(deps.db, request.user, request.body.name, requestMeta(request)),
    }),
  );

  app.delete(
    '/account',
    {
      onRequest: [deps.authenticate, ...deps.limitConfirm],
      schema: {
        ...docs,
        summary: 'Delete the account with its sessions and tasks',
        body: deleteAccountBodySchema,
        response: { 200: messageSchema },
      },
    },
    async (request, reply) => {
      await deleteAccount(deps, request.user, request.body.password, requestMeta(request));
      clearSessionCookie(request, reply);
      return { message: 'Account deleted' };
    },
  );

  app.get(
    '/events',
    {
      ...guarded,
      schema: {
        ...docs,
        summary: "The caller's own security events, newest first",
        querystring: listEventsQuerySchema,
        response: { 200: z.array(authEventSchema) },
      },
    },
    async (request) =>
      (await listAuthEvents(deps.db, request.user.id, request.query.limit)).map((event) => ({
        id: event.id,
        event: event.event,
        ip: event.ip,
        user_agent: event.userAgent,
        request_id: event.requestId,
        created_at: event.createdAt.toISOString(),
      })),
  );
};
