import { RefreshTokenError, SdkError } from '@bitrix24/b24jssdk';
import {
  AuthError,
  PermanentError,
  PortError,
  RateLimitedError,
  TransientError,
  toPortError,
} from '@prozvon/sdk';

/**
 * Codes that mean the credential itself is refused: the install's tokens are revoked, expired past
 * refresh, or the webhook was deleted (BITRIX24.md §1, §2.3). The engine sends the lead to manual.
 */
const AUTH_CODES = new Set([
  'expired_token',
  'invalid_token',
  'NO_AUTH_FOUND',
  'invalid_grant',
  'invalid_client',
  'invalid_scope',
  'insufficient_scope',
  'INVALID_CREDENTIALS',
  'user_access_error',
  'ACCESS_DENIED',
  'PAYMENT_REQUIRED',
  'JSSDK_OAUTH_TOKEN_REFRESH_FAILED',
]);

/**
 * How long to wait before the engine tries again, per limit. The request-rate bucket drains 2 a
 * second, so a couple of seconds frees room; the operating-time window moves by one-minute buckets
 * (§7); OVERLOAD_LIMIT is a block set by Bitrix24 support, so we back off for minutes.
 */
const QUERY_LIMIT_WAIT_MS = 2_000;
const OPERATING_LIMIT_WAIT_MS = 60_000;
const RATE_LIMITS: Record<string, number> = {
  QUERY_LIMIT_EXCEEDED: QUERY_LIMIT_WAIT_MS,
  OPERATION_TIME_LIMIT: OPERATING_LIMIT_WAIT_MS,
  OVERLOAD_LIMIT: 600_000,
};

const TRANSIENT_CODES = new Set([
  'NETWORK_ERROR',
  'REQUEST_TIMEOUT',
  'ECONNABORTED',
  'ECONNRESET',
  'ERR_BAD_RESPONSE',
  'INTERNAL_SERVER_ERROR',
  'ERROR_UNEXPECTED_ANSWER',
  'JSSDK_CALL_ALL_ATTEMPTS_EXHAUSTED',
]);

/** Maps a `{ error, error_description }` pair, as the portal sends it, to the engine's errors. */
export function fromRestError(
  code: string,
  description: string,
  status: number | undefined,
  cause?: unknown,
): PortError {
  const message = describe(code, description);
  const options = { cause };
  if (AUTH_CODES.has(code) || status === 401) return new AuthError(message, options);
  const wait = RATE_LIMITS[code];
  if (wait !== undefined) return new RateLimitedError(message, wait, options);
  // A bare 503 / 429 (a proxy, or a code we do not know) is read the way the SDK reads it: a limit.
  if (status === 503) return new RateLimitedError(message, QUERY_LIMIT_WAIT_MS, options);
  if (status === 429) return new RateLimitedError(message, OPERATING_LIMIT_WAIT_MS, options);
  if (TRANSIENT_CODES.has(code) || status === 0 || (status !== undefined && status >= 500)) {
    return new TransientError(message, options);
  }
  // Everything else is the portal refusing the request itself: an unknown method, bad params,
  // a legacy "Not found" (empty code), WRONG_AUTH_TYPE. The same request would fail again.
  return new PermanentError(message, options);
}

/**
 * The one function that turns whatever b24jssdk threw into a PortError. It sees through the SDK's
 * wrapping: a failed token refresh inside a call arrives as `AjaxError JSSDK_UNKNOWN_ERROR` with the
 * `RefreshTokenError` in `originalError` (BITRIX24.md §8), and a legacy empty-code 400 arrives as
 * `ERR_BAD_REQUEST` with the portal's text only in `originalError.response.data`.
 */
export function toCrmError(thrown: unknown): PortError {
  if (thrown instanceof RefreshTokenError) return refreshFailure(thrown, thrown);
  if (thrown instanceof SdkError) {
    const inner = thrown.originalError;
    // A custom refresh (the app's own, under its lock) may already speak the port's language.
    if (inner instanceof PortError) return inner;
    if (inner instanceof RefreshTokenError || isRefreshSdkError(inner)) {
      return refreshFailure(inner as SdkError, thrown);
    }
    const portal = portalAnswer(inner);
    if (portal !== undefined && thrown.code === 'ERR_BAD_REQUEST') {
      return fromRestError(portal.error, portal.description, thrown.status, thrown);
    }
    return fromRestError(thrown.code, thrown.message, thrown.status, thrown);
  }
  return toPortError(thrown);
}

function isRefreshSdkError(error: unknown): boolean {
  return error instanceof SdkError && error.code.startsWith('JSSDK_OAUTH_TOKEN_REFRESH');
}

/**
 * A refresh the OAuth server refused (invalid_grant: the refresh token was used, expired or
 * revoked; invalid_client; PAYMENT_REQUIRED; an error body with 200) needs a new install or
 * authorisation. A refresh that never got an answer (the OAuth server unreachable, a 5xx) is only
 * a network failure: the lead must wait and retry, not go to manual.
 */
function refreshFailure(refresh: SdkError, cause: unknown): PortError {
  const message = `Bitrix24 token refresh failed: ${refresh.message}`;
  const unanswered =
    !AUTH_CODES.has(refresh.code) &&
    refresh.code !== 'JSSDK_OAUTH_TOKEN_REFRESH_FAILED' &&
    (refresh.status === 0 || refresh.status >= 500);
  return unanswered ? new TransientError(message, { cause }) : new AuthError(message, { cause });
}

/** The body the portal sent with an HTTP error, when axios kept it. */
function portalAnswer(error: unknown): { error: string; description: string } | undefined {
  const data = (error as { response?: { data?: unknown } } | undefined)?.response?.data;
  if (typeof data !== 'object' || data === null || !('error' in data)) return undefined;
  const body = data as { error: unknown; error_description?: unknown };
  return { error: String(body.error ?? ''), description: String(body.error_description ?? '') };
}

function describe(code: string, description: string): string {
  const text = description.trim();
  if (code === '') return `Bitrix24: ${text || 'request refused'}`;
  return text === '' || text === code ? `Bitrix24 ${code}` : `Bitrix24 ${code}: ${text}`;
}
