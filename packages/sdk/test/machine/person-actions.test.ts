import { describe, expect, it } from 'vitest';
import { ev, key, LeadDriver, MINUTE, NOON, paramsOf, types } from './drive.js';

// What a person may ask of a lead (issue 13, defect 13): send it to the CRM again once the token is
// fixed, or stop calling it. And what the provider may answer: it will not place the call (12).

describe('RETRY_CRM: a lead the CRM refused goes to the CRM again', () => {
  it('from crm.manual: a new create under a new effect key, the same CRM key (ORIGIN_ID)', () => {
    const lead = new LeadDriver();
    lead.send(ev.crmFailed(NOON + 1_000, key('crm-create'), 'auth'));
    expect(lead.crm).toBe('crm.manual');
    const step = lead.send(ev.retryCrm(NOON + 60 * MINUTE));
    expect(lead.crm).toBe('crm.creating');
    expect(types(step.effects)).toEqual(['createCrmLead']);
    const [create] = paramsOf(step.effects, 'createCrmLead');
    expect(create?.key).toBe(key('crm-create:2'));
    expect(create?.crmKey).toBe('prozvon:L1');
    // A second refusal of the retried create is recognised as its own.
    lead.send(ev.crmFailed(NOON + 61 * MINUTE, key('crm-create:2'), 'permanent'));
    expect(lead.crm).toBe('crm.manual');
  });

  it('changes nothing where the CRM lead exists or is being created', () => {
    const lead = new LeadDriver();
    expect(lead.send(ev.retryCrm(NOON + MINUTE)).unchanged).toBe(true);
    lead.send(ev.created(NOON + 2 * MINUTE));
    expect(lead.send(ev.retryCrm(NOON + 3 * MINUTE)).unchanged).toBe(true);
  });
});

describe('CANCEL: stop calling', () => {
  it.each([
    ['dialing', (lead: LeadDriver) => lead],
    ['awaitingResult', (lead: LeadDriver) => (lead.send(ev.started(NOON + 1_000, 1)), lead)],
    ['nodial', (lead: LeadDriver) => (lead.send(ev.result(NOON + MINUTE, 1, 'nodial')), lead)],
  ] as const)(
    'from %s: the call region goes to manual with the reason, nothing more is dialled',
    (_, reach) => {
      const lead = reach(new LeadDriver());
      const step = lead.send(ev.cancel(NOON + 2 * MINUTE));
      expect(lead.call).toBe('call.manual');
      expect(lead.context.manualReason).toBe('cancelled');
      expect(lead.context.callWakeAt).toBeNull();
      expect(types(step.effects)).toEqual([]);
      expect(lead.send(ev.wake(NOON + 90 * MINUTE)).unchanged).toBe(true);
    },
  );

  it('from a final call state: nothing changes', () => {
    const lead = new LeadDriver();
    lead.send(ev.result(NOON + MINUTE, 1, 'answered'));
    expect(lead.send(ev.cancel(NOON + 2 * MINUTE)).unchanged).toBe(true);
  });

  it('scope all (the tenant removed): the CRM region stops too, and the lead is finished', () => {
    const lead = new LeadDriver({ lead: { partnerCode: 'P1' } });
    expect(lead.crm).toBe('crm.partnerLookup');
    lead.send(ev.cancel(NOON + MINUTE, 'all'));
    expect([lead.crm, lead.call, lead.finished]).toEqual(['crm.manual', 'call.manual', true]);
  });
});

describe('a refused call (no balance, a blocked number)', () => {
  it('goes to manual at once, the sellers told with the provider’s words; no retry, no SMS', () => {
    const lead = new LeadDriver();
    lead.send(ev.started(NOON + 1_000, 1));
    const step = lead.send(
      ev.result(NOON + 2_000, 1, 'refused', { failureCode: 402, detail: 'Insufficient funds' }),
    );
    expect(lead.call).toBe('call.manual');
    expect(lead.context.manualReason).toBe('provider_refused');
    expect(types(step.effects)).toEqual(['notify']);
    expect(paramsOf(step.effects, 'notify')[0]?.notice).toMatchObject({
      kind: 'manual',
      reason: 'provider_refused',
      detail: 'Insufficient funds',
    });
    expect(lead.send(ev.wake(NOON + 60 * MINUTE)).unchanged).toBe(true);
  });
});
