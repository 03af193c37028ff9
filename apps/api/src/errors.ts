import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

export type ErrorCode =
  | 'validation_failed'
  | 'invalid_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_found'
  | 'method_not_allowed'
  | 'email_taken'
  | 'invalid_credentials'
  | 'auth_required'
  | 'invalid_token'
  | 'token_expired'
  | 'forbidden'
  | 'csrf'
  | 'task_not_found'
  | 'session_not_found'
  | 'password_too_common'
  | 'rate_limited'
  | 'unavailable';

type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 413 | 415 | 429 | 500;

export class AppError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface ErrorBody {
  error: string;
  code: ErrorCode;
  fields?: Record<string, string>;
}

export const UNAVAILABLE_MESSAGE = 'Service temporarily unavailable, please try again';

export const rateLimitedError = (retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', 'Too many attempts, please try again later', undefined, {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });

/** Builds a validation_failed error whose message repeats the first field's sentence, as the contract asks. */
function validationError(fields: Record<string, string>): AppError {
  const first = Object.values(fields)[0] ?? 'The request is not valid';
  return new AppError(400, 'validation_failed', first, fields);
}

// Fastify's own failures that a client caused, by their error code.
const clientErrors: Record<string, () => AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => new AppError(400, 'invalid_json', 'The request body is not valid JSON'),
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    new AppError(413, 'payload_too_large', 'The request body is too large (64 KiB at most)'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new AppError(415, 'unsupported_media_type', 'Send the request body as application/json'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new AppError(400, 'invalid_json', 'The request body does not match its Content-Length'),
};

/** The one error handler: every failure leaves the server in the contract's shape, never with a stack trace. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(error);
  if (appError) {
    if (appError.status >= 500) request.log.error({ err: loggableError(error) }, 'request failed');
    return sendError(reply, appError);
  }
  request.log.error({ err: loggableError(error) }, 'unexpected error');
  return sendError(reply, new AppError(500, 'unavailable', UNAVAILABLE_MESSAGE));
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  const body: ErrorBody = { error: error.message, code: error.code };
  if (error.fields) body.fields = error.fields;
  if (error.headers) reply.headers(error.headers);
  return reply.code(error.status).type('application/json; charset=utf-8').send(body);
}

// What the log may keep of a failure. drizzle's query errors carry the SQL parameters (emails,
// password hashes) in their message, and a driver error's `detail` quotes the row ("Failing row
// contains …"); the log gets the driver's code, constraint and sentence, which name the cause.
function loggableError(error: Error): Error | Record<string, unknown> {
  const cause: unknown = 'params' in error && 'query' in error ? error.cause : error;
  if (cause && typeof cause === 'object' && 'severity' in cause) {
    const { name, message, code, constraint, table } = cause as Record<string, unknown>;
    return { type: name, message, code, constraint, table };
  }
  return cause instanceof Error ? cause : new Error('database query failed');
}

function toAppError(error: FastifyError): AppError | undefined {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields: Record<string, string> = {};
    for (const issue of error.validation) {
      const field = (issue.instancePath ?? '').split('/').filter(Boolean).join('.');
      // A failure at the root is about the body's shape; say so in our own words, not the library's.
      if (field) fields[field] ??= issue.message ?? 'This value is not valid';
      else fields.body ??= 'The request body must be a JSON object';
    }
    return validationError(fields);
  }
  const known = error.code ? clientErrors[error.code] : undefined;
  if (known) return known();
  // secure-json-parse rejects __proto__ keys with a SyntaxError carrying status 400.
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new AppError(400, 'invalid_json', 'The request body is not valid JSON');
  }
  return undefined;
}
