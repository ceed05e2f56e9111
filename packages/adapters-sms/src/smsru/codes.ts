import type { PermanentError, PortError } from '@prozvon/sdk';
import {
  messageRefused,
  SmsProviderAuthError,
  SmsProviderRefusedError,
  SmsProviderUnavailableError,
} from '../errors.js';

const PROVIDER = 'smsru';

/**
 * SMS.ru's status codes (MESSAGING.md §1) as port errors. The gateway's own Russian text is kept
 * in the message for the sellers, but the branch is on the code: texts change.
 */
export function smsRuError(code: number, text: string, now: number, downRetryMs: number): PortError {
  const detail = `${code} ${text}`.trim();
  switch (code) {
    case 200: // wrong api_id
    case 300: // bad token
    case 301: // bad password or api_id
      return new SmsProviderAuthError(PROVIDER, `${PROVIDER}: credentials refused (${detail})`);
    case 201:
      return new SmsProviderRefusedError(PROVIDER, 'funds', `${PROVIDER}: out of funds (${detail})`);
    case 204: // sender name not approved
    case 302: // account not confirmed
      return new SmsProviderRefusedError(PROVIDER, 'config', `${PROVIDER}: account refused (${detail})`);
    case 206:
      // The account's daily limit: SMS.ru counts days in Moscow time.
      return new SmsProviderUnavailableError(
        PROVIDER,
        'rate_limited',
        `${PROVIDER}: daily limit reached (${detail})`,
        untilMoscowMidnight(now),
      );
    case 220: // service temporarily unavailable
    case 500: // server error, "repeat the request"
      return new SmsProviderUnavailableError(PROVIDER, 'down', `${PROVIDER}: down (${detail})`, downRetryMs);
    default:
      return numberOrTextError(code, detail);
  }
}

/** Codes about this number or this text: another provider would refuse it too, or send it twice. */
function numberOrTextError(code: number, detail: string): PermanentError {
  if (code === 150 || code === 202 || code === 207) return messageRefused(PROVIDER, `bad number (${detail})`);
  if (code === 209) return messageRefused(PROVIDER, `number is on the stop list (${detail})`);
  if (code === 231 || code === 232)
    return messageRefused(PROVIDER, `the same text already went to this number (${detail})`);
  if (code === 230 || code === 233) return messageRefused(PROVIDER, `per-number limit (${detail})`);
  return messageRefused(PROVIDER, `request refused (${detail})`);
}

function untilMoscowMidnight(now: number): number {
  const moscowOffsetMs = 3 * 3_600_000; // UTC+3 all year since 2014
  const day = 86_400_000;
  const local = now + moscowOffsetMs;
  return day - (local % day);
}
