import type { PhonePreset } from '@prozvon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveSigningKey } from '../../src/call-keys.js';
import { CallResult } from '../../src/protocol/call-result.js';
import { signResult } from '../../src/protocol/signature.js';
import { type ShopServer, startShopServer, TEST_SECRET } from '../helpers/shop-server.js';
import { callThrough } from './run-scenario.js';

// The shipped scenario, run in the testkit's VoxEngine stand-in against our real plan and result
// handlers on loopback, once per virtual-phone behaviour.
let shop: ShopServer;
beforeAll(async () => {
  shop = await startShopServer();
});
afterAll(() => shop.close());

type Expected = { outcome: string; amd?: string; failureCode?: number; detail?: string; plays: number };
const cases: [PhonePreset, Expected][] = [
  ['answers', { outcome: 'answered', amd: 'human', plays: 2 }],
  ['slow-to-answer', { outcome: 'answered', amd: 'human', plays: 2 }],
  ['hangs-up-mid-message', { outcome: 'answered', amd: 'human', plays: 1 }],
  ['amd-timeout', { outcome: 'answered', amd: 'timeout', plays: 2 }],
  ['answering-machine', { outcome: 'machine', amd: 'voicemail', plays: 0 }],
  ['drops', { outcome: 'nodial', amd: 'call_ended', plays: 0 }],
  ['no-answer', { outcome: 'nodial', failureCode: 408, plays: 0 }],
  ['busy', { outcome: 'nodial', failureCode: 486, plays: 0 }],
  ['switched-off', { outcome: 'nodial', failureCode: 480, plays: 0 }],
  // Issue 13, defect 12: the account, not the customer, stands in the way; the platform's words go on.
  ['insufficient-funds', { outcome: 'refused', failureCode: 402, detail: 'Insufficient funds', plays: 0 }],
  ['call-forbidden', { outcome: 'refused', failureCode: 403, detail: 'Forbidden', plays: 0 }],
  ['does-not-exist', { outcome: 'invalid', failureCode: 404, plays: 0 }],
];

describe('the scenario in the VoxEngine stand-in', () => {
  it.each(cases)('%s → %o', async (preset, expected) => {
    const { record, leadId, key } = await callThrough(shop, preset);
    expect(record.finishReason).toBe('Normal termination');
    const delivered = shop.delivered.find((d) => d.leadId === leadId);
    expect(delivered?.event).toMatchObject({ type: 'CALL_RESULT', attempt: 1, report: { key } });
    const report = delivered?.event.report;
    expect(report?.outcome).toBe(expected.outcome);
    expect(report?.amd).toBe(expected.amd);
    expect(report?.failureCode).toBe(expected.failureCode);
    expect(report?.detail).toBe(expected.detail);
    expect(record.calls[0]?.played).toHaveLength(expected.plays);
    // Only the two requests our protocol defines: the plan, then the result.
    expect(record.requests.map((r) => [r.method, new URL(r.url).pathname, r.code])).toEqual([
      ['POST', '/voximplant/plan', 200],
      ['POST', '/voximplant/result', 200],
    ]);
  });

  it('signs the result with the per-call key over "<timestamp>.<body>"', async () => {
    const { record, callId, leadId } = await callThrough(shop, 'answers');
    const post = record.requests[1];
    const body = CallResult.parse(JSON.parse(post?.body ?? ''));
    expect(body).toMatchObject({ v: 1, callId, leadId, attempt: 1, outcome: 'answered' });
    expect(body.sessionId).toBe(String(record.sessionId));
    const timestamp = post?.headers['X-Prozvon-Timestamp'] ?? '';
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(post?.headers['X-Prozvon-Call']).toBe(callId);
    expect(post?.headers['X-Prozvon-Signature']).toBe(
      signResult(deriveSigningKey(TEST_SECRET, callId, leadId, 1), timestamp, post?.body ?? ''),
    );
    // Latency marks for the benchmark: every phase of an answered call is stamped, in order.
    const { started, ringing, connected, amd, ended } = body.t;
    expect([started, ringing, connected, amd, ended]).toEqual(
      [started, ringing, connected, amd, ended].map(Number).sort((a, b) => a - b),
    );
    expect(body.durationSec).toBeGreaterThan(0);
  });

  it("plays the recording, then the promotion in the plan's TTS voice, to a person", async () => {
    const { record } = await callThrough(shop, 'answers');
    expect(record.calls[0]?.played).toEqual([
      'https://shop.example/audio/order-accepted.mp3',
      'tts:Yandex.Neural.ru_RU_alena:Скидка 10% на следующий заказ',
    ]);
    expect(record.calls[0]?.hungUpBy).toBe('scenario');
  });

  it('hangs up on an answering machine at once instead of playing to it', async () => {
    const { record } = await callThrough(shop, 'answering-machine');
    expect(record.calls[0]).toMatchObject({ amdVerdict: 'VOICEMAIL', hungUpBy: 'scenario', played: [] });
  });

  it('sends nothing when the session is lost: the engine must reconcile', async () => {
    const { record, leadId } = await callThrough(shop, 'never-calls-back');
    expect(record.finishReason).toBe('Internal error');
    expect(record.requests.map((r) => new URL(r.url).pathname)).toEqual(['/voximplant/plan']);
    expect(shop.delivered.some((d) => d.leadId === leadId)).toBe(false);
  });
});
