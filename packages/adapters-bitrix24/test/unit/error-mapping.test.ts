import { RefreshTokenError, SdkError } from '@bitrix24/b24jssdk';
import { AuthError, PermanentError, RateLimitedError, TransientError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { fromRestError, toCrmError } from '../../src/errors.js';

// The limits the msw tests cannot reach quickly: the SDK waits ≥ 10 s before re-sending a 429.
describe('fromRestError', () => {
  it.each([
    ['OPERATION_TIME_LIMIT', 429, 60_000],
    ['', 429, 60_000],
    ['OVERLOAD_LIMIT', 503, 600_000],
    ['QUERY_LIMIT_EXCEEDED', 503, 2_000],
    ['', 503, 2_000],
  ])('%s (%i) waits %i ms', (code, status, wait) => {
    const error = fromRestError(code, 'limit', status);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(wait);
  });

  it.each([
    ['invalid_grant', undefined, AuthError],
    ['', 401, AuthError],
    ['NETWORK_ERROR', 0, TransientError],
    ['ERROR_UNEXPECTED_ANSWER', 500, TransientError],
    ['SOMETHING', 504, TransientError],
    ['ERROR_CORE', 400, PermanentError],
    ['PORTAL_DELETED', undefined, PermanentError],
  ] as const)('%s (%s) is a %o', (code, status, kind) => {
    expect(fromRestError(code, 'x', status)).toBeInstanceOf(kind);
  });

  it('keeps the cause', () => {
    const cause = new Error('c');
    expect(fromRestError('ERROR_CORE', 'x', 400, cause).cause).toBe(cause);
  });
});

describe('toCrmError', () => {
  it('sees a RefreshTokenError thrown as is, or inside an SdkError', () => {
    const refresh = new RefreshTokenError({ code: 'invalid_grant', description: 'expired', status: 400 });
    expect(toCrmError(refresh)).toBeInstanceOf(AuthError);
    const wrapped = new SdkError({
      code: 'JSSDK_UNKNOWN_ERROR',
      description: 'expired',
      status: 0,
      originalError: refresh,
    });
    const mapped = toCrmError(wrapped);
    expect(mapped).toBeInstanceOf(AuthError);
    expect(mapped.cause).toBe(wrapped);
  });

  it('treats a refresh that got no answer as transient, a refused one as auth', () => {
    const unreachable = new RefreshTokenError({ code: 'ECONNREFUSED', description: 'connect', status: 0 });
    expect(toCrmError(unreachable)).toBeInstanceOf(TransientError);
    expect(
      toCrmError(new RefreshTokenError({ code: 'ERR_BAD_RESPONSE', description: 'x', status: 502 })),
    ).toBeInstanceOf(TransientError);
    expect(
      toCrmError(new RefreshTokenError({ code: 'invalid_client', description: 'x', status: 0 })),
    ).toBeInstanceOf(AuthError);
    const bodyError = new SdkError({
      code: 'JSSDK_OAUTH_TOKEN_REFRESH_FAILED',
      description: 'invalid_grant',
      status: 0,
    });
    expect(
      toCrmError(
        new SdkError({ code: 'JSSDK_UNKNOWN_ERROR', description: 'x', status: 0, originalError: bodyError }),
      ),
    ).toBeInstanceOf(AuthError);
  });

  it('treats an unknown JSSDK error with no status as transient, and anything else as the SDK port rule says', () => {
    expect(
      toCrmError(new SdkError({ code: 'JSSDK_UNKNOWN_ERROR', description: 'x', status: 0 })),
    ).toBeInstanceOf(TransientError);
    expect(toCrmError(new TypeError('bug'))).toBeInstanceOf(TransientError);
    const port = new PermanentError('kept');
    expect(toCrmError(port)).toBe(port);
  });
});
