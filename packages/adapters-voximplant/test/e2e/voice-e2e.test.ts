import {
  AuthError,
  PermanentError,
  RateLimitedError,
  type StartCallRequest,
  TransientError,
  type VoicePort,
} from '@prozvon/sdk';
import {
  generateServiceKey,
  startVoximplantSim,
  VOXIMPLANT_TOO_MANY_REQUESTS,
  type VoximplantSim,
} from '@prozvon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoximplantVoice } from '../../src/index.js';
import { scenarioSource } from '../helpers/scenario-source.js';
import { type ShopServer, startShopServer, TEST_SECRET } from '../helpers/shop-server.js';

// End to end on loopback: the adapter starts a session on the simulated management API, the
// simulator runs the shipped scenario in its VoxEngine stand-in, the scenario fetches its plan
// from our handler and posts its signed result to our result handler, which delivers the event.
let sim: VoximplantSim;
let shop: ShopServer;
let voice: VoicePort;

const PHONES = {
  '79160000001': 'answers',
  '79160000002': 'answering-machine',
  '79160000003': 'busy',
  '79160000004': 'does-not-exist',
  '79160000005': 'never-calls-back',
  '79160000006': 'no-answer',
} as const;

beforeAll(async () => {
  shop = await startShopServer();
  sim = await startVoximplantSim({
    scenarioSource,
    scenarioName: 'prozvon-callback.js',
    timeScale: 0.003,
    phones: PHONES,
  });
  voice = adapterWith({});
});
afterAll(async () => {
  await sim.close();
  await shop.close();
});

function adapterWith(overrides: Partial<Parameters<typeof createVoximplantVoice>[0]>): VoicePort {
  return createVoximplantVoice({
    accountId: sim.accountId,
    keyId: sim.serviceKey.keyId,
    privateKey: sim.serviceKey.privateKey,
    ruleId: sim.ruleId,
    apiBase: sim.url,
    callbackUrl: shop.planUrl,
    message: 'https://shop.example/order-accepted.mp3',
    secret: TEST_SECRET,
    store: shop.store,
    ...overrides,
  });
}

let nextLead = 1;
function request(phone: string): StartCallRequest {
  const leadId = `e2e-${nextLead++}`;
  return {
    key: `lead:${leadId}:dial:1`,
    leadId,
    attempt: 1,
    phone: `+${phone}`,
    scenarioId: 'prozvon-callback',
    callerId: '+74950000000',
    customerName: 'Анна',
  };
}

async function callAndWait(phone: string) {
  const req = request(phone);
  const { sessionId } = await voice.startCall(req);
  await sim.state.settled();
  return { req, sessionId, delivered: shop.delivered.filter((d) => d.leadId === req.leadId) };
}

describe('adapter → simulator → scenario → our handlers', () => {
  it.each([
    ['79160000001', { outcome: 'answered', amd: 'human' }],
    ['79160000002', { outcome: 'machine', amd: 'voicemail' }],
    ['79160000003', { outcome: 'nodial', failureCode: 486 }],
    ['79160000006', { outcome: 'nodial', failureCode: 408 }],
    ['79160000004', { outcome: 'invalid', failureCode: 404 }],
  ])('%s delivers %o', async (phone, report) => {
    const { req, sessionId, delivered } = await callAndWait(phone);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.event).toMatchObject({
      type: 'CALL_RESULT',
      attempt: 1,
      report: { key: req.key, ...report },
    });
    const session = sim.state.session(Number(sessionId));
    expect(session?.record.calls.map((c) => [c.number, c.callerId])).toEqual([[phone, '74950000000']]);
  });

  it('the simulator saw only the short reference in custom data, and the scenario only our two URLs', async () => {
    const { sessionId } = await callAndWait('79160000001');
    const session = sim.state.session(Number(sessionId));
    expect(session?.customData).not.toContain('7916');
    expect(session?.record.requests.map((r) => r.url)).toEqual([shop.planUrl, shop.callbackUrl]);
  });

  it('a failed delivery on our side is retried by the scenario and delivered once', async () => {
    shop.failDeliveries(1);
    const { sessionId, delivered } = await callAndWait('79160000001');
    expect(delivered).toHaveLength(1);
    const codes = sim.state.session(Number(sessionId))?.record.requests.map((r) => r.code);
    expect(codes).toEqual([200, 500, 200]);
  });

  it('reconciles a call whose result never came through GetCallHistory', async () => {
    const { req, delivered } = await callAndWait('79160000005');
    expect(delivered).toEqual([]);
    expect(await voice.findCall(req.key)).toMatchObject({
      key: req.key,
      outcome: 'answered',
      amd: 'unknown',
    });
  });

  it('reconciles a busy call as nodial with its code, and an unknown key as null', async () => {
    const { req } = await callAndWait('79160000003');
    expect(await voice.findCall(req.key)).toEqual({
      key: req.key,
      outcome: 'nodial',
      durationSec: 0,
      failureCode: 486,
    });
    expect(await voice.findCall('lead:nobody:dial:1')).toBeNull();
  });
});

describe('management API failures through the simulator', () => {
  it('a key the account does not know → AuthError', async () => {
    const stranger = generateServiceKey(sim.accountId, 'unknown-key-id');
    const refused = adapterWith({ keyId: stranger.keyId, privateKey: stranger.privateKey });
    await expect(refused.startCall(request('79160000001'))).rejects.toBeInstanceOf(AuthError);
  });

  it('a rule that does not exist → PermanentError', async () => {
    await expect(adapterWith({ ruleId: 42 }).startCall(request('79160000001'))).rejects.toBeInstanceOf(
      PermanentError,
    );
  });

  it('429 → RateLimitedError, an internal error in HTTP 200 or an outage → TransientError', async () => {
    sim.faults.failNext(1, VOXIMPLANT_TOO_MANY_REQUESTS);
    await expect(voice.startCall(request('79160000001'))).rejects.toBeInstanceOf(RateLimitedError);
    sim.faults.failNext(1, { status: 200, body: { error: { code: 2, msg: 'Internal error' } } });
    await expect(voice.startCall(request('79160000001'))).rejects.toBeInstanceOf(TransientError);
    sim.faults.outage();
    await expect(voice.startCall(request('79160000001'))).rejects.toBeInstanceOf(TransientError);
    sim.faults.outage(false);
  });
});
