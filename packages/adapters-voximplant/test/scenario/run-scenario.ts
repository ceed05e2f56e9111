import {
  type PhonePreset,
  resolvePhone,
  runScenario,
  type StandinOptions,
  type VirtualPhone,
} from '@prozvon/testkit';
import { deriveCallRef, encodeCustomDataForTest } from '../helpers/ids.js';
import { scenarioSource } from '../helpers/scenario-source.js';
import { pendingCall, type ShopServer, TEST_SECRET } from '../helpers/shop-server.js';

let nextSession = 1000;

/** Runs the shipped scenario for one call to `phone` against the shop server; resolves when it ends. */
export async function callThrough(
  shop: ShopServer,
  phone: VirtualPhone | PhonePreset,
  attempt = 1,
  hmac?: StandinOptions['hmac'],
) {
  const leadId = `L${nextSession}`;
  const key = `lead:${leadId}:dial:${attempt}`;
  const callId = deriveCallRef(TEST_SECRET, key);
  await shop.store.savePendingCall(pendingCall({ callId, key, leadId, attempt }));
  const session = runScenario({
    scenarioSource,
    scenarioName: 'prozvon-callback.js',
    customData: encodeCustomDataForTest(callId, shop.planUrl),
    sessionId: nextSession++,
    phoneFor: () => resolvePhone(phone),
    // 1/200 speed: a few ms of scheduling jitter on a loaded machine cannot reorder the phone's
    // events (the closest pair, verdict and hang-up, are 3.5 virtual s = 17 ms apart).
    timeScale: 0.005,
    ...(hmac === undefined ? {} : { hmac }),
  });
  const record = await session.done;
  return { record, callId, key, leadId };
}
