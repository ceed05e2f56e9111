import { describe, expect, it } from 'vitest';
import {
  createCallPlanHandler,
  createCallPlanProvider,
  deriveCallRef,
  deriveSigningKey,
  MemoryPendingCallStore,
} from '../../src/index.js';
import { type AmdSettings, CallPlan } from '../../src/protocol/call-plan.js';
import { pendingCall, TEST_SECRET } from '../helpers/shop-server.js';

async function setup(overrides: Partial<Parameters<typeof createCallPlanProvider>[0]> = {}) {
  const store = new MemoryPendingCallStore();
  const callId = deriveCallRef(TEST_SECRET, 'lead:L1:dial:1');
  await store.savePendingCall(pendingCall({ callId }));
  const handler = createCallPlanHandler(
    createCallPlanProvider({
      secret: TEST_SECRET,
      store,
      callbackUrl: 'https://shop.example/vox/result',
      message: (call) => ({
        kind: 'tts',
        text: `${call.customerName}, ваш заказ принят`,
        voice: 'Yandex.Neural.ru_RU_alena',
      }),
      ...overrides,
    }),
  );
  const ask = (body: unknown) =>
    handler(new Request('https://shop.example/vox/plan', { method: 'POST', body: JSON.stringify(body) }));
  return { callId, ask, handler };
}

describe('the call plan handler', () => {
  it('gives the plan of a known call, with a signing key for that call only', async () => {
    const { callId, ask } = await setup();
    const response = await ask({ v: 1, callId, sessionId: 77 });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const plan = CallPlan.parse(await response.json());
    expect(plan).toEqual({
      v: 1,
      callId,
      leadId: 'L1',
      key: 'lead:L1:dial:1',
      attempt: 1,
      phone: '79160000001',
      callerId: '74950000000',
      message: { kind: 'tts', text: 'Анна, ваш заказ принят', voice: 'Yandex.Neural.ru_RU_alena' },
      promotion: null,
      amd: { enabled: true, model: 'ru', timeoutMs: 6500 },
      callbackUrl: 'https://shop.example/vox/result',
      signingKey: deriveSigningKey(TEST_SECRET, callId, 'L1', 1),
      maxCallSec: 180,
    });
  });

  it('answers 404 to a reference it never issued', async () => {
    const { ask } = await setup();
    expect((await ask({ v: 1, callId: 'A'.repeat(22) })).status).toBe(404);
  });

  it('answers 400 naming the problem to a malformed request, 405 to a GET', async () => {
    const { ask, handler } = await setup();
    const response = await ask({ v: 2, callId: 'short' });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('callId');
    expect((await handler(new Request('https://shop.example/vox/plan'))).status).toBe(405);
  });

  it('fails loudly on a message VoxEngine would refuse (TTS over 1500 characters)', async () => {
    const long = { kind: 'tts', text: 'а'.repeat(1501), voice: 'Yandex.Neural.ru_RU_alena' } as const;
    await expect(setup({ message: long })).rejects.toThrow(/message\.text.*1500/);
    const { callId, ask } = await setup({ message: () => long });
    await expect(ask({ v: 1, callId })).rejects.toThrow(/1500/);
  });
});

// Issue 14, point 12 (a, c): VoxEngine's AMD.create throws on a model outside AMD.Model, and an
// unknown VoiceList name speaks in an English default. Both are refused when the shop configures.
describe('the call plan provider checks against VoxEngine’s own lists', () => {
  const base = {
    secret: TEST_SECRET,
    store: new MemoryPendingCallStore(),
    callbackUrl: 'https://shop.example/vox/result',
    message: { kind: 'tts', text: 'Ваш заказ принят', voice: 'Yandex.Neural.ru_RU_alena' },
  } as const;

  it('refuses an AMD model that is not an AMD.Model value, naming the field', () => {
    const amd = { enabled: true, model: 'russian', timeoutMs: 6500 } as unknown as AmdSettings;
    expect(() => createCallPlanProvider({ ...base, amd })).toThrow(/amd\.model/);
    expect(() =>
      createCallPlanProvider({ ...base, amd: { enabled: true, model: 'eu_general', timeoutMs: 6500 } }),
    ).not.toThrow();
    expect(() => createCallPlanProvider({ ...base, amd: { enabled: true, model: 'kz' } })).not.toThrow();
  });

  it('refuses a voice VoiceList does not have, in the message or the promotion', () => {
    const wrong = { kind: 'tts', text: 'Скидка', voice: 'Yandex.Neural.ru_RU_nobody' } as const;
    expect(() => createCallPlanProvider({ ...base, message: wrong })).toThrow(
      /message\.voice: Yandex\.Neural\.ru_RU_nobody is not a VoxEngine voice/,
    );
    expect(() => createCallPlanProvider({ ...base, promotion: wrong })).toThrow(/promotion\.voice/);
    // A path that stops at a family is no voice either.
    expect(() => createCallPlanProvider({ ...base, message: { ...wrong, voice: 'Yandex.Neural' } })).toThrow(
      /message\.voice/,
    );
  });

  it('a voice chosen per call is checked when the plan is made', async () => {
    const { callId, ask } = await setup({
      message: () => ({ kind: 'tts', text: 'Заказ принят', voice: 'Google.ru_RU_Nobody' }),
    });
    await expect(ask({ v: 1, callId })).rejects.toThrow(/not a VoxEngine voice/);
  });
});
