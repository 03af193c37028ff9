import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  authResultSchema,
  changePasswordBodySchema,
  messageSchema,
  signInBodySchema,
  signUpBodySchema,
  type AuthResult,
} from '@todo/shared/auth-schemas';
import { requestMeta } from '../request-meta.js';
import type { Authenticate } from '../session/authenticate.js';
import { setSessionCookie } from '../session/session-cookie.js';
import { changePassword } from './change-password.js';
import type { ConfirmPassword } from './confirm-password.js';
import type { PasswordDeps } from './password-deps.js';
import { signIn } from './sign-in.js';
import { signUp } from './sign-up.js';

/** An onRequest hook that refuses the request with 429 when its address has used up its allowance. */
type LimitHook = (request: FastifyRequest) => Promise<void>;

export interface PasswordRoutesOptions {
  deps: PasswordDeps & {
    authenticate: Authenticate;
    confirmPassword: ConfirmPassword;
    /**
     * Per-address token buckets (onRequest hooks), one for each of signin and signup; password
     * confirmations have theirs per address and per account, after authentication.
     */
    limits: { signin: LimitHook; signup: LimitHook; passwordConfirm: LimitHook[] };
  };
}

// API clients use the token in the body; browsers get the same token as an HttpOnly cookie instead.
function withSessionCookie(request: FastifyRequest, reply: FastifyReply, result: AuthResult): AuthResult {
  setSessionCookie(request, reply, result.token, new Date(result.expires_at));
  return result;
}

/** Accounts with a password: create one, sign in with it, change it. */
export const passwordRoutes: FastifyPluginAsyncZod<PasswordRoutesOptions> = async (app, { deps }) => {
  app.post(
    '/signup',
    {
      onRequest: deps.limits.signup,
      schema: {
        tags: ['auth'],
        summary: 'Create an account and open a session',
        body: signUpBodySchema,
        response: { 201: authResultSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(withSessionCookie(request, reply, await signUp(deps, request.body, requestMeta(request)))),
  );

  app.post(
    '/signin',
    {
      onRequest: deps.limits.signin,
      schema: {
        tags: ['auth'],
        summary: 'Open a session with email and password',
        body: signInBodySchema,
        response: { 200: authResultSchema },
      },
    },
    async (request, reply) => withSessionCookie(request, reply, await signIn(deps, request.body, requestMeta(request))),
  );

  app.put(
    '/password',
    {
      onRequest: [deps.authenticate, ...deps.limits.passwordConfirm],
      schema: {
        tags: ['account'],
        security: [{ bearerAuth: [] }],
        summary: 'Change the password; every other session is signed out',
        body: changePasswordBodySchema,
        response: { 200: messageSchema },
      },
    },
    async (request) => {
      await changePassword(deps, request.user, request.body, requestMeta(request));
      return { message: 'Password changed; other sessions were signed out' };
    },
  );
};
