import {
  type CallOutcome,
  LeadEngine,
  type SmsPort,
  type StartCallRequest,
  StaticTenants,
  silentLogger,
  tenantConfigSchema,
} from '@prozvon/sdk';
import {
  MemoryLeadStore,
  RecordingCrm,
  RecordingNotifier,
  RecordingVoice,
  SimulatedClock,
} from '@prozvon/sdk/testing';
import { SMSC_TEST_APIKEY, SMSRU_TEST_API_ID, type SmsSim, startSmsSim } from '@prozvon/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmsPort } from '../../src/failover.js';

// The SDK's engine with this package as its SmsPort, against the SMS simulator: the texts the lead
// machine sends reach a gateway, the receipt lands on the outbox row, and the engine's rules for a
// paid effect hold with real failures (a bad number is given up, "all providers down" waits).

/** Wednesday 25 November 2026, 11:00 in Moscow: inside the default working hours. */
const DAYTIME = Date.parse('2026-11-25T08:00:00Z');
const customer = { name: 'Анна', phone: '8 (916) 123-45-67' };

let sim: SmsSim;
let stop: () => Promise<void> = async () => {};
afterEach(async () => {
  await stop();
  await sim.close();
});

async function start(outcome: CallOutcome) {
  sim = await startSmsSim();
  const clock = new SimulatedClock(DAYTIME);
  const store = new MemoryLeadStore();
  const voice = new RecordingVoice();
  const sms: SmsPort = createSmsPort({
    providers: [
      { kind: 'smsru', config: { apiId: SMSRU_TEST_API_ID, baseUrl: sim.url } },
      { kind: 'smsc', config: { credentials: { apiKey: SMSC_TEST_APIKEY }, baseUrl: sim.url } },
    ],
    // The chain's skip windows run on the engine's clock.
    now: () => clock.now(),
  });
  const ports = { crm: new RecordingCrm(), voice, sms, notifier: new RecordingNotifier() };
  const tenants = new StaticTenants([{ id: 'default', config: tenantConfigSchema.parse({}), ports }]);
  const engine = new LeadEngine(store, tenants, clock, silentLogger(), { owner: 'test' });
  voice.onStart = (request: StartCallRequest) => {
    setImmediate(() => {
      void engine.deliver('default', request.leadId, {
        type: 'CALL_RESULT',
        at: clock.now(),
        attempt: request.attempt,
        report: { key: request.key, outcome, durationSec: 20 },
      });
    });
  };
  await engine.start();
  stop = async () => {
    await engine.stop();
    await store.close();
  };
  /**
   * The outbox row of the lead's SMS once it has been tried `attempts` times and is `status`
   * (the HTTP exchange with the simulator takes real time, the engine's clock does not move).
   */
  async function smsRow(leadId: string, status: 'done' | 'failed' | 'pending', attempts = 1) {
    const row = async () => (await store.getEffects(leadId)).find((e) => e.kind === 'sendSms');
    await expect
      .poll(
        async () => {
          const found = await row();
          return found?.status === status && found.attempts === attempts;
        },
        { timeout: 5_000 },
      )
      .toBe(true);
    return row();
  }
  return { engine, clock, store, smsRow };
}

describe('engine with the SMS adapter on the simulator', () => {
  it('answered: the confirmation reaches SMS.ru once, in Russian, and the receipt is on the outbox row', async () => {
    const { engine, smsRow } = await start('answered');
    const { leadId } = await engine.submitLead(customer);
    const row = await smsRow(leadId, 'done');
    expect(row?.result).toMatchObject({ provider: 'smsru', segments: 1 });
    const sent = sim.state.sent('+79161234567');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      gateway: 'smsru',
      text: 'Анна, спасибо! Ваш заказ в «Магазин» подтверждён.',
    });
    expect(row?.result).toMatchObject({ messageId: sent[0]?.id });
  });

  it('an empty SMS.ru account: the machine SMS goes through SMSC instead', async () => {
    const { engine, smsRow } = await start('machine');
    sim.config.smsru.balance = 0;
    const { leadId } = await engine.submitLead(customer);
    const row = await smsRow(leadId, 'done');
    expect(row?.result).toMatchObject({ provider: 'smsc' });
    expect(sim.state.sent().map((m) => m.gateway)).toEqual(['smsc']);
  });

  it('a number the network does not know: the SMS is given up, never re-sent, and the lead still finishes', async () => {
    const { engine, smsRow, store } = await start('answered');
    sim.behave('+79161234567', 'bad_number');
    const { leadId } = await engine.submitLead(customer);
    const row = await smsRow(leadId, 'failed');
    expect(row?.result).toMatchObject({ error: 'permanent' });
    expect(sim.state.messages.map((m) => m.gateway)).toEqual(['smsru']);
    expect(await store.getLead(leadId)).toMatchObject({ callState: 'call.answered', finished: true });
  });

  it('every gateway down: nothing sent, the SMS waits a minute and then goes out once', async () => {
    const { engine, clock, smsRow } = await start('answered');
    sim.faults.outage(true, { status: 503, body: 'down' });
    const { leadId } = await engine.submitLead(customer);
    const waiting = await smsRow(leadId, 'pending');
    expect(waiting?.availableAt).toBe(DAYTIME + 60_000);
    expect(sim.state.sent()).toHaveLength(0);
    sim.faults.outage(false);
    await clock.advance(60_000);
    const row = await smsRow(leadId, 'done', 2);
    expect(row?.result).toMatchObject({ provider: 'smsru' });
    expect(sim.state.sent()).toHaveLength(1);
  });
});
