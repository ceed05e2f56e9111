import { AuthError, PermanentError, TransientError } from '@prozvon/sdk';
import {
  SMSC_TEST_LOGIN,
  SMSC_TEST_PASSWORD,
  SMSRU_TEST_SENDER,
  type SmsSim,
  startSmsSim,
} from '@prozvon/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SmsProviderRefusedError, SmsProviderUnavailableError } from '../../src/errors.js';
import type { SmsProvider } from '../../src/provider.js';
import { rejectionOf } from '../support/msw.js';
import { GATEWAYS, type Gateway, simClients } from './sim-gateways.js';

// Each client against the testkit's SMS gateway simulator on loopback: the real wire, the
// gateways' own validation (charsets, formats, credentials) and their per-number behaviours.

let sim: SmsSim;
beforeEach(async () => {
  sim = await startSmsSim();
});
afterEach(() => sim.close());

const phone = '+79161234567';
const text = 'Здравствуйте! Ваш заказ принят, мы перезвоним в рабочее время. Спасибо, что выбрали нас!';

/** Each gateway's client with a sender, and SMSC with a login and password instead of a key. */
const clients = () =>
  simClients(sim.url, {
    smsru: { sender: SMSRU_TEST_SENDER },
    smsc: {
      credentials: { login: SMSC_TEST_LOGIN, password: SMSC_TEST_PASSWORD },
      sender: SMSRU_TEST_SENDER,
    },
  });

describe.each(GATEWAYS)('%s against the simulator', (name) => {
  const client = () => clients()[name];

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

/** The gateway's client with the simulator's plain test settings and a timeout of `timeoutMs`. */
function withTimeout(name: Gateway, baseUrl: string, timeoutMs: number): SmsProvider {
  const timeout = { timeoutMs };
  return simClients(baseUrl, { smsru: timeout, smsc: timeout, twilio: timeout })[name];
}

describe('gateway specifics against the simulator', () => {
  it('SMS.ru: wrong api_id is an AuthError', async () => {
    const sms = simClients(sim.url, { smsru: { apiId: 'wrong' } }).smsru;
    expect(await rejectionOf(sms.send({ key: 'k', phone, text }))).toBeInstanceOf(AuthError);
  });

  it('SMS.ru: a sender it never approved is an account refusal', async () => {
    const sms = simClients(sim.url, { smsru: { sender: 'Other' } }).smsru;
    const error = await rejectionOf(sms.send({ key: 'k', phone, text }));
    expect(error).toMatchObject({ reason: 'config' });
  });

  it('SMS.ru: the same text to the same number within a minute is refused as already sent', async () => {
    const sms = clients().smsru;
    await sms.send({ key: 'lead:1:sms:night', phone, text });
    const error = await rejectionOf(sms.send({ key: 'lead:2:sms:night', phone, text }));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/already went/);
    expect(sim.state.sent(phone)).toHaveLength(1);
  });

  it('SMSC: a repeated identical request within a minute is error 9, not a second SMS', async () => {
    const sms = clients().smsc;
    await sms.send({ key: 'lead:1:sms:night', phone, text });
    const error = await rejectionOf(sms.send({ key: 'lead:1:sms:night', phone, text }));
    expect(error.message).toMatch(/duplicate/);
    expect(sim.state.sent(phone)).toHaveLength(1);
  });

  it('SMSC: the message carries our id derived from the key, for a later status check', async () => {
    const receipt = await clients().smsc.send({ key: 'lead:1:sms:night', phone, text });
    expect(sim.state.sent(phone)[0]?.clientId).toBe(receipt.messageId);
  });

  it('Twilio: a wrong auth token is an AuthError', async () => {
    const sms = simClients(sim.url, { twilio: { authToken: 'wrong' } }).twilio;
    expect(await rejectionOf(sms.send({ key: 'k', phone, text }))).toBeInstanceOf(AuthError);
  });

  it('Twilio: a From number the account does not own is an account refusal', async () => {
    const sms = simClients(sim.url, { twilio: { from: '+15550000000' } }).twilio;
    expect(await rejectionOf(sms.send({ key: 'k', phone, text }))).toMatchObject({ reason: 'config' });
  });
});
