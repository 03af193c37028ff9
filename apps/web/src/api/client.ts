import { errorCatalogue } from '@todo/shared/errors';
import { reportAnswered, reportUnreachable } from './connection';

/** What every failed request turns into: the contract's error body, plus status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    /** From a 429's `Retry-After`: how many seconds to wait before trying again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const NETWORK_ERROR_MESSAGE = 'Could not reach the server, please try again';

type UnauthorizedHandler = (error: ApiError) => void;
let onUnauthorized: UnauthorizedHandler = () => {};

/** The auth context registers here, so any 401 anywhere ends the session in one place. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  body?: unknown;
  /** For the start-up "who am I?" call, where 401 only means "signed out". */
  quietUnauthorized?: boolean;
}

/**
 * The one HTTP client. The session travels in an HttpOnly cookie the browser sends by itself, so no
 * token is ever held by page scripts.
 */
export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  return (await apiRequestWithHeaders<T>(method, path, options)).body;
}

/** The same request, answering the response's headers too: a list's `Link` to its next page, say. */
export async function apiRequestWithHeaders<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<{ body: T; headers: Headers }> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(options.body !== undefined && { 'Content-Type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    reportUnreachable();
    throw new ApiError(0, 'network', NETWORK_ERROR_MESSAGE);
  }
  reportAnswered();
  if (response.ok) return { body: (await response.json()) as T, headers: response.headers };
  const error = await toApiError(response);
  if (error.status === 401 && !options.quietUnauthorized) onUnauthorized(error);
  throw error;
}

/** True when the request got no answer at all: the person is offline or the server is down. */
export const isNetworkError = (error: unknown) => error instanceof ApiError && error.code === 'network';

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = retryAfterSeconds(response.headers.get('Retry-After'));
  try {
    const body = (await response.json()) as { error?: string; code?: string; fields?: Record<string, string> };
    const message = body.error ?? NETWORK_ERROR_MESSAGE;
    return new ApiError(response.status, body.code ?? 'unknown', message, body.fields, retryAfter);
  } catch {
    return new ApiError(response.status, 'unavailable', errorCatalogue.unavailable.message, {}, retryAfter);
  }
}

/** `Retry-After` is either a number of seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
