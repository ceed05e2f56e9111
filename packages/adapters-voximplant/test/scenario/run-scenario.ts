import { type PhonePreset, resolvePhone, runScenario, type VirtualPhone } from '@prozvon/testkit';
import { deriveCallRef, encodeCustomDataForTest } from '../helpers/ids.js';
import { scenarioSource } from '../helpers/scenario-source.js';
import { pendingCall, type ShopServer, TEST_SECRET } from '../helpers/shop-server.js';

let nextSession = 1000;

/** Runs the shipped scenario for one call to `phone` against the shop server; resolves when it ends. */
export async function callThrough(shop: ShopServer, phone: VirtualPhone | PhonePreset, attempt = 1) {
  const leadId = `L${nextSession}`;
  const key = `lead:${leadId}:dial:${attempt}`;
  const callId = deriveCallRef(TEST_SECRET, key);
  await shop.store.save(pendingCall({ callId, key, leadId, attempt }));
  const session = runScenario({
    scenarioSource,
    scenarioName: 'prozvon-callback.js',
    customData: encodeCustomDataForTest(callId, shop.planUrl),
    sessionId: nextSession++,
    phoneFor: () => resolvePhone(phone),
    timeScale: 0.001,
  });
  const record = await session.done;
  return { record, callId, key, leadId };
}
