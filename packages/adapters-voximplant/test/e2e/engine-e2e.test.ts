import { LeadEngine, StaticTenants, silentLogger, tenantConfigSchema } from '@prozvon/sdk';
import {
  MemoryLeadStore,
  RecordingCrm,
  RecordingNotifier,
  RecordingSms,
  SimulatedClock,
  settle,
} from '@prozvon/sdk/testing';
import { startVoximplantSim, type VoximplantSim } from '@prozvon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoximplantVoice } from '../../src/index.js';
import { callEndState } from '../helpers/call-end.js';
import { scenarioSource } from '../helpers/scenario-source.js';
import { TEST_SECRET } from '../helpers/shop-server.js';
import { serveOnLoopback, type WebServer } from '../helpers/web-server.js';

// The SDK's engine with this adapter as its VoicePort and the adapter's own callback route feeding
// its `deliver`: the shape of the CALL_RESULT event is checked by the engine itself, not by us.
const DAYTIME = Date.parse('2026-11-25T08:00:00Z');

let sim: VoximplantSim;
let server: WebServer;
let engine: LeadEngine;
let clock: SimulatedClock;
const sms = new RecordingSms();
const notifier = new RecordingNotifier();
const store = new MemoryLeadStore();

beforeAll(async () => {
  clock = new SimulatedClock(DAYTIME);
  let voice: ReturnType<typeof createVoximplantVoice> | undefined;
  server = await serveOnLoopback({
    '/voice': (request) => {
      if (voice === undefined) throw new Error('a callback before the adapter was made');
      // The scenario's timestamps are real time; the engine runs on a simulated day.
      return voice.handleCallback(request, (leadId, event) =>
        engine.deliver('default', leadId, { ...event, at: clock.now() }),
      );
    },
  });
  sim = await startVoximplantSim({
    scenarioSource,
    timeScale: 0.003,
    phones: { '79160000001': 'answers', '79160000002': 'answering-machine', '79160000004': 'does-not-exist' },
  });
  voice = createVoximplantVoice({
    accountId: sim.accountId,
    keyId: sim.serviceKey.keyId,
    privateKey: sim.serviceKey.privateKey,
    ruleId: sim.ruleId,
    apiBase: sim.url,
    callbackUrl: `${server.url}/voice`,
    message: 'https://shop.example/order-accepted.mp3',
    maxCallSec: 600,
    secret: TEST_SECRET,
    // The lead store keeps the pending calls too, as in production.
    store,
  });
  const tenants = new StaticTenants([
    {
      id: 'default',
      config: tenantConfigSchema.parse({}),
      ports: { crm: new RecordingCrm(), voice, sms, notifier },
    },
  ]);
  engine = new LeadEngine(store, tenants, clock, silentLogger(), { owner: 'e2e' });
  await engine.start();
});

afterAll(async () => {
  await engine.stop();
  await sim.close();
  await server.close();
});

const finalCallState = (leadId: string) => callEndState(engine, leadId);

