import type { ErrorBody } from '@todo/shared/errors';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isUnstorableCharacter } from '../db/errors.js';
import { AppError, fail, type ErrorCode } from '../errors.js';

/** Builds a validation_failed error whose message repeats the first field's sentence, as the contract asks. */
function validationError(fields: Record<string, string>): AppError {
  return fail('validation_failed', { message: Object.values(fields)[0], fields });
}

// Fastify's own failures that a client caused, by their error code.
const clientErrors: Record<string, () => AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => fail('invalid_json'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => fail('payload_too_large'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => fail('unsupported_media_type'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    fail('invalid_json', { message: 'The request body does not match its Content-Length' }),
};

// A library's own refusal (@fastify/static and @fastify/send: a traversal, a bad Range, a failed
// If-Match) keeps its status, in our words. A file that is refused is one that is not there.
const libraryRefusals: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  403: 'not_found',
  404: 'not_found',
  405: 'method_not_allowed',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
};

/** The one error handler: every failure leaves the server in the contract's shape, never with a stack trace. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(error);
  if (appError) {
    if (appError.status >= 500) request.log.error({ err: loggableError(error) }, 'request failed');
    return sendError(reply, appError);
  }
  // The client hung up while sending its body: nobody is left to answer, and nothing went wrong here.
  if (error.code === 'ECONNRESET' && request.raw.destroyed) {
    request.log.info('the client closed the connection before its request was complete');
    return sendError(reply, fail('bad_request'));
  }
  const refusal = libraryRefusal(error);
  if (refusal) {
    request.log.info({ err: { type: error.name, code: error.code, statusCode: error.statusCode } }, 'request refused');
    return sendError(reply, refusal);
  }
  // The last line behind the schemas, which refuse control characters: PostgreSQL cannot store NUL.
  if (isUnstorableCharacter(error)) {
    request.log.info({ err: loggableError(error) }, 'the database refused a character in the request');
    const message = 'The request holds a character that cannot be stored';
    return sendError(reply, fail('validation_failed', { message, fields: { request: message } }));
  }
  request.log.error({ err: loggableError(error) }, 'unexpected error');
  return sendError(reply, fail('unavailable'));
}

function libraryRefusal(error: FastifyError): AppError | undefined {
  const status = error.statusCode ?? (error as { status?: unknown }).status;
  const code = typeof status === 'number' ? libraryRefusals[status] : undefined;
  if (!code) return undefined;
  // @fastify/send says which bytes there are (`bytes */<size>`) with a 416.
  const { headers } = error as { headers?: Record<string, unknown> };
  const contentRange = headers?.['Content-Range'];
  return fail(code, typeof contentRange === 'string' ? { headers: { 'Content-Range': contentRange } } : undefined);
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
  if (error instanceof SyntaxError && error.statusCode === 400) return fail('invalid_json');
  return undefined;
}
