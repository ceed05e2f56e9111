import { setTimeout as sleep } from 'node:timers/promises';
import { PermanentError, RateLimitedError, TransientError } from '@prozvon/sdk';
import { type SmsSim, startSmsSim } from '@prozvon/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSmsPort } from '../../src/failover.js';
import type { SmsRuConfig } from '../../src/smsru/client.js';
import { rejectionOf } from '../support/msw.js';
import { simSettings } from './sim-gateways.js';

// The failover chain against the SMS simulator: providers configured as stored settings, failures
// made the way the real gateways make them (an empty balance, a wrong key, an outage, a refused
// connection, a slow answer).

let sim: SmsSim;
beforeEach(async () => {
  sim = await startSmsSim();
});
afterEach(() => sim.close());

const message = { key: 'lead:9:sms:answered', phone: '+79161234567', text: 'Спасибо! Ваш заказ принят.' };

/** The three gateways as stored settings, SMS.ru first; `smsru` changes its settings. */
function settings(smsru: Partial<SmsRuConfig> = {}) {
  return simSettings(sim.url, { smsru });
}

describe('failover chain against the simulator', () => {
  it('sends through the first provider when it works', async () => {
    const receipt = await createSmsPort({ providers: settings() }).send(message);
    expect(receipt.provider).toBe('smsru');
    expect(sim.state.sent().map((m) => m.gateway)).toEqual(['smsru']);
  });

  it('an empty SMS.ru balance hands the text to SMSC', async () => {
    sim.config.smsru.balance = 0;
    const failed: string[] = [];
    const port = createSmsPort({ providers: settings(), onFailover: (name) => failed.push(name) });
    const receipt = await port.send(message);
    expect(receipt).toMatchObject({ provider: 'smsc', segments: 1 });
    expect(failed).toEqual(['smsru']);
    expect(sim.state.sent().map((m) => m.gateway)).toEqual(['smsc']);
  });

  it('a revoked SMS.ru key hands the text to SMSC', async () => {
    const receipt = await createSmsPort({ providers: settings({ apiId: 'revoked' }) }).send(message);
    expect(receipt.provider).toBe('smsc');
  });

  it('an SMS.ru that refuses connections hands the text to SMSC', async () => {
    const gone = await startSmsSim();
    const goneUrl = gone.url;
    await gone.close();
    const receipt = await createSmsPort({ providers: settings({ baseUrl: goneUrl }) }).send(message);
    expect(receipt.provider).toBe('smsc');
    expect(sim.state.sent()).toHaveLength(1);
  });

  it('SMS.ru and SMSC both down (503): Twilio sends it', async () => {
    sim.faults.failNext(2);
    const receipt = await createSmsPort({ providers: settings() }).send(message);
    expect(receipt.provider).toBe('twilio');
    expect(sim.state.sent().map((m) => m.gateway)).toEqual(['twilio']);
  });

  it('all three down: nothing sent, a RateLimitedError so the engine tries again later', async () => {
    sim.faults.failNext(3);
    const error = await rejectionOf(createSmsPort({ providers: settings() }).send(message));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(60_000);
    expect(sim.state.sent()).toHaveLength(0);
  });

  it('a bad number is not retried elsewhere', async () => {
    sim.behave(message.phone, 'bad_number');
    const error = await rejectionOf(createSmsPort({ providers: settings() }).send(message));
    expect(error).toBeInstanceOf(PermanentError);
    // Only SMS.ru was asked: it recorded the failed recipient; SMSC and Twilio saw nothing.
    expect(sim.state.messages.map((m) => m.gateway)).toEqual(['smsru']);
  });

  it('a dropped connection is ambiguous: no second provider, no second SMS', async () => {
    sim.faults.failNext(1, 'reset');
    const error = await rejectionOf(createSmsPort({ providers: settings() }).send(message));
    expect(error).toBeInstanceOf(TransientError);
    expect(sim.state.messages).toHaveLength(0);
  });

  it('a slow SMS.ru is ambiguous: SMSC (which would answer in time) is never asked', async () => {
    sim.faults.latency(200);
    const error = await rejectionOf(createSmsPort({ providers: settings({ timeoutMs: 50 }) }).send(message));
    expect(error).toBeInstanceOf(TransientError);
    // Had the chain moved on, SMSC's 15 s timeout would have let it send within the latency.
    await sleep(400);
    expect(sim.state.messages.filter((m) => m.gateway !== 'smsru')).toHaveLength(0);
  });
});
