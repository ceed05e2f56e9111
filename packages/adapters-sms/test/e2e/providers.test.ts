import { AuthError, PermanentError, TransientError } from '@prozvon/sdk';
import {
  SMSC_TEST_APIKEY,
  SMSC_TEST_LOGIN,
  SMSC_TEST_PASSWORD,
  SMSRU_TEST_API_ID,
  SMSRU_TEST_SENDER,
  type SmsSim,
  startSmsSim,
  TWILIO_TEST_ACCOUNT_SID,
  TWILIO_TEST_AUTH_TOKEN,
  TWILIO_TEST_FROM,
} from '@prozvon/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SmsProviderRefusedError, SmsProviderUnavailableError } from '../../src/errors.js';
import type { SmsProvider } from '../../src/provider.js';
import { createSmscProvider } from '../../src/smsc/client.js';
import { createSmsRuProvider } from '../../src/smsru/client.js';
import { createTwilioProvider } from '../../src/twilio/client.js';
import { rejectionOf } from '../support/msw.js';

// Each client against the testkit's SMS gateway simulator on loopback: the real wire, the
// gateways' own validation (charsets, formats, credentials) and their per-number behaviours.

let sim: SmsSim;
beforeEach(async () => {
  sim = await startSmsSim();
});
afterEach(() => sim.close());

const phone = '+79161234567';
const text = 'Здравствуйте! Ваш заказ принят, мы перезвоним в рабочее время. Спасибо, что выбрали нас!';

const clients: Record<string, () => SmsProvider> = {
  smsru: () => createSmsRuProvider({ apiId: SMSRU_TEST_API_ID, sender: SMSRU_TEST_SENDER, baseUrl: sim.url }),
  smsc: () =>
    createSmscProvider({
      credentials: { login: SMSC_TEST_LOGIN, password: SMSC_TEST_PASSWORD },
      sender: SMSRU_TEST_SENDER,
      baseUrl: sim.url,
    }),
  twilio: () =>
    createTwilioProvider({
      accountSid: TWILIO_TEST_ACCOUNT_SID,
      authToken: TWILIO_TEST_AUTH_TOKEN,
      from: TWILIO_TEST_FROM,
      baseUrl: sim.url,
    }),
};

describe.each(Object.keys(clients))('%s against the simulator', (name) => {
  const client = () => (clients[name] as () => SmsProvider)();

  it('sends a Cyrillic text intact, and the receipt matches what the gateway recorded', async () => {
    const receipt = await client().send({ key: 'lead:1:sms:night', phone, text });
    const [sent] = sim.state.sent(phone);
    expect(sim.state.sent(phone)).toHaveLength(1);
    expect(sent).toMatchObject({ gateway: name, text, id: receipt.messageId });
    expect(receipt).toEqual({ provider: name, messageId: sent?.id, segments: sent?.parts });
    expect(receipt.segments).toBe(2);
  });

  it('a number that does not exist is a PermanentError', async () => {
    sim.behave(phone, 'bad_number');
    const error = await rejectionOf(client().send({ key: 'lead:1:sms:night', phone, text }));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/bad number/);
    expect(sim.state.sent()).toHaveLength(0);
  });

  it('a number on the stop list (or unsubscribed) is a PermanentError', async () => {
    sim.behave(phone, 'blocked');
    const error = await rejectionOf(client().send({ key: 'lead:1:sms:night', phone, text }));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).not.toBeInstanceOf(SmsProviderRefusedError);
  });

  it('an outage the gateway answers for means not sent', async () => {
    sim.behave(phone, 'provider_down');
    const error = await rejectionOf(client().send({ key: 'lead:1:sms:night', phone, text }));
    expect(error).toBeInstanceOf(SmsProviderUnavailableError);
    expect(error).toMatchObject({ reason: 'down' });
  });

  it('a gateway limit is a RateLimitedError', async () => {
    sim.behave(phone, 'rate_limited');
    const error = await rejectionOf(client().send({ key: 'lead:1:sms:night', phone, text }));
    expect(error).toBeInstanceOf(SmsProviderUnavailableError);
    expect(error).toMatchObject({ reason: 'rate_limited' });
  });

  it('an empty account is refused as funds', async () => {
    sim.behave(phone, 'out_of_funds');
    const error = await rejectionOf(client().send({ key: 'lead:1:sms:night', phone, text }));
    expect(error).toBeInstanceOf(SmsProviderRefusedError);
    expect(error).toMatchObject({ reason: 'funds' });
  });

  it('a timeout after the request left is ambiguous: a TransientError saying it may have been sent', async () => {
    sim.faults.latency(300);
    const slowClient = withTimeout(name, sim.url, 50);
    const error = await rejectionOf(slowClient.send({ key: 'lead:1:sms:night', phone, text }));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/no answer in time; the SMS may have been sent/);
  });
});

