import {
  AuthError,
  PermanentError,
  RateLimitedError,
  type SmsMessage,
  type SmsReceipt,
  TransientError,
} from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { SmsProviderAuthError, SmsProviderRefusedError, SmsProviderUnavailableError } from '../src/errors.js';
import { createSmsPort } from '../src/failover.js';
import type { SmsProvider } from '../src/provider.js';
import { rejectionOf } from './support/msw.js';

const message: SmsMessage = { key: 'lead:1:sms:night', phone: '+79161234567', text: 'Заказ принят' };

/** A provider that answers with `outcome` and records that it was asked. */
function provider(name: string, outcome: Error | 'sent') {
  const calls: SmsMessage[] = [];
  const value: SmsProvider = {
    name,
    async send(m): Promise<SmsReceipt> {
      calls.push(m);
      if (outcome === 'sent') return { provider: name, messageId: `${name}-1`, segments: 1 };
      throw outcome;
    },
  };
  return Object.assign(value, { calls });
}

const auth = (name: string) => new SmsProviderAuthError(name, `${name}: credentials refused`);
const funds = (name: string) => new SmsProviderRefusedError(name, 'funds', `${name}: out of funds`);
const down = (name: string, ms: number) => new SmsProviderUnavailableError(name, 'down', `${name}: down`, ms);

