import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.js';
import { smsText } from './helpers/texts.js';

// When a service fails: the result of a call never comes, the CRM refuses our credentials.

let h: Harness;
afterEach(async () => {
  await h.close();
});

const wait = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000 });

describe('failures end to end', () => {
  it('no result and nothing in call history → manual after the callback timeout, the sellers told', async () => {
    // The session is lost when the call ends (no result posted) and the history lags an hour; the
    // harness gives the adapter no grace for that lag (its default is 10 minutes of real time).
    // One attempt: an absent call on an attempt that has more after it is dialled again (nothing
    // rang, as far as the provider says); on the last one the sellers take over.
    h = await startHarness({
      phones: { '79160000007': 'never-calls-back' },
      historyLagMs: 3_600_000,
      config: { maxAttempts: 1 },
    });
    const { body } = await h.order({ name: 'Ева', phone: '+7 916 000-00-07' });
    const leadId = body.leadId ?? '';
    await h.until(leadId, 'crm.created call.awaitingResult');
    await h.sims.voximplant.state.settled();
    expect(h.sims.voximplant.state.calls.map((c) => c.successful)).toEqual([true]);

    await h.clock.advance(4 * 60_000);
    expect(h.sims.voximplant.state.apiRequests.map((r) => r.method)).toEqual(['StartScenarios']);
    // The callback timeout (5 min): call history is asked, has nothing, and the sellers take over.
    await h.clock.advance(60_000);
    await h.until(leadId, 'crm.created call.manual');
    expect(h.sims.voximplant.state.apiRequests.map((r) => r.method)).toEqual([
      'StartScenarios',
      'GetCallHistory',
    ]);
    await wait(() => h.sims.telegram.state.messages.map((m) => m.text).join('\n')).toContain(
      'результат звонка не пришёл',
    );
    expect(h.sims.sms.state.messages).toEqual([]);
  });

  it('no result, but call history has the answered call → reconciled as answered, the SMS sent', async () => {
    h = await startHarness({ phones: { '79160000007': 'never-calls-back' } });
    const { body } = await h.order({ name: 'Ева', phone: '+7 916 000-00-07' });
    const leadId = body.leadId ?? '';
    await h.until(leadId, 'crm.created call.awaitingResult');
    await h.sims.voximplant.state.settled();
    await h.clock.advance(5 * 60_000);
    await h.until(leadId, 'crm.created call.answered');
    expect(h.sims.voximplant.state.apiRequests.map((r) => r.method)).toEqual([
      'StartScenarios',
      'GetCallHistory',
    ]);
    await wait(() => h.sims.sms.state.sent().map((m) => m.text)).toEqual([smsText.answered('Ева')]);
    await wait(() => h.sims.bitrix24.state.calls()[0]?.finished?.statusCode).toBe('200');
  });

  it('the CRM refuses our credentials → crm.manual, the sellers asked to enter it by hand; the call still happens', async () => {
    h = await startHarness({
      phones: { '79160000001': 'answers' },
      crm: (sims) => ({ auth: { type: 'webhook', url: `${sims.bitrix24.url}/rest/1/deletedwebhook0/` } }),
    });
    const { status, body } = await h.order(
      { name: 'Анна', phone: '+7 916 000-00-01' },
      'utm_source=PARTNER42',
    );
    expect(status).toBe(202);
    await h.until(body.leadId ?? '', 'crm.manual call.answered');
    expect(h.sims.bitrix24.state.leads()).toEqual([]);
    expect(h.sims.voximplant.state.calls.map((c) => c.number)).toEqual(['79160000001']);
    await wait(() => h.sims.sms.state.sent().map((m) => m.text)).toEqual([smsText.answered('Анна')]);
    await wait(() => h.sims.telegram.state.messages.map((m) => m.text).join('\n')).toContain(
      'Лид не попал в CRM',
    );
    expect(h.sims.telegram.state.messages[0]?.text).toContain('+79160000001');
  });
});
