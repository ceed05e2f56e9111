import { createHash } from 'node:crypto';
import type { CallOptions, SmsMessage, SmsReceipt } from '@prozvon/sdk';
import { z } from 'zod';
import { ambiguous } from '../errors.js';
import { postForm } from '../http.js';
import { httpFailure } from '../http-failure.js';
import { baseUrl, CommonOptions, parseConfig, type SmsProvider } from '../provider.js';
import { countSmsSegments } from '../segments.js';
import { smscError } from './codes.js';

const Credentials = z.union([
  z.object({ login: z.string().min(1), password: z.string().min(1) }),
  z.object({ apiKey: z.string().min(1) }),
]);

export const SmscConfig = CommonOptions.extend({
  credentials: Credentials,
  /** An approved sender name; SMSC refuses others with error 6. */
  sender: z.string().min(1).max(11).optional(),
  baseUrl: baseUrl('https://smsc.ru'),
});
export type SmscConfig = z.input<typeof SmscConfig>;

const SendAnswer = z.union([
  z.object({ error: z.string().optional(), error_code: z.number() }),
  z.object({ id: z.union([z.number(), z.string()]), cnt: z.number() }),
]);

/**
 * SMSC.ru on `fetch` (the npm client is years old). Always `fmt=3` (JSON) and `charset=utf-8`:
 * the default charset would turn Cyrillic into mojibake on the customer's phone.
 */
export function createSmscProvider(input: SmscConfig): SmsProvider {
  const config = parseConfig('SMSC', SmscConfig, input);
  const url = `${config.baseUrl}/sys/send.php`;
  const auth: Record<string, string> =
    'apiKey' in config.credentials
      ? { apikey: config.credentials.apiKey }
      : { login: config.credentials.login, psw: config.credentials.password };
  return {
    name: 'smsc',
    async send(message: SmsMessage, options?: CallOptions): Promise<SmsReceipt> {
      const id = smscMessageId(message.key);
      // With a leading + SMSC takes the number as given; we already normalised it to E.164.
      const form = new URLSearchParams({
        ...auth,
        phones: message.phone,
        mes: message.text,
        fmt: '3',
        charset: 'utf-8',
        id,
      });
      if (config.sender !== undefined) form.set('sender', config.sender);
      const answer = await postForm({
        provider: 'smsc',
        url,
        form,
        timeoutMs: config.timeoutMs,
        unreachableRetryMs: config.downRetryMs,
        signal: options?.signal,
      });
      if (answer.status !== 200) throw httpFailure('smsc', answer, config.downRetryMs);
      const parsed = SendAnswer.safeParse(answer.json);
      if (!parsed.success) throw ambiguous('smsc', 'unreadable answer to a send');
      const body = parsed.data;
      if ('error_code' in body) throw smscError(body.error_code, body.error ?? '');
      // `cnt` is what SMSC bills (parts × numbers, and we send to one number).
      const segments = body.cnt > 0 ? body.cnt : countSmsSegments(message.text);
      return { provider: 'smsc', messageId: String(body.id), segments };
    },
  };
}

/**
 * Our own SMSC message `id`, derived from the effect key: SMSC does not de-duplicate by it, but
 * `status.php?phone=…&id=…` finds the message by it, so an ambiguous send can be checked later.
 * A hash, because the key's `:` is outside SMSC's alphabet and it may exceed 40 characters.
 */
export function smscMessageId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40);
}
