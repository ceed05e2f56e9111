import type { PortError } from '@prozvon/sdk';
import {
  messageRefused,
  SmsProviderAuthError,
  SmsProviderRefusedError,
  SmsProviderUnavailableError,
} from '../errors.js';

const PROVIDER = 'smsc';
/** Error 4 blocks our IP "temporarily" after frequent errors; MESSAGING.md: back off minutes. */
const IP_BLOCK_RETRY_MS = 5 * 60_000;

/** SMSC.ru's `error_code` (MESSAGING.md §2) as port errors; the branch is on the code, never the text. */
export function smscError(code: number, text: string): PortError {
  const detail = `error ${code} ${text}`.trim();
  switch (code) {
    case 2:
      return new SmsProviderAuthError(PROVIDER, `${PROVIDER}: credentials refused (${detail})`);
    case 3:
      return new SmsProviderRefusedError(PROVIDER, 'funds', `${PROVIDER}: out of funds (${detail})`);
    case 4:
      return new SmsProviderUnavailableError(
        PROVIDER,
        'rate_limited',
        `${PROVIDER}: our IP is blocked for a while (${detail})`,
        IP_BLOCK_RETRY_MS,
      );
    case 6:
      // Forbidden by sender name or text: the account's moderation, which another gateway may not share.
      return new SmsProviderRefusedError(PROVIDER, 'config', `${PROVIDER}: message forbidden (${detail})`);
    case 7:
      return messageRefused(PROVIDER, `bad number (${detail})`);
    case 8:
      return messageRefused(PROVIDER, `cannot be delivered to this number (${detail})`);
    case 9:
      // The identical request already went through within the minute: the text is on its way.
      return messageRefused(PROVIDER, `duplicate request, the same text was just sent (${detail})`);
    default:
      // 1 bad parameters, 5 bad date, and anything new: a bug on our side, not the provider's.
      return messageRefused(PROVIDER, `request refused (${detail})`);
  }
}
