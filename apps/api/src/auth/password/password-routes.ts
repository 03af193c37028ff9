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
import type { DeviceCookies } from './device-cookie.js';
import type { PasswordDeps } from './password-deps.js';
import { signIn } from './sign-in.js';
import { signUp } from './sign-up.js';

/** An onRequest hook that refuses the request with 429 when its address has used up its allowance. */
type LimitHook = (request: FastifyRequest) => Promise<void>;

export interface PasswordRoutesOptions {
  deps: PasswordDeps & {
    authenticate: Authenticate;
    confirmPassword: ConfirmPassword;
    /** Marks browsers that signed in to an account, so their attempts are throttled on their own. */
    deviceCookies: DeviceCookies;
    /**
     * Per-address token buckets (onRequest hooks), one for each of signin and signup; password
     * confirmations have theirs per address and per account, after authentication.
     */
    limits: { signin: LimitHook; signup: LimitHook; passwordConfirm: LimitHook[] };
  };
}

/** Accounts with a password: create one, sign in with it, change it. */
export const passwordRoutes: FastifyPluginAsyncZod<PasswordRoutesOptions> = async (app, { deps }) => {
  // API clients use the token in the body; browsers get the same token as an HttpOnly cookie instead,
  // and a device cookie that makes this browser a trusted one for the account from now on.
  function withCookies(request: FastifyRequest, reply: FastifyReply, result: AuthResult): AuthResult {
    setSessionCookie(request, reply, result.token, new Date(result.expires_at));
    deps.deviceCookies.issue(request, reply, result.user.email);
    return result;
  }

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
      reply.code(201).send(withCookies(request, reply, await signUp(deps, request.body, requestMeta(request)))),
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
    async (request, reply) => {
      const trustedDevice = deps.deviceCookies.trustedDevice(request, request.body.email);
      return withCookies(request, reply, await signIn(deps, request.body, requestMeta(request), trustedDevice));
    },
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
