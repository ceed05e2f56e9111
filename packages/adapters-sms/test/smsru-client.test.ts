import { AuthError, PermanentError, RateLimitedError, TransientError } from '@prozvon/sdk';
import { delay, HttpResponse, http, type JsonBodyType } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  isProviderFailure,
  SmsProviderAuthError,
  SmsProviderRefusedError,
  SmsProviderUnavailableError,
} from '../src/errors.js';
import { createSmsRuProvider } from '../src/smsru/client.js';
import { rejectionOf, type Seen, see, useMsw } from './support/msw.js';

const URL = 'https://sms.ru/sms/send';
const API_ID = 'secret-api-id-do-not-leak';
const message = { key: 'lead:1:sms:night', phone: '+79161234567', text: 'Заказ принят' };
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

const requestError = (code: number) => ({ status: 'ERROR', status_code: code, status_text: `текст ${code}` });
const perNumber = (code: number) => ({
  status: 'OK',
  status_code: 100,
  sms: { '79161234567': { status: 'ERROR', status_code: code, status_text: `текст ${code}` } },
  balance: 10,
});

describe('SMS.ru client', () => {
  it('posts the documented form and returns the sms_id with the computed segments', async () => {
    const seen = answer({
      status: 'OK',
      status_code: 100,
      sms: { '79161234567': { status: 'OK', status_code: 100, sms_id: '000000-10000001' } },
      balance: 4122.56,
    });
    const sms = createSmsRuProvider({ apiId: API_ID, sender: 'Prozvon' });
    const receipt = await sms.send({ ...message, text: 'я'.repeat(71) });
    expect(receipt).toEqual({ provider: 'smsru', messageId: '000000-10000001', segments: 2 });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      api_id: API_ID,
      to: '79161234567',
      msg: 'я'.repeat(71),
      json: '1',
      from: 'Prozvon',
    });
  });

  it('asks for a test send when configured, and omits an unset sender', async () => {
    const seen = answer({
      status: 'OK',
      status_code: 100,
      sms: { '79161234567': { status: 'OK', status_code: 100, sms_id: 'x-1' } },
    });
    await createSmsRuProvider({ apiId: API_ID, test: true }).send(message);
    expect(seen[0]?.form.get('test')).toBe('1');
    expect(seen[0]?.form.has('from')).toBe(false);
  });

  it('appends its path to a base URL with a prefix (a proxy in front of SMS.ru)', async () => {
    const seen: string[] = [];
    server.use(
      http.post('https://proxy.example/smsru/sms/send', ({ request }) => {
        seen.push(request.url);
        return HttpResponse.json({
          status: 'OK',
          status_code: 100,
          sms: { '79161234567': { status: 'OK', status_code: 100, sms_id: 'p-1' } },
        });
      }),
    );
    await createSmsRuProvider({ apiId: API_ID, baseUrl: 'https://proxy.example/smsru/' }).send(message);
    expect(seen).toEqual(['https://proxy.example/smsru/sms/send']);
  });

  it.each([
    [200, SmsProviderAuthError],
    [300, SmsProviderAuthError],
    [301, SmsProviderAuthError],
  ])('request-level %i is an AuthError that fails over', async (code, type) => {
    answer(requestError(code));
    const error = await rejectionOf(createSmsRuProvider({ apiId: API_ID }).send(message));
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(AuthError);
    expect(isProviderFailure(error)).toBe(true);
    expect(error.message).toContain(String(code));
    expect(error.message).not.toContain(API_ID);
  });

  it.each([
    [201, 'funds'],
    [204, 'config'],
    [302, 'config'],
  ])('request-level %i is an account refusal (%s) that fails over', async (code, reason) => {
    answer(requestError(code));
    const error = await rejectionOf(createSmsRuProvider({ apiId: API_ID }).send(message));
    expect(error).toBeInstanceOf(SmsProviderRefusedError);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as SmsProviderRefusedError).reason).toBe(reason);
    expect(isProviderFailure(error)).toBe(true);
  });

  it.each([
    [220, 'down'],
    [500, 'down'],
  ])('request-level %i means not sent: retry later, fail over', async (code, reason) => {
    answer(requestError(code));
    const error = await rejectionOf(
      createSmsRuProvider({ apiId: API_ID, downRetryMs: 30_000 }).send(message),
    );
    expect(error).toBeInstanceOf(SmsProviderUnavailableError);
    expect(error).toMatchObject({ reason, retryAfterMs: 30_000 });
  });

  it('206 (daily limit) waits until midnight in Moscow', async () => {
    answer(requestError(206));
    // 2026-11-25 20:00 UTC is 23:00 in Moscow: one hour to go.
    const now = () => Date.UTC(2026, 10, 25, 20, 0, 0);
    const error = await rejectionOf(createSmsRuProvider({ apiId: API_ID }, now).send(message));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ reason: 'rate_limited', retryAfterMs: 3_600_000 });
  });

  it.each([
    [202, /bad number/],
    [207, /bad number/],
    [150, /bad number/],
    [209, /stop list/],
    [230, /per-number limit/],
    [231, /already went/],
    [232, /already went/],
  ])('per-number %i is the message’s fault: PermanentError, no failover', async (code, text) => {
    answer(perNumber(code));
    const error = await rejectionOf(createSmsRuProvider({ apiId: API_ID }).send(message));
    expect(error).toBeInstanceOf(PermanentError);
    expect(isProviderFailure(error)).toBe(false);
    expect(error.message).toMatch(text);
  });

  it.each([203, 205, 210, 212, 213])(
    'request-level %i is our bug: PermanentError, no failover',
    async (code) => {
      answer(requestError(code));
      const error = await rejectionOf(createSmsRuProvider({ apiId: API_ID }).send(message));
      expect(error).toBeInstanceOf(PermanentError);
      expect(isProviderFailure(error)).toBe(false);
    },
  );

  it('a 503 page from the web server means not sent: fail over', async () => {
    answer('<html>503 Service Temporarily Unavailable</html>', { status: 503 });
    const error = await rejectionOf(createSmsRuProvider({ apiId: API_ID }).send(message));
    expect(error).toBeInstanceOf(SmsProviderUnavailableError);
    expect(error).toMatchObject({ reason: 'down' });
  });

  it.each([
    ['a 502 from a proxy', () => answer('Bad Gateway', { status: 502 })],
    ['a 200 that is not JSON', () => answer('100\n000000-1\nbalance=1', { status: 200 })],
    ['JSON without the number', () => answer({ status: 'OK', status_code: 100, sms: {} })],
    [
      'the number accepted without an sms_id',
      () =>
        answer({
          status: 'OK',
          status_code: 100,
          sms: { '79161234567': { status: 'OK', status_code: 100 } },
        }),
    ],
  ])('%s is ambiguous: TransientError, no failover', async (_name, arrange) => {
    arrange();
    const error = await rejectionOf(createSmsRuProvider({ apiId: API_ID }).send(message));
    expect(error).toBeInstanceOf(TransientError);
    expect(isProviderFailure(error)).toBe(false);
    expect(error.message).toMatch(/may have been sent/);
  });

  it('a dropped connection is ambiguous', async () => {
    server.use(http.post(URL, () => HttpResponse.error()));
    const error = await rejectionOf(createSmsRuProvider({ apiId: API_ID }).send(message));
    expect(error).toBeInstanceOf(TransientError);
    expect(isProviderFailure(error)).toBe(false);
  });

  it('no answer within the timeout is ambiguous and not retried', async () => {
    let requests = 0;
    server.use(
      http.post(URL, async () => {
        requests += 1;
        await delay(2_000);
        return HttpResponse.json({ status: 'OK', status_code: 100, sms: {} });
      }),
    );
    const error = await rejectionOf(createSmsRuProvider({ apiId: API_ID, timeoutMs: 50 }).send(message));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/no answer in time/);
    expect(requests).toBe(1);
  });

  it('refuses bad settings naming the field, never echoing its value', () => {
    expect(() => createSmsRuProvider({ apiId: '' })).toThrow(/apiId/);
    expect(() => createSmsRuProvider({ apiId: API_ID, baseUrl: 'not a url' })).toThrow(/baseUrl/);
    expect(() => createSmsRuProvider({ apiId: API_ID, baseUrl: 'ftp://sms.ru' })).toThrow(/baseUrl/);
    const secret = 'x'.repeat(12);
    const error = (() => {
      try {
        createSmsRuProvider({ apiId: API_ID, sender: secret });
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error('expected the settings to be refused');
    })();
    expect(error.message).toMatch(/sender/);
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain(API_ID);
  });
});
