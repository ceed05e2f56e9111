import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeadStore, StartCallRequest } from '@prozvon/sdk';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVoximplantVoice, deriveCallRef, deriveSigningKey } from '../../src/index.js';
import { CallPlan } from '../../src/protocol/call-plan.js';
import { API_BASE, fakeManagementApi } from '../helpers/fake-api.js';
import { testServiceAccount } from '../helpers/service-account.js';
import { TEST_SECRET } from '../helpers/shop-server.js';

// Defect 11 of issue 13: a call started just before a restart must still get its plan when the
// scenario asks the restarted process, or it hangs up without dialling and the lead goes to manual.
const api = fakeManagementApi();
const account = testServiceAccount();
const ROUTE = 'https://shop.example/voice/callback';

/** The adapter as a shop builds it at start: one route for the plan and the result, on `store`. */
function shopVoice(store: LeadStore) {
  return createVoximplantVoice({
    accountId: account.accountId,
    keyId: account.keyId,
    privateKey: account.privateKey,
    ruleId: 3_141_592,
    apiBase: API_BASE,
    callbackUrl: ROUTE,
    secret: TEST_SECRET,
    store,
    message: (call) => `${call.customerName}, ваш заказ принят`,
  });
}

const request: StartCallRequest = {
  key: 'lead:L7:dial:1',
  leadId: 'L7',
  attempt: 1,
  phone: '+7 916 000-00-07',
  scenarioId: 'prozvon-callback',
  callerId: '+7 495 000-00-00',
  customerName: 'Анна',
};

describe('a call plan across a restart', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prozvon-vox-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is still served by the restarted process from the shop’s SQLite LeadStore', async () => {
    const file = join(dir, 'shop.db');
    const before = new SqliteLeadStore(file);
    api.answer(() => ({ result: 1, call_session_history_id: 55 }));
    await shopVoice(before).startCall(request);
    await before.close();

    const after = new SqliteLeadStore(file);
    try {
      const callId = deriveCallRef(TEST_SECRET, request.key);
      const voice = shopVoice(after);
      const response = await voice.handleCallback(
        new Request(ROUTE, { method: 'POST', body: JSON.stringify({ v: 1, callId, sessionId: 55 }) }),
        async () => undefined,
      );
      expect(response.status).toBe(200);
      expect(CallPlan.parse(await response.json())).toMatchObject({
        callId,
        leadId: 'L7',
        key: request.key,
        attempt: 1,
        phone: '79160000007',
        callerId: '74950000000',
        message: { kind: 'tts', text: 'Анна, ваш заказ принят', voice: 'Yandex.Neural.ru_RU_alena' },
        signingKey: deriveSigningKey(TEST_SECRET, callId, 'L7', 1),
      });
      expect((await after.getPendingCall(callId))?.sessionId).toBe('55');
    } finally {
      await after.close();
    }
  });
});
