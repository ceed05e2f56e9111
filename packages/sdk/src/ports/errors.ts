/**
 * The closed set of errors every adapter maps its failures to, grouped by what the engine does
 * with them: re-authorise (AuthError), retry after a given delay (RateLimitedError), retry later
 * with back-off (TransientError), give up (PermanentError).
 */
export type PortErrorCode = 'auth' | 'rate_limited' | 'transient' | 'permanent';

export abstract class PortError extends Error {
  abstract readonly code: PortErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The credentials were refused: a revoked or broken token. Retrying will not help. */
export class AuthError extends PortError {
  readonly code = 'auth';
}

/** The service asked us to slow down; the request was not performed. */
export class RateLimitedError extends PortError {
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A network error, a timeout or a 5xx: the request may or may not have been performed. */
export class TransientError extends PortError {
  readonly code = 'transient';
}

/** The service refused the request itself (bad number, unknown method); retrying gives the same. */
export class PermanentError extends PortError {
  readonly code = 'permanent';
}

/**
 * The one place an unknown throw becomes a PortError. Adapters map what they know; anything left
 * (a bug, a TypeError from a client library) counts as transient so a lead is retried, not lost.
 */
export function toPortError(error: unknown): PortError {
  if (error instanceof PortError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TransientError(message, { cause: error });
}
