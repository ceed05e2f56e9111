import { describe, expect, it } from 'vitest';
import type { CrmPartner } from '../../src/ports/index.js';
import { ev, key, LeadDriver, NOON, paramsOf, types } from './drive.js';

const partner: CrmPartner = { id: '77', name: 'Блогер Иван', entity: 'company' };

describe('crm region: partner lookup', () => {
  it('without a partner code goes straight to creating, with no lookup', () => {
    const lead = new LeadDriver();
    expect(lead.crm).toBe('crm.creating');
    expect(types(lead.started)).not.toContain('lookupPartner');
    const [create] = paramsOf(lead.started, 'createCrmLead');
    expect(create).toMatchObject({ key: key('crm-create'), crmKey: 'prozvon:L1', partner: null });
    expect(create?.phone).toBe('+79161234567');
    expect(create?.submittedAt).toBe(NOON);
  });

  it('with a code asks the CRM for the partner before creating anything', () => {
    const lead = new LeadDriver({ lead: { partnerCode: 'ivan' } });
    expect(lead.crm).toBe('crm.partnerLookup');
    expect(paramsOf(lead.started, 'lookupPartner')).toEqual([{ key: key('partner'), code: 'ivan' }]);
    expect(types(lead.started)).not.toContain('createCrmLead');
  });

  it.each([
    { name: 'a found partner is carried into the new lead', event: 'found', expected: partner },
    { name: 'an unknown code goes on without a partner', event: 'unknown', expected: null },
    { name: 'a permanent lookup failure goes on without a partner', event: 'failed', expected: null },
  ] as const)('$name', ({ event, expected }) => {
    const lead = new LeadDriver({ lead: { partnerCode: 'ivan' } });
    const step = lead.send(
      event === 'failed'
        ? ev.crmFailed(NOON + 1, key('partner'), 'permanent')
        : { type: 'PARTNER_FOUND', at: NOON + 1, partner: event === 'found' ? partner : null },
    );
    expect(lead.crm).toBe('crm.creating');
    expect(types(step.effects)).toEqual(['createCrmLead']);
    expect(paramsOf(step.effects, 'createCrmLead')[0]?.partner).toEqual(expected);
    expect(lead.context.partner).toEqual(expected);
  });
});

describe('crm region: authorization and permanent failures', () => {
  it.each([
    { name: 'auth failure on the lookup', partnerCode: 'ivan', failing: 'partner', code: 'auth' },
    { name: 'auth failure on the create', partnerCode: undefined, failing: 'crm-create', code: 'auth' },
    {
      name: 'permanent failure on the create',
      partnerCode: undefined,
      failing: 'crm-create',
      code: 'permanent',
    },
  ] as const)('$name → crm.manual, sellers told, the call goes on', ({ partnerCode, failing, code }) => {
    const lead = new LeadDriver({ lead: { partnerCode } });
    // Calling never waits for the CRM: the dial left with the very first decision.
    expect(lead.call).toBe('call.dialing');
    expect(types(lead.started)).toContain('dial');

    const step = lead.send(ev.crmFailed(NOON + 1, key(failing), code));
    expect(lead.crm).toBe('crm.manual');
    expect(types(step.effects)).toEqual(['notify']);
    expect(paramsOf(step.effects, 'notify')[0]).toEqual({
      key: key('notify:crm-failed'),
      notice: {
        kind: 'crmFailed',
        key: key('notify:crm-failed'),
        leadId: 'L1',
        customerName: 'Анна',
        phone: '+79161234567',
        reason: code,
        message: `${code} failure`,
      },
    });

    // The call region is untouched and carries on to its end.
    lead.send(ev.started(NOON + 2, 1));
    const answered = lead.send(ev.result(NOON + 60_000, 1, 'answered'));
    expect(lead.call).toBe('call.answered');
    expect(types(answered.effects)).toEqual(['sendSms']);
    expect(lead.finished).toBe(true);
  });

  it('crmFailed switched off in config: manual without a notice', () => {
    const lead = new LeadDriver({ config: { notify: ['newLead'] } });
    const step = lead.send(ev.crmFailed(NOON + 1, key('crm-create'), 'auth'));
    expect(lead.crm).toBe('crm.manual');
    expect(step.effects).toEqual([]);
  });
});

describe('crm region: the lead created', () => {
  it('keeps the id and tells the sellers: partner, site and sum', () => {
    const lead = new LeadDriver({
      lead: { partnerCode: 'ivan', site: 'shop.example', orderSum: 1500, currency: 'rub', city: 'Казань' },
    });
    lead.send({ type: 'PARTNER_FOUND', at: NOON + 1, partner });
    const step = lead.send(ev.created(NOON + 2, '1001'));
    expect(lead.crm).toBe('crm.created');
    expect(lead.context.crmLeadId).toBe('1001');
    expect(step.effects).toEqual([
      {
        type: 'notify',
        params: {
          key: key('notify:new-lead'),
          notice: {
            kind: 'newLead',
            key: key('notify:new-lead'),
            leadId: 'L1',
            customerName: 'Анна',
            phone: '+79161234567',
            crmLeadId: '1001',
            crmUrl: 'https://portal.example/crm/lead/details/1001/',
            city: 'Казань',
            partner: 'Блогер Иван',
            site: 'shop.example',
            orderSum: 1500,
            currency: 'RUB',
          },
        },
      },
    ]);
  });

  it('newLead switched off in config: created, nothing said', () => {
    const lead = new LeadDriver({ config: { notify: [] } });
    const step = lead.send(ev.created(NOON + 1));
    expect(lead.crm).toBe('crm.created');
    expect(step.effects).toEqual([]);
  });

  it('a repeated CRM_CREATED or PARTNER_FOUND changes nothing', () => {
    const lead = new LeadDriver();
    lead.send(ev.created(NOON + 1, '1001'));
    expect(lead.send(ev.created(NOON + 2, '1002')).unchanged).toBe(true);
    expect(lead.send({ type: 'PARTNER_FOUND', at: NOON + 3, partner }).unchanged).toBe(true);
    expect(lead.context.crmLeadId).toBe('1001');
  });
});