describe('the engine dialling through Voximplant (simulated) and hearing back', () => {
  it.each([
    ['8 (916) 000-00-01', 'call.answered', true],
    ['8 (916) 000-00-02', 'call.machine', true],
    ['8 (916) 000-00-04', 'call.invalid', false],
  ])('%s ends in %s', async (phone, state, texted) => {
    const before = sms.sent.length;
    const { leadId } = await engine.submitLead({ name: 'Анна', phone });
    expect(await finalCallState(leadId)).toBe(state);
    await settle();
    expect(sms.sent.length - before).toBe(texted ? 1 : 0);
    const dialled = sim.state.calls.at(-1);
    expect(dialled?.number).toBe(`7${phone.replace(/\D/g, '').slice(1)}`);
  });

  it('a busy line is retried after the interval and answered on the second attempt', async () => {
    const number = '79160000003';
    sim.phone(number, 'busy');
    const { leadId } = await engine.submitLead({ name: 'Пётр', phone: '8 (916) 000-00-03' });
    expect(await finalCallState(leadId)).toBe('call.nodial');
    sim.phone(number, 'answers');
    await clock.advance(31 * 60_000);
    expect(await finalCallState(leadId)).toBe('call.answered');
    const attempts = sim.state.calls.filter((c) => c.number === number);
    expect(attempts.map((c) => c.endReason)).toEqual(['486 Busy Here', '200 Normal call clearing']);
  });

  it('a result that never comes is reconciled from call history after the callback timeout', async () => {
    const number = '79160000005';
    sim.phone(number, 'never-calls-back');
    const { leadId } = await engine.submitLead({ name: 'Ольга', phone: '8 (916) 000-00-05' });
    for (let i = 0; i < 200 && !sim.state.calls.some((c) => c.number === number); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await sim.state.settled();
    await settle();
    expect((await engine.getLead('default', leadId))?.callState).toBe('call.awaitingResult');
    // Past the default five-minute callback timeout the engine asks call history (findCall).
    await clock.advance(6 * 60_000);
    expect(await finalCallState(leadId)).toBe('call.answered');
    expect(sim.state.apiRequests.map((r) => r.method)).toContain('GetCallHistory');
  });
});

// Issue 13, defect 12: an account with no money is not a customer who did not answer. The lead
// goes to the sellers at once with the platform's words: no second dial, no SMS.
describe('an empty balance, through Voximplant (simulated) and the engine', () => {
  const manualNotices = (leadId: string) =>
    notifier.notices.filter((n) => n.leadId === leadId && n.kind === 'manual');
  const dialsTo = (number: string) => sim.state.calls.filter((c) => c.number === number).length;

  const starts = () => sim.state.apiRequests.filter((r) => r.method === 'StartScenarios').length;

  /** Hours later (past every retry interval) nothing more was asked of Voximplant. */
  async function expectNoRetry(leadId: string, number: string, dials: number) {
    const before = starts();
    await clock.advance(3 * 60 * 60_000);
    await settle();
    expect((await engine.getLead('default', leadId))?.callState).toBe('call.manual');
    expect(starts()).toBe(before);
    expect(dialsTo(number)).toBe(dials);
  }

  it('a call failing 402 "Insufficient funds" ends in call.manual, the sellers told why', async () => {
    const number = '79160000006';
    sim.phone(number, 'insufficient-funds');
    const before = sms.sent.length;
    const { leadId } = await engine.submitLead({ name: 'Ирина', phone: '8 (916) 000-00-06' });
    expect(await finalCallState(leadId)).toBe('call.manual');
    await settle();
    expect(manualNotices(leadId)).toMatchObject([
      { reason: 'provider_refused', detail: 'Insufficient funds' },
    ]);
    expect(sms.sent.length).toBe(before);
    await expectNoRetry(leadId, number, 1);
  });

  it('the same when the result is lost and call history tells it', async () => {
    const number = '79160000007';
    sim.phone(number, { answer: 'no-funds', loseSession: true });
    const { leadId } = await engine.submitLead({ name: 'Олег', phone: '8 (916) 000-00-07' });
    for (let i = 0; i < 200 && dialsTo(number) === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await sim.state.settled();
    await settle();
    await clock.advance(6 * 60_000);
    expect(await finalCallState(leadId)).toBe('call.manual');
    expect(manualNotices(leadId)).toMatchObject([
      { reason: 'provider_refused', detail: 'Insufficient funds' },
    ]);
    await expectNoRetry(leadId, number, 1);
  });

  it('StartScenarios refused for want of money ends in call.manual with the API message, nothing dialled', async () => {
    const number = '79160000008';
    sim.setFunds('start-refused');
    try {
      const before = sms.sent.length;
      const { leadId } = await engine.submitLead({ name: 'Вера', phone: '8 (916) 000-00-08' });
      expect(await finalCallState(leadId)).toBe('call.manual');
      await settle();
      const [notice] = manualNotices(leadId);
      expect(notice).toMatchObject({ reason: 'dial_refused' });
      expect(notice && 'detail' in notice ? notice.detail : '').toContain('Insufficient funds');
      expect(sms.sent.length).toBe(before);
      await expectNoRetry(leadId, number, 0);
    } finally {
      sim.setFunds('enough');
    }
  });
});

describe('a message that does not play, through Voximplant (simulated) and the engine', () => {
  it('answered but unheard: call.manual, the sellers told with the platform’s error, no SMS (issue 14, 12b)', async () => {
    const number = '79160000009';
    sim.phone(number, 'message-fails');
    const before = sms.sent.length;
    const { leadId } = await engine.submitLead({ name: 'Пётр', phone: '8 (916) 000-00-09' });
    expect(await finalCallState(leadId)).toBe('call.manual');
    await settle();
    expect(notifier.notices.filter((n) => n.leadId === leadId && n.kind === 'manual')).toMatchObject([
      { reason: 'message_failed', detail: 'Failed to load the media file' },
    ]);
    expect(sms.sent.length).toBe(before);
  });
});
