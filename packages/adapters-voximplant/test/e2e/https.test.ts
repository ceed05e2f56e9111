import { startVoximplantSim, trustTestkitCa, type VoximplantSim } from '@prozvon/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createVoximplantVoice } from '../../src/index.js';
import { scenarioSource } from '../helpers/scenario-source.js';
import { type ShopServer, startShopServer, TEST_SECRET } from '../helpers/shop-server.js';

// api.voximplant.com is HTTPS only: the client must work over TLS with certificate checks on
// (the testkit's CA is trusted, nothing is switched off).
let sim: VoximplantSim;
let shop: ShopServer;
beforeAll(async () => {
  shop = await startShopServer();
  sim = await startVoximplantSim({ scenarioSource, tls: true, timeScale: 0.003 });
  trustTestkitCa(sim.ca ?? '');
});
afterAll(async () => {
  await sim.close();
  await shop.close();
});

it('starts a call and reconciles it over HTTPS', async () => {
  expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const voice = createVoximplantVoice({
    accountId: sim.accountId,
    keyId: sim.serviceKey.keyId,
    privateKey: sim.serviceKey.privateKey,
    ruleId: sim.ruleId,
    apiBase: sim.url,
    callbackUrl: shop.planUrl,
    message: 'https://shop.example/order-accepted.mp3',
    secret: TEST_SECRET,
    store: shop.store,
  });
  const key = 'lead:tls-1:dial:1';
  const request = { key, leadId: 'tls-1', attempt: 1, phone: '79160000001', callerId: '74950000000' };
  const { sessionId } = await voice.startCall({
    ...request,
    scenarioId: 'prozvon-callback',
    customerName: 'Анна',
  });
  expect(sessionId).toMatch(/^\d+$/);
  await sim.state.settled();
  expect(shop.delivered.map((d) => d.event.report)).toEqual([
    expect.objectContaining({ key, outcome: 'answered' }),
  ]);
  expect(await voice.findCall(key)).toMatchObject({ key, outcome: 'answered' });
});
