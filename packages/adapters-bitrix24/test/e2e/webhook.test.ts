import type { CallRecord } from '@prozvon/sdk';
import { AuthError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { createBitrix24Crm } from '../../src/index.js';
import { countRequests, leadRequest, startSim } from './helpers.js';

const requests = countRequests();

const call = (overrides: Partial<CallRecord> = {}): CallRecord => ({
  key: 'lead:1:call:1',
  attempt: 1,
  phone: '+79161234567',
  outcome: 'answered',
  startedAt: Date.UTC(2026, 10, 25, 9, 31),
  durationSec: 42,
  recordingUrl: 'https://records.example/1.mp3',
  ...overrides,
});

// SDK users connect a portal with an inbound webhook: CRM works, telephony does not (WRONG_AUTH_TYPE),
// so calls become timeline comments.
describe('Bitrix24 CRM over an inbound webhook, against the simulator', () => {
  it('finds the partner, creates the lead once with every field, and logs calls as comments', async () => {
    const sim = await startSim();
    const portal = sim.portal();
    const companyId = portal.seedCompany({ TITLE: 'ООО Партнёр', UF_CRM_PROZVON_REF: 'p-42' });
    const crm = createBitrix24Crm({ auth: { type: 'webhook', url: sim.webhookUrl() } });

    const partner = await crm.findPartner('p-42');
    expect(partner).toEqual({ id: String(companyId), name: 'ООО Партнёр', entity: 'company' });
    expect(await crm.findPartner('nobody')).toBeNull();

    const request = leadRequest({ partner });
    const ref = await crm.createLead(request);
    const again = await crm.createLead(request);
    expect(again).toEqual(ref);
    expect(await crm.findLeadByKey(request.key)).toEqual(ref);
    expect(ref.url).toBe(`${sim.url}/crm/lead/details/${ref.id}/`);

    const leads = sim.state.leads();
    expect(leads).toHaveLength(1);
    const lead = leads[0];
    expect(lead).toMatchObject({
      ID: ref.id,
      TITLE: 'Заявка: Анна <b>Иванова</b> (shop.example)',
      NAME: 'Анна <b>Иванова</b>',
      ADDRESS_CITY: 'Екатеринбург',
      SOURCE_ID: 'WEB',
      SOURCE_DESCRIPTION: 'Prozvon, shop.example, партнёр p-42',
      UTM_SOURCE: 'p-42',
      UTM_MEDIUM: 'referral',
      UTM_CAMPAIGN: 'autumn',
      UTM_CONTENT: 'banner',
      UTM_TERM: 'kettle',
      OPPORTUNITY: '1500.50',
      CURRENCY_ID: 'RUB',
      COMPANY_ID: String(companyId),
      ORIGINATOR_ID: 'prozvon',
      ORIGIN_ID: request.key,
    });
    expect(lead?.PHONE).toEqual([expect.objectContaining({ VALUE: '+79161234567', VALUE_TYPE: 'MOBILE' })]);
    expect(String(lead?.COMMENTS)).toContain('Чайник &amp; чашки × 2, 750.25');
    expect(String(lead?.COMMENTS)).toContain('Часовой пояс: Asia/Yekaterinburg');

    await crm.recordCall(ref.id, call());
    await crm.recordCall(
      ref.id,
      call({ key: 'lead:1:call:2', attempt: 2, outcome: 'nodial', failureCode: 486 }),
    );
    await crm.markNoAnswer(ref.id, call({ key: 'lead:1:call:2', attempt: 2, outcome: 'nodial' }));
    const comments = sim.state.comments().map((c) => c.comment);
    expect(comments).toHaveLength(3);
    expect(comments[0]).toContain('клиент ответил');
    expect(comments[0]).toContain('Запись: https://records.example/1.mp3');
    expect(comments[0]).toContain('[prozvon:lead:1:call:1]');
    expect(comments[1]).toContain('Код оператора: 486');
    expect(comments[2]).toContain('Нет ответа (попытка 2');
    expect(sim.state.leads()[0]).toMatchObject({ STATUS_ID: 'IN_PROCESS' });
    expect(sim.state.calls()).toEqual([]);
    // Sequential calls, so nothing coalesces: partner 2, create 2 + 1, find 1, calls 2, no answer 1.
    expect(requests.paths).toHaveLength(9);
    expect(requests.paths.every((path) => path.endsWith('/batch'))).toBe(true);
  });

  it('refuses a deleted webhook with AuthError', async () => {
    const sim = await startSim();
    const crm = createBitrix24Crm({ auth: { type: 'webhook', url: `${sim.url}/rest/1/nosuchsecret/` } });
    await expect(crm.findPartner('p-42')).rejects.toBeInstanceOf(AuthError);
  });
});
