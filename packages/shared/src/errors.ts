/**
 * Every error the API can answer, by its stable code: the status it goes out with and the sentence a
 * person reads. The API raises errors from here (`fail('task_not_found')`); the web app reads the same
 * sentences, so both say the same thing. A few errors carry a more precise sentence of their own
 * (validation_failed repeats its first field's; method_not_allowed names the methods allowed).
 */
export const errorCatalogue = {
  validation_failed: { status: 400, message: 'The request is not valid' },
  bad_request: { status: 400, message: 'The request could not be understood' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON' },
  payload_too_large: { status: 413, message: 'The request body is too large (64 KiB at most)' },
  request_timeout: { status: 408, message: 'The request took too long to arrive' },
  unsupported_media_type: { status: 415, message: 'Send the request body as application/json' },
  not_found: { status: 404, message: 'Not found' },
  method_not_allowed: { status: 405, message: 'This method is not allowed here' },
  precondition_failed: { status: 412, message: "The file does not meet the request's conditions" },
  range_not_satisfiable: { status: 416, message: 'The requested range is not within the file' },
  email_taken: { status: 400, message: 'Email already registered' },
  invalid_credentials: { status: 400, message: 'Invalid email or password' },
  auth_required: { status: 401, message: 'Authentication required' },
  invalid_token: { status: 401, message: 'Invalid or malformed token' },
  token_expired: { status: 401, message: 'Token expired, please log in again' },
  forbidden: { status: 403, message: 'Access denied to this resource' },
  csrf: { status: 403, message: 'Cross-site request refused' },
  task_not_found: { status: 404, message: 'Task not found' },
  invalid_cursor: { status: 400, message: 'Invalid cursor' },
  session_not_found: { status: 404, message: 'Session not found' },
  password_too_common: { status: 400, message: 'This password is too common, please choose another' },
  rate_limited: { status: 429, message: 'Too many attempts, please try again later' },
  unavailable: { status: 500, message: 'Service temporarily unavailable, please try again' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
export type ErrorStatus = (typeof errorCatalogue)[ErrorCode]['status'];

/** The one shape of every error body. `fields` only with validation_failed: one sentence per failing field. */
export interface ErrorBody {
  error: string;
  code: ErrorCode;
  fields?: Record<string, string>;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalogue, value);
}
