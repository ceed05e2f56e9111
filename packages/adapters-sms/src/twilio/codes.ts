import type { PortError } from '@prozvon/sdk';
import {
  ambiguous,
  messageRefused,
  SmsProviderAuthError,
  SmsProviderRefusedError,
  SmsProviderUnavailableError,
} from '../errors.js';

const PROVIDER = 'twilio';
/** Twilio's 20429 is a burst limit: a short pause is enough when it sends no Retry-After. */
const BURST_RETRY_MS = 5_000;

const BAD_NUMBER = new Set([21211, 21612, 21614, 21635]);
/** Our Twilio account cannot send this (sender, service, region, trial, resource): another provider may. */
const ACCOUNT_CONFIG = new Set([20404, 21408, 21606, 21608, 21701]);

export interface TwilioFailure {
  readonly httpStatus: number;
  readonly code: number | undefined;
  readonly message: string;
  readonly retryAfterMs: number | undefined;
  readonly downRetryMs: number;
}

/** Twilio's error JSON `{code, message, more_info, status}` (MESSAGING.md §3) as a port error. */
export function twilioError(f: TwilioFailure): PortError {
  const detail = `${f.code ?? f.httpStatus} ${f.message}`.trim();
  // 20005 "Account not active": suspended, usually unpaid. Checked before the 401 it comes with.
  if (f.code === 20005)
    return new SmsProviderRefusedError(PROVIDER, 'funds', `${PROVIDER}: account not active (${detail})`);
  if (f.code === 20003 || f.httpStatus === 401 || f.httpStatus === 403)
    return new SmsProviderAuthError(PROVIDER, `${PROVIDER}: credentials refused (${detail})`);
  if (f.code === 20429 || f.httpStatus === 429)
    return new SmsProviderUnavailableError(
      PROVIDER,
      'rate_limited',
      `${PROVIDER}: too many requests (${detail})`,
      f.retryAfterMs ?? BURST_RETRY_MS,
    );
  if (f.httpStatus === 503)
    return new SmsProviderUnavailableError(
      PROVIDER,
      'down',
      `${PROVIDER}: unavailable (${detail})`,
      f.retryAfterMs ?? f.downRetryMs,
    );
  // Any other 5xx may come after the message was queued.
  if (f.httpStatus >= 500) return ambiguous(PROVIDER, `server error (${detail})`);
  if (f.code !== undefined && BAD_NUMBER.has(f.code))
    return messageRefused(PROVIDER, `bad number (${detail})`);
  if (f.code === 21610) return messageRefused(PROVIDER, `the customer unsubscribed (${detail})`);
  if (f.code !== undefined && ACCOUNT_CONFIG.has(f.code))
    return new SmsProviderRefusedError(PROVIDER, 'config', `${PROVIDER}: account cannot send (${detail})`);
  // 21602–21604 missing fields, 21617 too long, and codes we do not know: no failover, since we
  // cannot tell whether another provider would accept them.
  return messageRefused(PROVIDER, `request refused (${detail})`);
}
