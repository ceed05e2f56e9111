import type { CallOptions, SmsMessage, SmsReceipt } from '@prozvon/sdk';
import { z } from 'zod';
import { ambiguous } from '../errors.js';
import { postForm } from '../http.js';
import { httpFailure } from '../http-failure.js';
import { baseUrl, CommonOptions, digitsOf, parseConfig, type SmsProvider } from '../provider.js';
import { countSmsSegments } from '../segments.js';
import { smsRuError } from './codes.js';

export const SmsRuConfig = CommonOptions.extend({
  /** The account key from the SMS.ru cabinet: the only credential. */
  apiId: z.string().min(1),
  /** A sender name SMS.ru approved (else 204); without it SMS.ru uses the account's default. */
  sender: z.string().min(1).max(11).optional(),
  baseUrl: baseUrl('https://sms.ru'),
  /** `test=1`: SMS.ru validates and answers but neither sends nor charges. */
  test: z.boolean().default(false),
});
export type SmsRuConfig = z.input<typeof SmsRuConfig>;

const Result = z.object({ status: z.string(), status_code: z.number(), status_text: z.string().optional() });
const SendAnswer = Result.extend({
  sms: z.record(z.string(), Result.extend({ sms_id: z.string().optional() })).optional(),
});

/** SMS.ru on `fetch`: there is no maintained Node client, and the API is one form POST. */
export function createSmsRuProvider(input: SmsRuConfig, now: () => number = Date.now): SmsProvider {
  const config = parseConfig('SMS.ru', SmsRuConfig, input);
  const url = `${config.baseUrl}/sms/send`;
  return {
    name: 'smsru',
    async send(message: SmsMessage, options?: CallOptions): Promise<SmsReceipt> {
      const to = digitsOf(message.phone);
      const form = new URLSearchParams({ api_id: config.apiId, to, msg: message.text, json: '1' });
      if (config.sender !== undefined) form.set('from', config.sender);
      if (config.test) form.set('test', '1');
      const answer = await postForm({
        provider: 'smsru',
        url,
        form,
        timeoutMs: config.timeoutMs,
        unreachableRetryMs: config.downRetryMs,
        signal: options?.signal,
      });
      // SMS.ru answers 200 for its own errors too; anything else is its web server, not the API.
      if (answer.status !== 200) throw httpFailure('smsru', answer, config.downRetryMs);
      const parsed = SendAnswer.safeParse(answer.json);
      if (!parsed.success) throw ambiguous('smsru', 'unreadable answer to a send');
      const body = parsed.data;
      if (body.status !== 'OK')
        throw smsRuError(body.status_code, body.status_text ?? '', now(), config.downRetryMs);
      const entry = body.sms?.[to] ?? Object.values(body.sms ?? {})[0];
      if (entry === undefined) throw ambiguous('smsru', 'the answer does not mention the number');
      if (entry.status !== 'OK')
        throw smsRuError(entry.status_code, entry.status_text ?? '', now(), config.downRetryMs);
      // Accepted, yet no id to show for it: sent as far as we can tell, but we cannot prove it.
      if (entry.sms_id === undefined) throw ambiguous('smsru', 'accepted without an sms_id');
      return { provider: 'smsru', messageId: entry.sms_id, segments: countSmsSegments(message.text) };
    },
  };
}
