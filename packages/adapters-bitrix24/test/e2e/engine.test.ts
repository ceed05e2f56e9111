import {
  type CallReport,
  type CrmPort,
  LeadEngine,
  type StartCallRequest,
  StaticTenants,
  silentLogger,
  tenantConfigSchema,
} from '@prozvon/sdk';
import {
  MemoryLeadStore,
  RecordingNotifier,
  RecordingSms,
  RecordingVoice,
  SimulatedClock,
} from '@prozvon/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createBitrix24Crm } from '../../src/index.js';
import { installApp, recordings, startSim } from './helpers.js';

// The SDK's engine with this package as its CrmPort, against the Bitrix24 simulator: what the lead
// machine asks of the CRM reaches the portal, and its rules for CRM failures hold with real ones.

/** Wednesday 25 November 2026, 11:00 in Moscow: inside the default working hours. */
const DAYTIME = Date.parse('2026-11-25T08:00:00Z');
const customer = {
  name: 'Анна',
  phone: '8 (916) 123-45-67',
  partnerCode: 'p-42',
  site: 'shop.example',
  orderSum: 990,
};

let stop: () => Promise<void> = async () => {};
afterEach(async () => {
  await stop();
});

/** The engine on the simulator; each dial is answered with the next of `outcomes`. */
async function start(crm: CrmPort, outcomes: Partial<CallReport>[]) {
  const clock = new SimulatedClock(DAYTIME);
  const store = new MemoryLeadStore();
  const voice = new RecordingVoice();
  const notifier = new RecordingNotifier();
  const ports = { crm, voice, sms: new RecordingSms(), notifier };
  const tenants = new StaticTenants([{ id: 'default', config: tenantConfigSchema.parse({}), ports }]);
  const engine = new LeadEngine(store, tenants, clock, silentLogger(), { owner: 'test' });
  voice.onStart = (request: StartCallRequest) => {
    const report = outcomes[request.attempt - 1] ?? { outcome: 'answered' };
    setImmediate(() => {
      void engine.deliver('default', request.leadId, {
        type: 'CALL_RESULT',
        at: clock.now(),
        attempt: request.attempt,
        report: { key: request.key, outcome: 'answered', durationSec: 20, ...report },
      });
    });
  };
  await engine.start();
  stop = async () => {
    await engine.stop();
    await store.close();
  };
  const states = async (leadId: string) => {
    const lead = await store.getLead(leadId);
    return `${lead?.crmState} ${lead?.callState}`;
  };
  /** CRM calls take real time on loopback while the engine's clock stands still: poll. */
  const until = (leadId: string, expected: string) =>
    expect.poll(() => states(leadId), { timeout: 10_000 }).toBe(expected);
  /** The lead's CRM creation row once it has been tried `attempts` times and is `status`. */
  const creation = (leadId: string, status: string, attempts: number) =>
    expect
      .poll(
        async () => {
          const row = (await store.getEffects(leadId)).find((e) => e.kind === 'createCrmLead');
          return `${row?.status} ${row?.attempts}`;
        },
        { timeout: 10_000 },
      )
      .toBe(`${status} ${attempts}`);
  return { engine, clock, notifier, until, creation };
}

describe('engine with the Bitrix24 adapter on the simulator', () => {
  it('answered, OAuth: the partner is found, the lead created once with its card link, the call on the card', async () => {
    const sim = await startSim();
    const companyId = sim.portal().seedCompany({ TITLE: 'ООО Партнёр', UF_CRM_PROZVON_REF: 'p-42' });
    const { auth } = await installApp(sim);
    const { engine, notifier, until } = await start(createBitrix24Crm({ auth }), [
      { outcome: 'answered', durationSec: 35, recordingUrl: recordings.url('a.mp3') },
    ]);
    const { leadId } = await engine.submitLead(customer);
    await until(leadId, 'crm.created call.answered');
    await expect.poll(() => sim.state.activities().length, { timeout: 5_000 }).toBe(1);
    // The portal downloads the recording while the batch runs: the call is finished before it is attached.
    await expect.poll(() => sim.state.calls()[0]?.record !== undefined, { timeout: 5_000 }).toBe(true);
    const [lead] = sim.state.leads();
    expect(sim.state.leads()).toHaveLength(1);
    expect(lead).toMatchObject({ NAME: 'Анна', COMPANY_ID: String(companyId), OPPORTUNITY: '990.00' });
    expect(sim.state.calls()[0]).toMatchObject({
      crmEntityType: 'LEAD',
      crmEntityId: Number(lead?.ID),
      finished: { statusCode: '200', duration: 35 },
      record: { url: recordings.url('a.mp3') },
    });
    expect(notifier.notices.find((n) => n.kind === 'newLead')).toMatchObject({
      crmLeadId: lead?.ID,
      crmUrl: `${sim.url}/crm/lead/details/${lead?.ID}/`,
    });
  });

  it('no answer, then answered 30 minutes later: two call entries, the lead marked "no answer" in between', async () => {
    const sim = await startSim();
    const { auth } = await installApp(sim);
    const { engine, clock, until } = await start(createBitrix24Crm({ auth }), [
      { outcome: 'nodial', durationSec: 0, failureCode: 486 },
      { outcome: 'answered', durationSec: 12 },
    ]);
    const { leadId } = await engine.submitLead(customer);
    await until(leadId, 'crm.created call.nodial');
    await expect.poll(() => sim.state.comments().length, { timeout: 5_000 }).toBe(1);
    expect(sim.state.leads()[0]).toMatchObject({ STATUS_ID: 'IN_PROCESS' });
    await clock.advance(30 * 60_000);
    await until(leadId, 'crm.created call.answered');
    await expect.poll(() => sim.state.activities().length, { timeout: 5_000 }).toBe(2);
    expect(sim.state.calls().map((c) => c.finished?.statusCode)).toEqual(['486', '200']);
    expect(new Set(sim.state.calls().map((c) => c.callId)).size).toBe(2);
  });

  it('a deleted webhook: the lead goes to manual and the sellers are told, the call goes on', async () => {
    const sim = await startSim();
    const crm = createBitrix24Crm({ auth: { type: 'webhook', url: `${sim.url}/rest/1/deletedhook/` } });
    const { engine, notifier, until } = await start(crm, [{ outcome: 'answered' }]);
    const { leadId } = await engine.submitLead(customer);
    await until(leadId, 'crm.manual call.answered');
    expect(notifier.notices.map((n) => n.kind)).toContain('crmFailed');
    expect(sim.state.leads()).toHaveLength(0);
  });

  it('a 502 from the portal is retried by the engine, and the lead is still created once', async () => {
    const sim = await startSim();
    const crm = createBitrix24Crm({ auth: { type: 'webhook', url: sim.webhookUrl() } });
    const { engine, clock, until, creation } = await start(crm, [{ outcome: 'answered' }]);
    sim.faults.failNext(2);
    const { leadId } = await engine.submitLead({ ...customer, partnerCode: undefined });
    // Each 502 is a TransientError: the row waits for its back-off (1 s, then 2 s, ±20 %).
    await creation(leadId, 'pending', 1);
    expect(sim.state.leads()).toHaveLength(0);
    await clock.advance(1_500);
    await creation(leadId, 'pending', 2);
    await clock.advance(3_000);
    await creation(leadId, 'done', 3);
    await until(leadId, 'crm.created call.answered');
    expect(sim.state.leads()).toHaveLength(1);
  });
});
