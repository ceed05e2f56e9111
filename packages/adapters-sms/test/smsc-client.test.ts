import { AuthError, PermanentError, TransientError } from '@prozvon/sdk';
import { HttpResponse, http, type JsonBodyType } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  isProviderFailure,
  SmsProviderAuthError,
  SmsProviderRefusedError,
  SmsProviderUnavailableError,
} from '../src/errors.js';
import { createSmscProvider, smscMessageId } from '../src/smsc/client.js';
import { rejectionOf, type Seen, see, useMsw } from './support/msw.js';

const URL = 'https://smsc.ru/sys/send.php';
const PASSWORD = 'smsc-password-do-not-leak';
const credentials = { login: 'shop', password: PASSWORD };
const message = { key: 'lead:42:sms:answered', phone: '+79161234567', text: 'Спасибо за заказ!' };
const server = useMsw();

function answer(body: JsonBodyType, init?: { status?: number }) {
  const seen: Seen[] = [];
  server.use(
    http.post(URL, async ({ request }) => {
      seen.push(await see(request));
      return typeof body === 'string' ? new HttpResponse(body, init) : HttpResponse.json(body, init);
    }),
  );
  return seen;
}

const error = (code: number) => ({ error: `error ${code}`, error_code: code });

describe('SMSC client', () => {
  it('posts fmt=3, charset=utf-8 and our id derived from the key; the receipt counts what SMSC billed', async () => {
    const id = smscMessageId(message.key);
    const seen = answer({ id, cnt: 1 });
    const receipt = await createSmscProvider({ credentials, sender: 'Prozvon' }).send(message);
    expect(receipt).toEqual({ provider: 'smsc', messageId: id, segments: 1 });
    expect(Object.fromEntries(seen[0]?.form ?? [])).toEqual({
      login: 'shop',
      psw: PASSWORD,
      phones: '+79161234567',
      mes: 'Спасибо за заказ!',
      fmt: '3',
      charset: 'utf-8',
      id,
      sender: 'Prozvon',
    });
  });

  it('authenticates with an API key instead of login and password', async () => {
    const seen = answer({ id: 7, cnt: 2 });
    const receipt = await createSmscProvider({ credentials: { apiKey: 'k-123' } }).send(message);
    expect(receipt).toEqual({ provider: 'smsc', messageId: '7', segments: 2 });
    expect(seen[0]?.form.get('apikey')).toBe('k-123');
    expect(seen[0]?.form.has('login')).toBe(false);
    expect(seen[0]?.form.has('psw')).toBe(false);
  });

  it('falls back to the computed segments when SMSC reports none', async () => {
    answer({ id: 8, cnt: 0 });
    const receipt = await createSmscProvider({ credentials }).send({ ...message, text: 'я'.repeat(140) });
    expect(receipt.segments).toBe(3);
  });

  it('derives a stable id within SMSC’s alphabet and 40 characters', () => {
    const id = smscMessageId('lead:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b:sms:night');
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(smscMessageId('lead:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b:sms:night')).toBe(id);
    expect(smscMessageId('lead:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b:sms:answered')).not.toBe(id);
  });

  it('error 2 is an AuthError that fails over, without the password in its message', async () => {
    answer(error(2));
    const e = await rejectionOf(createSmscProvider({ credentials }).send(message));
    expect(e).toBeInstanceOf(SmsProviderAuthError);
    expect(e).toBeInstanceOf(AuthError);
    expect(e.message).not.toContain(PASSWORD);
  });

  it.each([
    [3, 'funds'],
    [6, 'config'],
  ])('error %i is an account refusal (%s) that fails over', async (code, reason) => {
    answer(error(code));
    const e = await rejectionOf(createSmscProvider({ credentials }).send(message));
    expect(e).toBeInstanceOf(SmsProviderRefusedError);
    expect(e).toMatchObject({ reason });
  });

  it('error 4 (IP blocked) waits minutes and fails over', async () => {
    answer(error(4));
    const e = await rejectionOf(createSmscProvider({ credentials }).send(message));
    expect(e).toBeInstanceOf(SmsProviderUnavailableError);
    expect(e).toMatchObject({ reason: 'rate_limited', retryAfterMs: 300_000 });
  });

  it.each([
    [7, /bad number/],
    [8, /cannot be delivered/],
    [9, /duplicate/],
    [1, /request refused/],
    [5, /request refused/],
  ])('error %i is the message’s fault: PermanentError, no failover', async (code, text) => {
    answer(error(code));
    const e = await rejectionOf(createSmscProvider({ credentials }).send(message));
    expect(e).toBeInstanceOf(PermanentError);
    expect(isProviderFailure(e)).toBe(false);
    expect(e.message).toMatch(text);
  });

  it('a 503 from the web server means not sent', async () => {
    answer('503 Service Temporarily Unavailable', { status: 503 });
    const e = await rejectionOf(createSmscProvider({ credentials, downRetryMs: 1_000 }).send(message));
    expect(e).toBeInstanceOf(SmsProviderUnavailableError);
    expect(e).toMatchObject({ reason: 'down', retryAfterMs: 1_000 });
  });

  it.each([
    ['the text answer of fmt=0', () => answer('OK - 1 SMS, ID - 1')],
    ['a 504 from a proxy', () => answer('Gateway Timeout', { status: 504 })],
  ])('%s is ambiguous', async (_name, arrange) => {
    arrange();
    const e = await rejectionOf(createSmscProvider({ credentials }).send(message));
    expect(e).toBeInstanceOf(TransientError);
    expect(isProviderFailure(e)).toBe(false);
  });

  it('a network error is ambiguous', async () => {
    server.use(http.post(URL, () => HttpResponse.error()));
    const e = await rejectionOf(createSmscProvider({ credentials }).send(message));
    expect(e).toBeInstanceOf(TransientError);
  });

  it('needs either login and password or an API key', () => {
    expect(() => createSmscProvider({ credentials: { login: 'shop' } as never })).toThrow(/credentials/);
  });
});
