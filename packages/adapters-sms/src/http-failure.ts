import type { PortError } from '@prozvon/sdk';
import {
  ambiguous,
  SmsProviderAuthError,
  SmsProviderRefusedError,
  SmsProviderUnavailableError,
} from './errors.js';
import type { GatewayAnswer } from './http.js';

/**
 * An answer that is not the gateway's API speaking (an HTML error page, an unexpected status, a
 * body we cannot read). Only statuses that say "nothing was done" are safe to hand to another
 * provider; a 502/504 or a garbled 200 may come after the gateway took the message.
 */
// Typed as the port error it always is (also what TypeScript 7.0.2 needs when building against the
// SDK's declarations: as `Error` it fails TS2739 on these subclasses, although they extend Error).
export function httpFailure(provider: string, answer: GatewayAnswer, downRetryMs: number): PortError {
  const { status } = answer;
  const retryAfter = retryAfterMs(answer.headers) ?? downRetryMs;
  if (status === 503)
    return new SmsProviderUnavailableError(provider, 'down', `${provider}: HTTP 503, not sent`, retryAfter);
  if (status === 429)
    return new SmsProviderUnavailableError(provider, 'rate_limited', `${provider}: HTTP 429`, retryAfter);
  if (status === 401 || status === 403)
    return new SmsProviderAuthError(provider, `${provider}: HTTP ${status}, credentials refused`);
  if (status >= 400 && status < 500)
    return new SmsProviderRefusedError(provider, 'config', `${provider}: HTTP ${status}, check the base URL`);
  return ambiguous(provider, `unexpected answer, HTTP ${status}`);
}

/** `Retry-After` in seconds (the HTTP-date form is not used by these gateways). */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value) * 1000;
}
