import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authResultSchema, meSchema, messageSchema, signInBodySchema, signUpBodySchema } from './auth-schemas.js';
import { getUser, signIn, signOut, signUp, type AuthDeps } from './auth-service.js';
import { readToken, resolveUser } from './authenticate.js';
import { AppError } from '../errors.js';

export interface AuthRoutesOptions {
  deps: AuthDeps;
}

const sessionMeta = (request: FastifyRequest) => ({ userAgent: request.headers['user-agent'], ip: request.ip });

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, { deps }) => {
  app.post('/signup', {
    schema: {
      tags: ['auth'],
      summary: 'Create an account and open a session',
      body: signUpBodySchema,
      response: { 201: authResultSchema },
    },
  }, async (request, reply) => reply.code(201).send(await signUp(deps, request.body, sessionMeta(request))));

  app.post('/signin', {
    schema: {
      tags: ['auth'],
      summary: 'Open a session with email and password',
      body: signInBodySchema,
      response: { 200: authResultSchema },
    },
  }, (request) => signIn(deps, request.body, sessionMeta(request)));

  app.post('/signout', {
    schema: {
      tags: ['auth'],
      summary: 'Revoke the presented session, if any; always succeeds',
      response: { 200: messageSchema },
    },
  }, async (request) => {
    const sessionId = await presentedSessionId(deps, request);
    if (sessionId) await signOut(deps, sessionId);
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

// Sign-out never fails: a missing, bad or already revoked token simply has nothing to revoke.
async function presentedSessionId(deps: AuthDeps, request: FastifyRequest): Promise<string | undefined> {
  try {
    const token = readToken(request);
    return token ? (await resolveUser(deps, token)).sessionId : undefined;
  } catch (error) {
    if (error instanceof AppError) return undefined;
    throw error; // the database failing is not "nothing to revoke"
  }
}
