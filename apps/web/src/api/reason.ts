import { ApiError, NETWORK_ERROR_MESSAGE } from './client';

/** The sentence to show for a failed request: the server's, or the network one. */
export const reasonOf = (error: unknown) => (error instanceof ApiError ? error.message : NETWORK_ERROR_MESSAGE);
