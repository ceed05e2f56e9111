import type { CallOptions, SmsMessage, SmsReceipt } from '@prozvon/sdk';
import { z } from 'zod';
import { ambiguous } from '../errors.js';
import { postForm } from '../http.js';
import { httpFailure, retryAfterMs } from '../http-failure.js';
import { baseUrl, CommonOptions, parseConfig, type SmsProvider } from '../provider.js';
import { countSmsSegments } from '../segments.js';
import { twilioError } from './codes.js';

export const TwilioConfig = CommonOptions.extend({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected AC followed by 32 hex digits'),
  authToken: z.string().min(1),
  /** A Twilio number or an alphanumeric sender id… */
  from: z.string().min(1).optional(),
  /** …or a Messaging Service (`MG…`), which picks the sender itself. */
  messagingServiceSid: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, 'expected MG followed by 32 hex digits')
    .optional(),
  /** Where Twilio posts delivery status changes, if anyone listens. */
  statusCallback: z.url({ protocol: /^https?$/ }).optional(),
  baseUrl: baseUrl('https://api.twilio.com'),
}).refine((c) => c.from !== undefined || c.messagingServiceSid !== undefined, {
  message: 'set from or messagingServiceSid',
  path: ['from'],
});
export type TwilioConfig = z.input<typeof TwilioConfig>;

const Created = z.object({ sid: z.string(), num_segments: z.union([z.string(), z.number()]).nullish() });
const Failure = z.object({ code: z.number().optional(), message: z.string().optional() });

/**
 * Twilio's Messages API on `fetch`. Not the `twilio` package: it weighs 23 MB with axios for this
 * one POST, and its base URL is hard-coded, so reaching a simulator needs a rewriting `httpClient`
 * (MESSAGING.md §3). Its auto-retry would also be wrong for us: a paid send is never repeated here.
 */
export function createTwilioProvider(input: TwilioConfig): SmsProvider {
  const config = parseConfig('Twilio', TwilioConfig, input);
  const url = `${config.baseUrl}/2010-04-01/Accounts/${config.accountSid}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
  return {
    name: 'twilio',
    async send(message: SmsMessage, options?: CallOptions): Promise<SmsReceipt> {
      const form = new URLSearchParams({ To: message.phone, Body: message.text });
      if (config.messagingServiceSid !== undefined)
        form.set('MessagingServiceSid', config.messagingServiceSid);
      else if (config.from !== undefined) form.set('From', config.from);
      if (config.statusCallback !== undefined) form.set('StatusCallback', config.statusCallback);
      const answer = await postForm({
        provider: 'twilio',
        url,
        form,
        headers: { authorization, accept: 'application/json' },
        timeoutMs: config.timeoutMs,
        unreachableRetryMs: config.downRetryMs,
        signal: options?.signal,
      });
      if (answer.status === 200 || answer.status === 201) {
        const created = Created.safeParse(answer.json);
        if (!created.success) throw ambiguous('twilio', 'unreadable answer to a send');
        const billed = Number(created.data.num_segments);
        const segments = Number.isInteger(billed) && billed > 0 ? billed : countSmsSegments(message.text);
        return { provider: 'twilio', messageId: created.data.sid, segments };
      }
      const failure = Failure.safeParse(answer.json);
      // Not Twilio's error JSON: a proxy's or web server's page, judged by its status alone.
      if (!failure.success || failure.data.code === undefined)
        throw httpFailure('twilio', answer, config.downRetryMs);
      throw twilioError({
        httpStatus: answer.status,
        code: failure.data.code,
        message: failure.data.message ?? '',
        retryAfterMs: retryAfterMs(answer.headers),
        downRetryMs: config.downRetryMs,
      });
    },
  };
}
