import { AuthError, PermanentError, RateLimitedError, TransientError } from '@prozvon/sdk';

/**
 * Errors a gateway client throws. Each is one of the SDK's port errors, so a single client is a
 * complete SmsPort; the subclasses add what the failover chain needs to know: whether the
 * *provider* failed (another provider could send the text) or the *message* did (bad number,
 * already sent, a bug — no provider would do better, and trying one could send it twice).
 */

/** Why a provider as a whole could not take the message. */
export type ProviderFailureReason = 'auth' | 'funds' | 'config' | 'down' | 'rate_limited';

/** The provider refused our credentials (wrong api_id, password, token). */
export class SmsProviderAuthError extends AuthError {
  readonly reason: Extract<ProviderFailureReason, 'auth'> = 'auth';
  constructor(
    readonly provider: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The provider's account cannot send: out of funds, a sender name it has not approved, a region
 * not enabled. Retrying the same provider will not help until someone fixes the account.
 */
export class SmsProviderRefusedError extends PermanentError {
  constructor(
    readonly provider: string,
    readonly reason: Extract<ProviderFailureReason, 'funds' | 'config'>,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The provider said "not now" and did not send: an account-wide limit, an outage it answered for,
 * or a connection that was never made. A RateLimitedError because that is the SDK's one error
 * meaning "not performed, try again later", which lets the engine re-queue a paid effect safely.
 */
export class SmsProviderUnavailableError extends RateLimitedError {
  constructor(
    readonly provider: string,
    readonly reason: Extract<ProviderFailureReason, 'down' | 'rate_limited'>,
    message: string,
    retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, retryAfterMs, options);
  }
}

export type SmsProviderFailure = SmsProviderAuthError | SmsProviderRefusedError | SmsProviderUnavailableError;

/** True when another provider may send the message: the failure was the provider's, not the text's. */
export function isProviderFailure(error: unknown): error is SmsProviderFailure {
  return (
    error instanceof SmsProviderAuthError ||
    error instanceof SmsProviderRefusedError ||
    error instanceof SmsProviderUnavailableError
  );
}

/** The number or the text is at fault (bad number, stop list, already sent, a bug). */
export function messageRefused(provider: string, detail: string): PermanentError {
  return new PermanentError(`${provider}: ${detail}`);
}

/**
 * The request may have reached the provider and we do not know what it did (a timeout, a reset
 * connection, a gateway error). The SMS may have gone out: never retried, never failed over.
 */
export function ambiguous(provider: string, detail: string, cause?: unknown): TransientError {
  return new TransientError(`${provider}: ${detail}; the SMS may have been sent`, { cause });
}
