import { AuthError, PermanentError, RateLimitedError, TransientError } from '@prozvon/sdk';
import { HttpResponse, http, type JsonBodyType } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  isProviderFailure,
  SmsProviderAuthError,
  SmsProviderRefusedError,
  SmsProviderUnavailableError,
} from '../src/errors.js';
import { createTwilioProvider } from '../src/twilio/client.js';
import { rejectionOf, type Seen, see, useMsw } from './support/msw.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-token-do-not-leak';
const URL = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages.json`;
const config = { accountSid: SID, authToken: TOKEN, from: '+15005550006' };
const message = { key: 'lead:7:sms:machine', phone: '+79161234567', text: 'We called you' };
const server = useMsw();

function answer(body: JsonBodyType, init?: { status?: number; headers?: Record<string, string> }) {
  const seen: Seen[] = [];
  server.use(
    http.post(URL, async ({ request }) => {
      seen.push(await see(request));
      return typeof body === 'string' ? new HttpResponse(body, init) : HttpResponse.json(body, init);
    }),
  );
  return seen;
}

const twilioError = (status: number, code: number) => ({
  code,
  message: `message ${code}`,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

describe('Twilio client', () => {
  it('posts To, From and Body with Basic auth and returns the sid and billed segments', async () => {
    const seen = answer(
      { sid: 'SM0123', status: 'queued', num_segments: '2', to: message.phone, direction: 'outbound-api' },
      { status: 201 },
    );
    const receipt = await createTwilioProvider({
      ...config,
      statusCallback: 'https://shop.example/twilio/status',
    }).send(message);
    expect(receipt).toEqual({ provider: 'twilio', messageId: 'SM0123', segments: 2 });
    const auth = seen[0]?.headers.get('authorization') ?? '';
    expect(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString()).toBe(`${SID}:${TOKEN}`);
    expect(Object.fromEntries(seen[0]?.form ?? [])).toEqual({
      To: '+79161234567',
      Body: 'We called you',
      From: '+15005550006',
      StatusCallback: 'https://shop.example/twilio/status',
    });
  });

  it('sends through a Messaging Service when one is set, and counts segments itself if Twilio does not', async () => {
    const seen = answer({ sid: 'SM1', status: 'accepted', num_segments: null }, { status: 201 });
    const service = 'MG0123456789abcdef0123456789abcdef';
    const receipt = await createTwilioProvider({
      accountSid: SID,
      authToken: TOKEN,
      messagingServiceSid: service,
    }).send({ ...message, text: 'я'.repeat(71) });
    expect(receipt.segments).toBe(2);
    expect(seen[0]?.form.get('MessagingServiceSid')).toBe(service);
    expect(seen[0]?.form.has('From')).toBe(false);
  });

  it('20003 is an AuthError that fails over, without the token in its message', async () => {
    answer(twilioError(401, 20003), { status: 401 });
    const e = await rejectionOf(createTwilioProvider(config).send(message));
    expect(e).toBeInstanceOf(SmsProviderAuthError);
    expect(e).toBeInstanceOf(AuthError);
    expect(e.message).not.toContain(TOKEN);
  });

  it('20005 (account not active) is a funds refusal, though it comes as a 401', async () => {
    answer(twilioError(401, 20005), { status: 401 });
    const e = await rejectionOf(createTwilioProvider(config).send(message));
    expect(e).toBeInstanceOf(SmsProviderRefusedError);
    expect(e).toMatchObject({ reason: 'funds' });
  });

  it.each([20404, 21408, 21606, 21608, 21701])(
    '%i is our Twilio account’s setting: fail over',
    async (code) => {
      answer(twilioError(400, code), { status: 400 });
      const e = await rejectionOf(createTwilioProvider(config).send(message));
      expect(e).toBeInstanceOf(SmsProviderRefusedError);
      expect(e).toMatchObject({ reason: 'config' });
    },
  );

  it('429/20429 is a RateLimitedError honouring Retry-After', async () => {
    answer(twilioError(429, 20429), { status: 429, headers: { 'retry-after': '7' } });
    const e = await rejectionOf(createTwilioProvider(config).send(message));
    expect(e).toBeInstanceOf(RateLimitedError);
    expect(e).toMatchObject({ reason: 'rate_limited', retryAfterMs: 7_000 });
    expect(isProviderFailure(e)).toBe(true);
  });

  it('429 without Retry-After waits a few seconds', async () => {
    answer(twilioError(429, 20429), { status: 429 });
    const e = await rejectionOf(createTwilioProvider(config).send(message));
    expect(e).toMatchObject({ retryAfterMs: 5_000 });
  });

  it('a 503 is down: not sent, fail over', async () => {
    answer(twilioError(503, 20503), { status: 503 });
    const e = await rejectionOf(createTwilioProvider({ ...config, downRetryMs: 2_000 }).send(message));
    expect(e).toBeInstanceOf(SmsProviderUnavailableError);
    expect(e).toMatchObject({ reason: 'down', retryAfterMs: 2_000 });
  });

  it.each([
    [21211, /bad number/],
    [21612, /bad number/],
    [21614, /bad number/],
    [21635, /bad number/],
    [21610, /unsubscribed/],
    [21617, /request refused/],
    [21604, /request refused/],
  ])('%i is the message’s fault: PermanentError, no failover', async (code, text) => {
    answer(twilioError(400, code), { status: 400 });
    const e = await rejectionOf(createTwilioProvider(config).send(message));
    expect(e).toBeInstanceOf(PermanentError);
    expect(isProviderFailure(e)).toBe(false);
    expect(e.message).toMatch(text);
  });

  it.each([
    ['a 500 with Twilio’s error JSON', () => answer(twilioError(500, 20500), { status: 500 })],
    ['a 502 page', () => answer('<html>Bad Gateway</html>', { status: 502 })],
    ['a 201 that is not a message', () => answer('created', { status: 201 })],
  ])('%s is ambiguous: the message may be queued', async (_name, arrange) => {
    arrange();
    const e = await rejectionOf(createTwilioProvider(config).send(message));
    expect(e).toBeInstanceOf(TransientError);
    expect(isProviderFailure(e)).toBe(false);
  });

  it('a 404 page (a wrong base URL) is a configuration refusal', async () => {
    answer('Not Found', { status: 404 });
    const e = await rejectionOf(createTwilioProvider(config).send(message));
    expect(e).toBeInstanceOf(SmsProviderRefusedError);
  });

  it('a network error is ambiguous', async () => {
    server.use(http.post(URL, () => HttpResponse.error()));
    const e = await rejectionOf(createTwilioProvider(config).send(message));
    expect(e).toBeInstanceOf(TransientError);
  });

  it('validates its settings: the SID shape, and a sender of some kind', () => {
    expect(() => createTwilioProvider({ ...config, accountSid: 'nope' })).toThrow(/accountSid/);
    expect(() => createTwilioProvider({ accountSid: SID, authToken: TOKEN })).toThrow(/from/);
  });
});
