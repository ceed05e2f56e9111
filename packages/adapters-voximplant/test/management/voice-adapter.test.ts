import { type StartCallRequest, TransientError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { deriveCallRef } from '../../src/call-keys.js';
import { MemoryPendingCallStore } from '../../src/pending-calls.js';
import { CustomData } from '../../src/protocol/custom-data.js';
import { createVoximplantVoice } from '../../src/voice-adapter.js';
import { API_BASE, fakeManagementApi } from '../helpers/fake-api.js';
import { testServiceAccount } from '../helpers/service-account.js';
import { TEST_SECRET } from '../helpers/shop-server.js';

const api = fakeManagementApi();
const account = testServiceAccount();
const PLAN_URL = 'https://shop.example/vox/plan';

function adapter(store = new MemoryPendingCallStore(), now: () => number = Date.now) {
  const voice = createVoximplantVoice({
    accountId: account.accountId,
    keyId: account.keyId,
    privateKey: account.privateKey,
    ruleId: 3_141_592,
    apiBase: API_BASE,
    callbackUrl: PLAN_URL,
    message: 'https://shop.example/order-accepted.mp3',
    secret: TEST_SECRET,
    store,
    now,
  });
  return { voice, store };
}

const request: StartCallRequest = {
  key: 'lead:6f1c:dial:2',
  leadId: '6f1c',
  attempt: 2,
  phone: '+7 (916) 123-45-67',
  scenarioId: 'prozvon-callback',
  callerId: '+74950000000',
  customerName: 'Анна',
};

describe('startCall', () => {
  it('starts the rule with only a call reference and the plan URL in custom data', async () => {
    api.answer(() => ({
      result: 1,
      media_session_access_url: 'http://10.0.0.1:12092/request/abc/def',
      media_session_access_secure_url: 'https://10.0.0.1:12092/request/abc/def',
      call_session_history_id: 987_654_321,
    }));
    const { voice, store } = adapter();
    expect(await voice.startCall(request)).toEqual({ sessionId: '987654321' });
    const sent = api.sent[0];
    expect(sent?.params.get('rule_id')).toBe('3141592');
    const customData = sent?.params.get('script_custom_data') ?? '';
    const callId = deriveCallRef(TEST_SECRET, request.key);
    expect(CustomData.parse(JSON.parse(customData))).toEqual({ v: 1, r: callId, u: PLAN_URL });
    // Nothing personal and nothing secret in what call history keeps.
    expect(customData).not.toMatch(/916|Анна|6f1c|lead:/);
    expect(Buffer.byteLength(customData)).toBeLessThanOrEqual(200);
    expect(await store.getPendingCall(callId)).toMatchObject({
      key: request.key,
      leadId: '6f1c',
      attempt: 2,
      phone: '79161234567',
      callerId: '74950000000',
      sessionId: '987654321',
    });
  });

  it('remembers the call before the request leaves, so a fast scenario finds its plan', async () => {
    const { voice, store } = adapter();
    const callId = deriveCallRef(TEST_SECRET, request.key);
    let seenDuringRequest: unknown = 'not asked';
    api.answer(async () => {
      seenDuringRequest = await store.getPendingCall(callId);
      return { result: 1, call_session_history_id: 1 };
    });
    await voice.startCall(request);
    expect(seenDuringRequest).toMatchObject({ key: request.key });
  });

  it('falls back to the call reference when no history id comes back', async () => {
    api.answer(() => ({ result: 1, media_session_access_url: 'http://10.0.0.1:12092/request/a/b' }));
    const { voice } = adapter();
    expect(await voice.startCall(request)).toEqual({
      sessionId: `ref:${deriveCallRef(TEST_SECRET, request.key)}`,
    });
  });

  it('an answer without result: 1 is a TransientError', async () => {
    api.answer(() => ({ result: 0 }));
    await expect(adapter().voice.startCall(request)).rejects.toBeInstanceOf(TransientError);
  });

  it('refuses options that cannot work, naming the field', () => {
    expect(() =>
      createVoximplantVoice({
        accountId: 1,
        keyId: 'k',
        privateKey: account.privateKey,
        ruleId: 1,
        callbackUrl: PLAN_URL,
        message: 'https://shop.example/order-accepted.mp3',
        secret: 'short',
        store: new MemoryPendingCallStore(),
      }),
    ).toThrow(/secret/);
  });

  // Before: a raw ZodError, its issues as many lines of JSON.
  it('throws one line per bad field, each naming the package and the field', () => {
    let message = '';
    try {
      createVoximplantVoice({
        accountId: 0,
        keyId: 'k',
        privateKey: 'not a key',
        ruleId: 1,
        callbackUrl: 'ftp://shop.test/plan',
        message: 'https://shop.example/order-accepted.mp3',
        secret: 'short',
        store: new MemoryPendingCallStore(),
      });
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n');
    expect(lines.map((line) => line.split(':')[1]?.trim())).toEqual([
      'accountId',
      'privateKey',
      'callbackUrl',
      'secret',
    ]);
    for (const line of lines) expect(line).toMatch(/^@prozvon\/adapters-voximplant: /);
  });
});

describe('findCall (reconciliation through GetCallHistory)', () => {
  const session = (calls: object[], extra: object = {}) => ({
    result: [
      { call_session_history_id: 55, custom_data: 'x', finish_reason: 'Normal termination', calls, ...extra },
    ],
    total_count: 1,
  });

  it('asks by session id when the start was recorded', async () => {
    const { voice } = adapter();
    api.answer(() => ({ result: 1, call_session_history_id: 55 }));
    await voice.startCall(request);
    api.answer(() => session([{ successful: true, duration: 31, record_url: 'https://rec/1.mp3' }]));
    expect(await voice.findCall(request.key)).toEqual({
      key: request.key,
      outcome: 'answered',
      durationSec: 31,
      amd: 'unknown',
      recordingUrl: 'https://rec/1.mp3',
    });
    const asked = api.sent[1];
    expect(asked?.method).toBe('GetCallHistory');
    expect(asked?.params.get('call_session_history_id')).toBe('55');
    expect(asked?.params.get('with_calls')).toBe('true');
  });

  it('asks by custom data after a restart lost the session id, and checks the match itself', async () => {
    const { voice } = adapter();
    const customData = JSON.stringify({ v: 1, r: deriveCallRef(TEST_SECRET, request.key), u: PLAN_URL });
    api.answer(() => ({
      result: [
        { call_session_history_id: 1, custom_data: 'someone else', calls: [{ successful: true }] },
        {
          call_session_history_id: 2,
          custom_data: customData,
          calls: [{ successful: false, end_reason: '486 Busy Here' }],
        },
      ],
    }));
    expect(await voice.findCall(request.key)).toEqual({
      key: request.key,
      outcome: 'nodial',
      durationSec: 0,
      failureCode: 486,
    });
    expect(api.sent[0]?.params.get('call_session_history_custom_data')).toBe(customData);
  });

  it('a started call not yet in history is asked again later (TransientError), then given up as null', async () => {
    let now = 1_764_072_000_000;
    const { voice } = adapter(new MemoryPendingCallStore({ now: () => now }), () => now);
    api.answer(() => ({ result: 1, call_session_history_id: 77 }));
    await voice.startCall(request);
    api.answer(() => ({ result: [], total_count: 0 }));
    now += 9 * 60_000;
    await expect(voice.findCall(request.key)).rejects.toThrow(/not in Voximplant call history yet/);
    now += 2 * 60_000;
    expect(await voice.findCall(request.key)).toBeNull();
  });

  it('no session in history → null (the engine sends the lead to manual)', async () => {
    api.answer(() => ({ result: [], total_count: 0 }));
    expect(await adapter().voice.findCall(request.key)).toBeNull();
  });

  it.each([
    [[], { outcome: 'nodial' }],
    [[{ successful: false, end_reason: '404 Not Found' }], { outcome: 'invalid', failureCode: 404 }],
    [[{ successful: false, end_reason: 'strange' }], { outcome: 'nodial' }],
  ])('calls %j → %o', async (calls, expected) => {
    const { voice, store } = adapter();
    const callId = deriveCallRef(TEST_SECRET, request.key);
    await store.savePendingCall({ ...request, callId, createdAt: Date.now(), sessionId: '55' });
    api.answer(() => session(calls));
    expect(await voice.findCall(request.key)).toEqual({ key: request.key, durationSec: 0, ...expected });
  });

  it('an answer of the wrong shape is a TransientError', async () => {
    api.answer(() => ({ result: 'nope' }));
    await expect(adapter().voice.findCall(request.key)).rejects.toBeInstanceOf(TransientError);
  });
});