describe('createSmsPort (failover chain)', () => {
  it('uses the first provider when it sends, and asks no other', async () => {
    const a = provider('a', 'sent');
    const b = provider('b', 'sent');
    expect(await createSmsPort({ providers: [a, b] }).send(message)).toEqual({
      provider: 'a',
      messageId: 'a-1',
      segments: 1,
    });
    expect(b.calls).toHaveLength(0);
  });

  it.each([
    ['refused credentials', auth('a')],
    ['no funds', funds('a')],
    ['an outage it answered for', down('a', 60_000)],
    ['an account-wide limit', new SmsProviderUnavailableError('a', 'rate_limited', 'a: limit', 1_000)],
  ])('moves on after %s, and says so', async (_name, failure) => {
    const a = provider('a', failure);
    const b = provider('b', 'sent');
    const failovers: string[] = [];
    const port = createSmsPort({ providers: [a, b], onFailover: (name) => failovers.push(name) });
    expect((await port.send(message)).provider).toBe('b');
    expect(b.calls).toEqual([message]);
    expect(failovers).toEqual(['a']);
  });

  it('walks the whole chain while providers fail as providers', async () => {
    const c = provider('c', 'sent');
    const port = createSmsPort({ providers: [provider('a', funds('a')), provider('b', down('b', 5)), c] });
    expect((await port.send(message)).provider).toBe('c');
  });

  it.each([
    ['a bad number', new PermanentError('a: bad number'), PermanentError],
    [
      'an ambiguous timeout',
      new TransientError('a: no answer in time; the SMS may have been sent'),
      TransientError,
    ],
    [
      'a plain SDK rate limit (not a provider failure)',
      new RateLimitedError('a: slow down', 1_000),
      RateLimitedError,
    ],
    ['a bug in a client (a TypeError)', new TypeError('x is undefined'), TransientError],
  ])('stops at %s: no second provider is asked', async (_name, failure, type) => {
    const b = provider('b', 'sent');
    const error = await rejectionOf(createSmsPort({ providers: [provider('a', failure), b] }).send(message));
    expect(error).toBeInstanceOf(type);
    expect(b.calls).toHaveLength(0);
  });

  it('when every provider is down or limited, waits for the earliest (nothing was sent)', async () => {
    const port = createSmsPort({
      providers: [
        provider('a', down('a', 60_000)),
        provider('b', auth('b')),
        provider('c', down('c', 5_000)),
      ],
    });
    const error = await rejectionOf(port.send(message));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(5_000);
    expect(error.message).toMatch(/every SMS provider failed: a: down; b: credentials refused; c: down/);
    expect(error.cause).toBeInstanceOf(AggregateError);
    expect((error.cause as AggregateError).errors).toHaveLength(3);
  });

  it('when every provider refused our credentials, it is an AuthError', async () => {
    const error = await rejectionOf(
      createSmsPort({ providers: [provider('a', auth('a')), provider('b', auth('b'))] }).send(message),
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(error).not.toBeInstanceOf(SmsProviderAuthError);
  });

  it('when the accounts need fixing (funds, credentials), it is a PermanentError', async () => {
    const error = await rejectionOf(
      createSmsPort({ providers: [provider('a', funds('a')), provider('b', auth('b'))] }).send(message),
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).not.toBeInstanceOf(SmsProviderRefusedError);
  });

  it('skips a provider that said "not now" until its wait is over', async () => {
    const clock = { now: 0 };
    let aDown = true;
    const aCalls: number[] = [];
    const a: SmsProvider = {
      name: 'a',
      async send() {
        aCalls.push(clock.now);
        if (aDown) throw down('a', 60_000);
        return { provider: 'a', messageId: 'a-1', segments: 1 };
      },
    };
    const b = provider('b', 'sent');
    const port = createSmsPort({ providers: [a, b], now: () => clock.now });
    expect((await port.send(message)).provider).toBe('b');
    clock.now = 30_000;
    expect((await port.send(message)).provider).toBe('b');
    expect(aCalls).toEqual([0]);
    aDown = false;
    clock.now = 60_000;
    expect((await port.send(message)).provider).toBe('a');
    expect(aCalls).toEqual([0, 60_000]);
  });

  it('when every provider is being skipped, asks none and waits for the first to reopen', async () => {
    const clock = { now: 0 };
    const a = provider('a', down('a', 60_000));
    const b = provider('b', new SmsProviderUnavailableError('b', 'rate_limited', 'b: limit', 20_000));
    const port = createSmsPort({ providers: [a, b], now: () => clock.now });
    expect(await rejectionOf(port.send(message))).toBeInstanceOf(RateLimitedError);
    clock.now = 5_000;
    const error = await rejectionOf(port.send(message));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(15_000);
    expect(error.message).toMatch(/unavailable for now \(a, b\)/);
    expect([a.calls.length, b.calls.length]).toEqual([1, 1]);
  });

  it('does not skip a provider that refused credentials or funds (someone may fix it any minute)', async () => {
    const a = provider('a', funds('a'));
    const port = createSmsPort({ providers: [a, provider('b', 'sent')] });
    await port.send(message);
    await port.send(message);
    expect(a.calls).toHaveLength(2);
  });

  // Before: "SMS.ru settings are invalid: apiId: …; baseUrl: …", every field on one line.
  it('throws one line per bad field, each naming the package, the gateway and the field', () => {
    expect(() =>
      createSmsPort({ providers: [{ kind: 'smsru', config: { apiId: '', baseUrl: 'ftp://sms.ru' } }] }),
    ).toThrow(
      [
        '@prozvon/adapters-sms (SMS.ru): apiId: Too small: expected string to have >=1 characters',
        '@prozvon/adapters-sms (SMS.ru): baseUrl: Invalid URL',
      ].join('\n'),
    );
    expect(() => createSmsPort({ providers: [{ kind: 'nexmo' } as never] })).toThrow(
      '@prozvon/adapters-sms: kind: expected one of smsru, smsc, twilio',
    );
  });

  it('needs at least one provider', () => {
    expect(() => createSmsPort({ providers: [] })).toThrow(/at least one provider/);
  });

  it('builds providers from stored settings, validating them', () => {
    expect(() => createSmsPort({ providers: [{ kind: 'smsru', config: { apiId: '' } }] })).toThrow(
      /^@prozvon\/adapters-sms \(SMS.ru\): apiId: /,
    );
    expect(() =>
      createSmsPort({
        providers: [
          { kind: 'smsc', config: { credentials: { apiKey: 'k' } } },
          {
            kind: 'twilio',
            config: { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 't', from: '+1' },
          },
        ],
      }),
    ).not.toThrow();
  });

  it('stops at the deadline: a provider failure found after it hands nothing to the next provider', async () => {
    const deadline = new AbortController();
    const a: SmsProvider = {
      name: 'a',
      async send(_m, options) {
        expect(options?.signal).toBe(deadline.signal);
        deadline.abort();
        throw down('a', 60_000);
      },
    };
    const b = provider('b', 'sent');
    const error = await rejectionOf(
      createSmsPort({ providers: [a, b] }).send(message, { signal: deadline.signal }),
    );
    // Nothing was sent (a failed as a provider, b was never asked): safe to try again later.
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.message).toMatch(/deadline passed before b was tried; nothing was sent/);
    expect(b.calls).toEqual([]);
  });
});
