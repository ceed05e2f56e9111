import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.js';
import { smsText } from './helpers/texts.js';

// The waits of the lead machine, end to end: the engine's clock is moved by the test (the retry
// interval, the night), the calls run on the Voximplant simulator at 3/1000 of real time.

let h: Harness;
afterEach(async () => {
  await h.close();
});

const wait = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000 });
const statusCodes = () => h.sims.bitrix24.state.calls().map((c) => c.finished?.statusCode);

describe('retries and the night', () => {
  it('no answer → "no answer" on the card → 30 minutes later the retry is answered', async () => {
    h = await startHarness({ phones: { '79160000003': 'no-answer' } });
    const { body } = await h.order({ name: 'Вера', phone: '+7 916 000-00-03' });
    const leadId = body.leadId ?? '';
    await h.until(leadId, 'crm.created call.nodial');
    await wait(statusCodes).toEqual(['304']);
    await wait(() => h.sims.bitrix24.state.leads()[0]?.STATUS_ID).toBe('IN_PROCESS');
    expect(h.sims.sms.state.messages).toEqual([]);

    h.sims.voximplant.phone('79160000003', 'answers');
    await h.clock.advance(29 * 60_000);
    expect(h.sims.voximplant.state.sessions).toHaveLength(1);
    await h.clock.advance(60_000);
    await h.until(leadId, 'crm.created call.answered');
    await wait(statusCodes).toEqual(['304', '200']);
    expect(h.sims.voximplant.state.calls.map((c) => c.successful)).toEqual([false, true]);
    await wait(() => h.sims.sms.state.sent().map((m) => m.text)).toEqual([smsText.answered('Вера')]);
  });

  it('no answer on every attempt → manual after maxAttempts, the sellers told, no SMS', async () => {
    h = await startHarness({ phones: { '79160000004': 'no-answer' }, config: { maxAttempts: 3 } });
    const { body } = await h.order({ name: 'Дина', phone: '+7 916 000-00-04' });
    const leadId = body.leadId ?? '';
    for (const attempt of [1, 2]) {
      await h.until(leadId, 'crm.created call.nodial');
      await wait(() => h.sims.voximplant.state.calls.length).toBe(attempt);
      await h.clock.advance(30 * 60_000);
    }
    await h.until(leadId, 'crm.created call.manual');
    expect(h.sims.voximplant.state.calls.map((c) => c.failureCode)).toEqual([408, 408, 408]);
    await wait(statusCodes).toEqual(['304', '304', '304']);
    await wait(() => h.sims.telegram.state.messages.length).toBe(2);
    expect(h.sims.telegram.state.messages[1]?.text).toContain('клиент не ответил ни на одну попытку');
    expect(h.sims.sms.state.messages).toEqual([]);
  });

  it('at night: the night SMS at once, no call; the call when the shop opens, answered, the confirmation SMS', async () => {
    // Wednesday 22:00 in Moscow: the shop (09:00–21:00) is closed.
    h = await startHarness({
      phones: { '79160000001': 'answers' },
      start: Date.parse('2026-11-25T19:00:00Z'),
    });
    const { status, body } = await h.order({
      name: 'Анна',
      phone: '+7 916 000-00-01',
      timezone: 'Europe/Moscow',
    });
    const leadId = body.leadId ?? '';
    expect(status).toBe(202);
    expect(body.state).toBe('call.night');
    await wait(() => h.sims.sms.state.sent().map((m) => m.text)).toEqual([smsText.night('Анна')]);
    await h.until(leadId, 'crm.created call.night');
    expect(h.sims.voximplant.state.sessions).toEqual([]);

    await h.clock.advanceTo(Date.parse('2026-11-26T05:59:00Z'));
    expect(h.sims.voximplant.state.sessions).toEqual([]);
    await h.clock.advanceTo(Date.parse('2026-11-26T06:00:00Z'));
    await h.until(leadId, 'crm.created call.answered');
    await wait(() => h.sims.sms.state.sent().map((m) => m.text)).toEqual([
      smsText.night('Анна'),
      smsText.answered('Анна'),
    ]);
    await wait(() => h.sims.bitrix24.state.calls()[0]?.startDate).toBe('2026-11-26T09:00:00+03:00');
  });
});
