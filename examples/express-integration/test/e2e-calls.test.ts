import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PARTNER } from '../src/index.js';
import { type Harness, startHarness } from './helpers/harness.js';
import { smsText } from './helpers/texts.js';

// The shop end to end over loopback: the order route → the SDK on SQLite → the real Bitrix24,
// Voximplant, SMS.ru and Telegram adapters → the simulators, whose records are asserted on.

let h: Harness;
afterEach(async () => {
  await h.close();
});

const wait = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000 });

describe('a lead from the order form through every service', () => {
  it('answered: partner found, lead created with every field, the call on the card, SMS, Telegram', async () => {
    h = await startHarness({ phones: { '79160000001': 'answers' } });
    const { status, body } = await h.order(
      {
        name: 'Анна',
        phone: '8 916 000-00-01',
        comment: 'Позвоните <после> 18:00',
        timezone: 'Asia/Yekaterinburg',
      },
      `utm_source=${DEMO_PARTNER.code}; utm_campaign=autumn`,
    );
    expect(status).toBe(202);
    expect(body.state).toBe('call.dialing');
    await h.until(body.leadId ?? '', 'crm.created call.answered');

    const { bitrix24, voximplant, sms, telegram } = h.sims;
    const [lead] = bitrix24.state.leads();
    expect(bitrix24.state.leads()).toHaveLength(1);
    expect(lead).toMatchObject({
      NAME: 'Анна',
      PHONE: [expect.objectContaining({ VALUE: '+79160000001', VALUE_TYPE: 'MOBILE' })],
      COMPANY_ID: '1',
      UTM_SOURCE: DEMO_PARTNER.code,
      UTM_CAMPAIGN: 'autumn',
      OPPORTUNITY: '4990.00',
      CURRENCY_ID: 'RUB',
      SOURCE_ID: 'WEB',
      ORIGIN_ID: `prozvon:${body.leadId}`,
    });
    expect(lead?.COMMENTS).toContain('Позвоните &lt;после&gt; 18:00');
    expect(lead?.COMMENTS).toContain('Часовой пояс: Asia/Yekaterinburg');
    expect(lead?.COMMENTS).toContain('IP: 127.0.0.1');
    expect(lead?.COMMENTS).toContain('Чайник «Самовар-мини» × 1');

    await wait(() => bitrix24.state.calls()[0]?.finished?.statusCode).toBe('200');
    expect(bitrix24.state.calls()).toHaveLength(1);
    expect(bitrix24.state.calls()[0]).toMatchObject({ crmEntityType: 'LEAD', crmEntityId: Number(lead?.ID) });

    expect(voximplant.state.calls.map((c) => [c.number, c.amdVerdict])).toEqual([['79160000001', 'HUMAN']]);
    expect(voximplant.state.calls[0]?.played[0]).toContain('Здравствуйте, Анна!');
    // The call was remembered in the shop's database, not in process memory: a restart between the
    // dial and the scenario's plan request does not cost the customer their call.
    const [session] = voximplant.state.sessions;
    const callId = String(JSON.parse(session?.customData ?? '{}').r);
    expect(await h.store.getPendingCall(callId)).toMatchObject({
      leadId: body.leadId,
      phone: '79160000001',
      customerName: 'Анна',
      sessionId: String(session?.sessionId),
    });
    // The scenario asked the shop's one voice route for its plan, then posted its signed result there.
    expect(voximplant.state.callbacks.map((r) => [r.method, new URL(r.url).pathname, r.code])).toEqual([
      ['POST', '/voice/callback', 200],
      ['POST', '/voice/callback', 200],
    ]);
    await wait(() => sms.state.sent().map((m) => [m.to, m.text])).toEqual([
      ['79160000001', smsText.answered('Анна')],
    ]);
    await wait(() => telegram.state.messages.length).toBe(1);
    expect(telegram.state.messages[0]?.text).toContain('Новый лид');
    expect(telegram.state.messages[0]?.text).toContain(DEMO_PARTNER.title);
    expect(telegram.state.messages[0]?.text).toContain(`Лид в CRM №${lead?.ID}`);
  });

  it('machine: one call, the machine SMS, no second call', async () => {
    h = await startHarness({ phones: { '79160000002': 'answering-machine' } });
    const { body } = await h.order({ name: 'Борис', phone: '+7 916 000-00-02' });
    await h.until(body.leadId ?? '', 'crm.created call.machine');
    await wait(() => h.sims.sms.state.sent().map((m) => m.text)).toEqual([smsText.machine('Борис')]);
    await wait(() => h.sims.bitrix24.state.calls()[0]?.finished?.statusCode).toBe('OTHER');
    expect(h.sims.voximplant.state.calls.map((c) => c.amdVerdict)).toEqual(['VOICEMAIL']);
    await h.clock.advance(60 * 60_000);
    expect(h.sims.voximplant.state.sessions).toHaveLength(1);
  });

  it('invalid number: the operator says it does not exist — done, no SMS, the failed call on the card', async () => {
    h = await startHarness({ phones: { '79160000006': 'does-not-exist' } });
    const { body } = await h.order({ name: 'Вера', phone: '+7 916 000-00-06' });
    await h.until(body.leadId ?? '', 'crm.created call.invalid');
    await wait(() => h.sims.bitrix24.state.calls()[0]?.finished?.statusCode).toBe('404');
    expect(h.sims.voximplant.state.calls.map((c) => c.failureCode)).toEqual([404]);
    expect(h.sims.sms.state.messages).toEqual([]);
  });

  it('unusable phone: never dialled, no SMS, the lead still reaches the CRM and the sellers', async () => {
    h = await startHarness();
    const { status, body } = await h.order({ name: 'Глеб', phone: '+7 916 000-00-01-99' });
    expect(status).toBe(202);
    expect(body.state).toBe('call.invalid');
    await h.until(body.leadId ?? '', 'crm.created call.invalid');
    expect(h.sims.bitrix24.state.leads()).toHaveLength(1);
    await wait(() => h.sims.telegram.state.messages.length).toBe(1);
    expect(h.sims.voximplant.state.sessions).toEqual([]);
    expect(h.sims.voximplant.state.apiRequests).toEqual([]);
    expect(h.sims.sms.state.messages).toEqual([]);
  });

  it('a second order with the same ref while the first is in progress → 409 naming it; one lead, one call', async () => {
    h = await startHarness({ phones: { '79160000004': 'no-answer' } });
    const first = await h.order({ name: 'Дина', phone: '+7 916 000-00-04', ref: 'page-load-1' });
    const second = await h.order({
      name: 'Дина',
      phone: '+7 916 000-00-04',
      ref: 'page-load-1',
      comment: 'ещё',
    });
    expect(first.status).toBe(202);
    expect(second).toEqual({ status: 409, body: { error: 'duplicate', leadId: first.body.leadId } });
    await h.until(first.body.leadId ?? '', 'crm.created call.nodial');
    expect(h.sims.bitrix24.state.leads()).toHaveLength(1);
    expect(h.sims.voximplant.state.sessions).toHaveLength(1);
  });

  it('with an inbound webhook (a shop’s usual access) each call is a comment on the lead, busy then answered', async () => {
    h = await startHarness({ phones: { '79160000005': 'busy' }, crmAuth: 'webhook' });
    const { body } = await h.order({ name: 'Ева', phone: '+7 916 000-00-05' });
    const leadId = body.leadId ?? '';
    await h.until(leadId, 'crm.created call.nodial');
    const comments = () => h.sims.bitrix24.state.comments().map((c) => c.comment);
    await wait(() => comments().length).toBe(2);
    expect(comments()[0]).toContain('Звонок Prozvon, попытка 1: нет ответа');
    expect(comments()[0]).toContain('Код оператора: 486');
    expect(h.sims.bitrix24.state.leads()[0]?.STATUS_ID).toBe('IN_PROCESS');
    expect(h.sims.bitrix24.state.calls()).toEqual([]);

    h.sims.voximplant.phone('79160000005', 'answers');
    await h.clock.advance(30 * 60_000);
    await h.until(leadId, 'crm.created call.answered');
    await wait(() => comments().length).toBe(3);
    expect(comments()[2]).toContain('Звонок Prozvon, попытка 2');
    expect(comments()[2]).toContain(`[prozvon:lead:${leadId}:call:2]`);
  });
});
