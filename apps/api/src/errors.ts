import { errorCatalogue, type ErrorCode, type ErrorStatus } from '@todo/shared/errors';

export type { ErrorCode } from '@todo/shared/errors';

export interface ErrorDetails {
  /** A more precise sentence than the catalogue's, where the error has one. */
  message?: string;
  /** One sentence per failing field (validation_failed only). */
  fields?: Record<string, string>;
  headers?: Record<string, string>;
  /**
   * `unavailable` only: 503 instead of the catalogue's 500, when the server refuses work it has no room
   * for (the hash queue is full) rather than failing at it. The body stays the same.
   */
  status?: 503;
}

/** A failure the client is told about: its status and sentence come from the shared catalogue. */
export class AppError extends Error {
  readonly status: ErrorStatus | 503;
  readonly fields: Record<string, string> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: ErrorCode,
    details: ErrorDetails = {},
  ) {
    super(details.message ?? errorCatalogue[code].message);
    this.name = 'AppError';
    this.status = details.status ?? errorCatalogue[code].status;
    this.fields = details.fields;
    this.headers = details.headers;
  }
}

/** Raises an error by its code: `throw fail('task_not_found')`. */
export function fail(code: ErrorCode, details?: ErrorDetails): AppError {
  return new AppError(code, details);
}

export const rateLimitedError = (retryAfterSeconds: number) =>
  fail('rate_limited', { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } });

export const UNAVAILABLE_MESSAGE = errorCatalogue.unavailable.message;
