import type { StartCallRequest } from '@prozvon/sdk';
import { startVoximplantSim, type VoximplantSim } from '@prozvon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoximplantVoice, provisionVoximplant } from '../../src/index.js';
import { scenarioSource } from '../helpers/scenario-source.js';
import { type ShopServer, startShopServer, TEST_SECRET } from '../helpers/shop-server.js';

// An empty simulated account (no scenarioSource: nothing set up by hand), so a call can only run
// what provisioning uploaded and bound.
let sim: VoximplantSim;
let shop: ShopServer;

beforeAll(async () => {
  shop = await startShopServer();
  sim = await startVoximplantSim({
    timeScale: 0.003,
    accountName: 'myshop',
    phones: { '79160000001': 'answers' },
  });
});
afterAll(async () => {
  await sim.close();
  await shop.close();
});

const provision = (source = scenarioSource) =>
  provisionVoximplant({
    accountId: sim.accountId,
    keyId: sim.serviceKey.keyId,
    privateKey: sim.serviceKey.privateKey,
    apiBase: sim.url,
    scenarioName: 'prozvon-callback',
    scenarioSource: source,
    ruleName: 'prozvon-outbound',
  });

let nextLead = 1;
async function callThrough(ruleId: number) {
  const voice = createVoximplantVoice({
    accountId: sim.accountId,
    keyId: sim.serviceKey.keyId,
    privateKey: sim.serviceKey.privateKey,
    ruleId,
    apiBase: sim.url,
    callbackUrl: shop.planUrl,
    message: 'https://shop.example/order-accepted.mp3',
    secret: TEST_SECRET,
    store: shop.store,
  });
  const leadId = `provisioned-${nextLead++}`;
  const request: StartCallRequest = {
    key: `lead:${leadId}:dial:1`,
    leadId,
    attempt: 1,
    phone: '+79160000001',
    scenarioId: 'prozvon-callback',
    callerId: '+74950000000',
    customerName: 'Анна',
  };
  const { sessionId } = await voice.startCall(request);
  await sim.state.settled();
  return { sessionId, delivered: shop.delivered.filter((d) => d.leadId === leadId) };
}

describe('provisionVoximplant → simulator → a call runs the uploaded scenario', () => {
  it('sets the account up, and the returned ruleId places a call that runs the shipped scenario', async () => {
    const result = await provision();
    expect(result).toMatchObject({
      applicationName: 'prozvon.myshop.voximplant.com',
      changed: { application: true, scenario: true, rule: true },
    });
    expect(sim.platform.scenario(result.scenarioId)?.script).toBe(scenarioSource);
    expect(sim.platform.rule(result.ruleId)?.scenarioIds).toEqual([result.scenarioId]);

    const { sessionId, delivered } = await callThrough(result.ruleId);
    expect(delivered.map((d) => d.event)).toEqual([
      expect.objectContaining({
        type: 'CALL_RESULT',
        report: expect.objectContaining({ outcome: 'answered' }),
      }),
    ]);
    const session = sim.state.session(Number(sessionId));
    expect(session).toMatchObject({ ruleId: result.ruleId, applicationId: result.applicationId });
  });

  it('a second run with the same inputs changes nothing and writes nothing', async () => {
    const first = await provision();
    const before = sim.state.apiRequests.length;
    const again = await provision();
    expect(again).toEqual({ ...first, changed: { application: false, scenario: false, rule: false } });
    const methods = sim.state.apiRequests.slice(before).map((r) => r.method);
    expect(methods.every((m) => m.startsWith('Get'))).toBe(true);
  });

  it('an upgrade with a new scenario updates it in place, and the next call runs the new text', async () => {
    const upgraded = `${scenarioSource}\nLogger.write('prozvon scenario, upgraded');\n`;
    const result = await provision(upgraded);
    expect(result.changed).toEqual({ application: false, scenario: true, rule: false });
    const { sessionId, delivered } = await callThrough(result.ruleId);
    expect(delivered).toHaveLength(1);
    expect(sim.state.session(Number(sessionId))?.record.log).toContain('prozvon scenario, upgraded');
  });
});
