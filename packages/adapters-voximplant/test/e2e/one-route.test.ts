import { createProzvon, type Prozvon, silentLogger } from '@prozvon/sdk';
import { MemoryLeadStore, RecordingCrm, RecordingNotifier, RecordingSms, settle } from '@prozvon/sdk/testing';
import { startVoximplantSim, type VoximplantSim } from '@prozvon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallPlanProvider, createCallResultVerifier, createVoximplantVoice } from '../../src/index.js';
import { callEndState } from '../helpers/call-end.js';
import { scenarioSource } from '../helpers/scenario-source.js';
import { TEST_SECRET } from '../helpers/shop-server.js';
import { serveOnLoopback, type WebServer } from '../helpers/web-server.js';

// What a shop mounts with the SDK's front: one route, `prozvon.handleVoiceCallback`, for both of
// the scenario's requests (its plan and its signed result), given to the adapter as `callbacks`.
let sim: VoximplantSim;
let server: WebServer;
let prozvon: Prozvon;
const sms = new RecordingSms();
const crm = new RecordingCrm();

beforeAll(async () => {
  // The shop's lead store keeps the pending calls too, so a call in flight survives a restart.
  const calls = new MemoryLeadStore();
  let route = '';
  server = await serveOnLoopback({ '/voice': (request) => prozvon.handleVoiceCallback(request) });
  route = `${server.url}/voice`;
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
    planUrl: route,
    secret: TEST_SECRET,
    store: calls,
    callbacks: {
      planFor: createCallPlanProvider({
        secret: TEST_SECRET,
        store: calls,
        callbackUrl: route,
        message: { kind: 'url', url: 'https://shop.example/order-accepted.mp3' },
        maxCallSec: 600,
      }),
      verifier: createCallResultVerifier({ secret: TEST_SECRET }),
    },
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
