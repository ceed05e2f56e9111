import { afterAll, describe, expect, it } from 'vitest';
import { CallResult } from '../../src/protocol/call-result.js';
import { type ShopServer, startShopServer } from '../helpers/shop-server.js';
import { callThrough } from './run-scenario.js';

// Issue 14, point 12: what the real VoxEngine does and the stand-in used to hide. The stand-in
// now follows the official typings (voximplant/voxengine-ci 28.0.0); the scenario must cope.
const shops: ShopServer[] = [];
afterAll(() => {
  for (const shop of shops) shop.close();
});
async function shop(options: Parameters<typeof startShopServer>[0] = {}) {
  const started = await startShopServer(options);
  shops.push(started);
  return started;
}
const reportOf = (server: ShopServer, leadId: string) =>
  server.delivered.find((d) => d.leadId === leadId)?.event.report;

describe('the scenario against what VoxEngine refuses', () => {
  it('(a) an AMD model VoxEngine does not know: reported at once as refused, with the error — not a silent nodial', async () => {
    // The server checks the model when it is configured; this is a plan from one that did not.
    const server = await shop({
      tamperPlan: (plan) => ({ ...plan, amd: { ...plan.amd, model: 'russian' } }),
    });
    const { record, leadId } = await callThrough(server, 'answers');
    expect(record.finishReason).toBe('Normal termination');
    expect(record.calls).toEqual([]);
    const report = reportOf(server, leadId);
    expect(report?.outcome).toBe('refused');
    expect(report?.detail).toMatch(/^scenario error: .*AMD\.create/);
  });

  it('(b) a message that fails to play to a person: unheard, with the platform’s error', async () => {
    const server = await shop();
    const { record, leadId } = await callThrough(server, 'message-fails');
    const report = reportOf(server, leadId);
    expect(report).toMatchObject({
      outcome: 'unheard',
      amd: 'human',
      detail: 'Failed to load the media file',
    });
    expect(record.calls[0]).toMatchObject({ played: [], hungUpBy: 'scenario' });
  });

  it('(b) a promotion that fails after the message played: the customer was reached', async () => {
    const server = await shop({
      tamperPlan: (plan) => ({ ...plan, promotion: { kind: 'url', url: 'ftp://shop.example/promo.mp3' } }),
    });
    const { record, leadId } = await callThrough(server, 'answers');
    expect(reportOf(server, leadId)?.outcome).toBe('answered');
    expect(record.calls[0]?.played).toEqual(['https://shop.example/audio/order-accepted.mp3']);
  });

  it('(c) a voice VoiceList does not have: unheard, nothing spoken in the English default', async () => {
    const server = await shop({
      tamperPlan: (plan) => ({
        ...plan,
        message: { kind: 'tts', text: 'Ваш заказ принят', voice: 'Yandex.Neural.ru_RU_nobody' },
      }),
    });
    const { record, leadId } = await callThrough(server, 'answers');
    expect(reportOf(server, leadId)).toMatchObject({
      outcome: 'unheard',
      detail: 'unknown voice Yandex.Neural.ru_RU_nobody',
    });
    expect(record.calls[0]?.played).toEqual([]);
  });

  it.each([[{ output: 'base64' }], [{ text: 'latin1' }], [{ text: 'latin1', output: 'base64' }]] as const)(
    '(d) a result signed by a Crypto.hmac_sha256 read as %o still verifies, non-ASCII text and all',
    async (hmac) => {
      const server = await shop();
      const phone = { answer: { failWith: 503, reason: 'Сеть недоступна — «перегрузка»' } } as const;
      const { record, leadId } = await callThrough(server, phone, 1, hmac);
      const post = record.requests[1];
      expect(post?.code).toBe(200);
      // Sent as ASCII, and the same result once parsed.
      expect(post?.body).toMatch(/^[\x20-\x7e]*$/);
      expect(CallResult.parse(JSON.parse(post?.body ?? '')).failureReason).toBe(
        'Сеть недоступна — «перегрузка»',
      );
      expect(reportOf(server, leadId)).toMatchObject({ outcome: 'nodial', failureCode: 503 });
    },
  );
});
