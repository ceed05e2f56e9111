import { createProzvon, type Prozvon, silentLogger } from '@prozvon/sdk';
import { MemoryLeadStore, RecordingCrm, RecordingNotifier, RecordingSms, settle } from '@prozvon/sdk/testing';
import { startVoximplantSim, type VoximplantSim } from '@prozvon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoximplantVoice } from '../../src/index.js';
import { callEndState } from '../helpers/call-end.js';
import { scenarioSource } from '../helpers/scenario-source.js';
import { TEST_SECRET } from '../helpers/shop-server.js';
import { serveOnLoopback, type WebServer } from '../helpers/web-server.js';

// What a shop writes (issue 14, point 2): the adapter from its settings in one call, given to
// createProzvon as `voice`, and one route, `prozvon.handleVoiceCallback`, at the `callbackUrl` it
// was given, for both of the scenario's requests (its plan and its signed result).
let sim: VoximplantSim;
let server: WebServer;
let prozvon: Prozvon;
const sms = new RecordingSms();
const crm = new RecordingCrm();

beforeAll(async () => {
  // The shop's lead store keeps the pending calls too, so a call in flight survives a restart.
  const calls = new MemoryLeadStore();
  server = await serveOnLoopback({ '/voice': (request) => prozvon.handleVoiceCallback(request) });
  const route = `${server.url}/voice`;
  sim = await startVoximplantSim({
    scenarioSource,
    timeScale: 0.003,
    phones: { '79160000001': 'answers', '79160000002': 'answering-machine' },
  });
  const voice = createVoximplantVoice({
    accountId: sim.accountId,
    keyId: sim.serviceKey.keyId,
    privateKey: sim.serviceKey.privateKey,
    ruleId: sim.ruleId,
    apiBase: sim.url,
    callbackUrl: route,
    message: 'https://shop.example/order-accepted.mp3',
    promotion: 'Скидка десять процентов на следующий заказ',
    secret: TEST_SECRET,
    store: calls,
    maxCallSec: 600,
  });
  prozvon = createProzvon({
    store: calls,
    crm,
    voice,
    sms,
    notifier: new RecordingNotifier(),
    logger: silentLogger(),
    // Daytime in Moscow whatever the real clock says, so the calls are allowed.
    config: {
      hours: {
        timezone: 'Etc/UTC',
        week: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, { from: '00:00', to: '24:00' }]),
        ),
      },
    },
  });
  await prozvon.start();
});

afterAll(async () => {
  await prozvon.stop();
  await sim.close();
  await server.close();
});

const finalCallState = (leadId: string) => callEndState(prozvon.engine, leadId);

describe('createProzvon with Voximplant on one callback route', () => {
  it.each([
    ['8 (916) 000-00-01', 'call.answered', ':sms:answered'],
    ['8 (916) 000-00-02', 'call.machine', ':sms:machine'],
  ])('%s: plan and signed result both through handleVoiceCallback → %s', async (phone, state, smsKind) => {
    const { leadId } = await prozvon.submitLead({ name: 'Анна', phone });
    expect(await finalCallState(leadId)).toBe(state);
    await settle();
    expect(sms.sent.some((message) => message.key === `lead:${leadId}${smsKind}`)).toBe(true);
  });

  it('plays the message and promotion from the settings, and hears both requests on the one URL', async () => {
    const { leadId } = await prozvon.submitLead({ name: 'Анна', phone: '8 (916) 000-00-01' });
    expect(await finalCallState(leadId)).toBe('call.answered');
    expect(sim.state.calls.at(-1)?.played).toEqual([
      'https://shop.example/order-accepted.mp3',
      'tts:Yandex.Neural.ru_RU_alena:Скидка десять процентов на следующий заказ',
    ]);
    const session = sim.state.callbacks.at(-1)?.sessionId;
    const urls = sim.state.callbacks.filter((r) => r.sessionId === session).map((r) => r.url);
    expect(urls).toEqual([`${server.url}/voice`, `${server.url}/voice`]);
  });

  it('refuses an unsigned or forged result on that route', async () => {
    const forged = await fetch(`${server.url}/voice`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'X-Prozvon-Signature': 'v1=00',
        'X-Prozvon-Timestamp': String(Date.now()),
      },
      body: JSON.stringify({ v: 1 }),
    });
    expect([400, 401]).toContain(forged.status);
    const plan = await fetch(`${server.url}/voice`, {
      method: 'POST',
      body: JSON.stringify({ v: 1, callId: 'nope', sessionId: '1' }),
    });
    expect([400, 404]).toContain(plan.status);
  });
});
