import { describe, expect, it } from 'vitest';
import { ev, key, LeadDriver, NOON, paramsOf, types } from './drive.js';

// A lead that already exists in the CRM (a web form, a seller's entry, the CRM's callback widget)
// runs through the same machine from `crm.created`, on that CRM lead.
const CRM = { crmLeadId: '4242', crmUrl: 'https://portal.example/crm/lead/details/4242/' };

describe('a lead adopted from the CRM', () => {
  it('starts crm.created with its CRM lead: no look-up, no creation, the dial leaves at once', () => {
    const lead = new LeadDriver({ adoptedFrom: CRM, lead: { partnerCode: 'ivan' } });

    expect(lead.crm).toBe('crm.created');
    expect(lead.call).toBe('call.dialing');
    expect(lead.context.crmLeadId).toBe('4242');
    expect(lead.context.crmUrl).toBe(CRM.crmUrl);
    expect(types(lead.started)).not.toContain('createCrmLead');
    expect(types(lead.started)).not.toContain('lookupPartner');
    expect(types(lead.started)).toEqual(['notify', 'dial']);
    expect(paramsOf(lead.started, 'notify')[0]?.notice).toMatchObject({
      kind: 'newLead',
      crmLeadId: '4242',
      crmUrl: CRM.crmUrl,
    });
  });

  it('records each call on the CRM lead it was adopted from, and finishes as usual', () => {
    const lead = new LeadDriver({ adoptedFrom: CRM, restoreEachStep: true });
    lead.send(ev.started(NOON + 1_000, 1));
    const result = lead.send(ev.result(NOON + 60_000, 1, 'answered'));

    expect(lead.call).toBe('call.answered');
    expect(types(result.effects)).toEqual(['sendSms', 'recordCall']);
    expect(paramsOf(result.effects, 'recordCall')[0]).toMatchObject({
      key: key('call:1'),
      crmLeadId: '4242',
      record: { attempt: 1, outcome: 'answered' },
    });
    expect(lead.finished).toBe(false);
    lead.send(ev.written(NOON + 61_000, key('call:1')));
    expect(lead.finished).toBe(true);
    expect(types(lead.log)).not.toContain('createCrmLead');
  });

  it('marks an unanswered call on that CRM lead and retries as usual', () => {
    const lead = new LeadDriver({ adoptedFrom: { crmLeadId: '4242' } });
    expect(lead.context.crmUrl).toBeNull();
    lead.send(ev.started(NOON + 1_000, 1));
    const result = lead.send(ev.result(NOON + 30_000, 1, 'nodial'));

    expect(lead.call).toBe('call.nodial');
    expect(types(result.effects)).toEqual(['recordCall']);
    lead.send(ev.written(NOON + 31_000, key('call:1')));
    expect(paramsOf(lead.log, 'markNoAnswer')).toEqual([
      expect.objectContaining({ key: key('no-answer:1'), crmLeadId: '4242' }),
    ]);
    expect(lead.context.callWakeAt).not.toBeNull();
  });

  it('a CRM_CREATED arriving anyway changes nothing', () => {
    const lead = new LeadDriver({ adoptedFrom: CRM });
    expect(lead.send(ev.created(NOON + 1, '9999')).unchanged).toBe(true);
    expect(lead.context.crmLeadId).toBe('4242');
  });

  it('a lead not adopted still starts by creating its CRM lead', () => {
    const lead = new LeadDriver();
    expect(lead.crm).toBe('crm.creating');
    expect(lead.context.crmLeadId).toBeNull();
    expect(types(lead.started)).toContain('createCrmLead');
  });
});