function withTimeout(name: string, baseUrl: string, timeoutMs: number): SmsProvider {
  if (name === 'smsru') return createSmsRuProvider({ apiId: SMSRU_TEST_API_ID, baseUrl, timeoutMs });
  if (name === 'smsc')
    return createSmscProvider({ credentials: { apiKey: SMSC_TEST_APIKEY }, baseUrl, timeoutMs });
  return createTwilioProvider({
    accountSid: TWILIO_TEST_ACCOUNT_SID,
    authToken: TWILIO_TEST_AUTH_TOKEN,
    from: TWILIO_TEST_FROM,
    baseUrl,
    timeoutMs,
  });
}

describe('gateway specifics against the simulator', () => {
  it('SMS.ru: wrong api_id is an AuthError', async () => {
    const sms = createSmsRuProvider({ apiId: 'wrong', baseUrl: sim.url });
    expect(await rejectionOf(sms.send({ key: 'k', phone, text }))).toBeInstanceOf(AuthError);
  });

  it('SMS.ru: a sender it never approved is an account refusal', async () => {
    const sms = createSmsRuProvider({ apiId: SMSRU_TEST_API_ID, sender: 'Other', baseUrl: sim.url });
    const error = await rejectionOf(sms.send({ key: 'k', phone, text }));
    expect(error).toMatchObject({ reason: 'config' });
  });

  it('SMS.ru: the same text to the same number within a minute is refused as already sent', async () => {
    const sms = clients.smsru?.() as SmsProvider;
    await sms.send({ key: 'lead:1:sms:night', phone, text });
    const error = await rejectionOf(sms.send({ key: 'lead:2:sms:night', phone, text }));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/already went/);
    expect(sim.state.sent(phone)).toHaveLength(1);
  });

  it('SMSC: a repeated identical request within a minute is error 9, not a second SMS', async () => {
    const sms = clients.smsc?.() as SmsProvider;
    await sms.send({ key: 'lead:1:sms:night', phone, text });
    const error = await rejectionOf(sms.send({ key: 'lead:1:sms:night', phone, text }));
    expect(error.message).toMatch(/duplicate/);
    expect(sim.state.sent(phone)).toHaveLength(1);
  });

  it('SMSC: the message carries our id derived from the key, for a later status check', async () => {
    const receipt = await clients.smsc?.().send({ key: 'lead:1:sms:night', phone, text });
    expect(sim.state.sent(phone)[0]?.clientId).toBe(receipt?.messageId);
  });

  it('Twilio: a wrong auth token is an AuthError', async () => {
    const sms = createTwilioProvider({
      accountSid: TWILIO_TEST_ACCOUNT_SID,
      authToken: 'wrong',
      from: TWILIO_TEST_FROM,
      baseUrl: sim.url,
    });
    expect(await rejectionOf(sms.send({ key: 'k', phone, text }))).toBeInstanceOf(AuthError);
  });

  it('Twilio: a From number the account does not own is an account refusal', async () => {
    const sms = createTwilioProvider({
      accountSid: TWILIO_TEST_ACCOUNT_SID,
      authToken: TWILIO_TEST_AUTH_TOKEN,
      from: '+15550000000',
      baseUrl: sim.url,
    });
    expect(await rejectionOf(sms.send({ key: 'k', phone, text }))).toMatchObject({ reason: 'config' });
  });
});
