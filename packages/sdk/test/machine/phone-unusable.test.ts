import { describe, expect, it } from 'vitest';
import { ev, LeadDriver, moscow, NOON, paramsOf, types } from './drive.js';

// A phone the robot must not ring ends the call region at once: no SMS (it would not arrive, or
// would cost money abroad), no dial. The CRM lead is still created, with the phone as typed.
const rows: { name: string; phone: string; crmPhone?: string }[] = [
  { name: 'separators only', phone: '( ) -' },
  { name: 'letters', phone: 'позвоните мне' },
  { name: 'an extension', phone: '8 (916) 123-45-67 доб. 5' },
  { name: 'a foreign number (toll fraud)', phone: '+49 151 23456789' },
  { name: 'too long for +7', phone: '+7 916 123 45 678' },
  // A valid number, only not one we ring: the CRM gets it normalised.
  { name: 'premium rate +7 809', phone: '+7 809 123-45-67', crmPhone: '+78091234567' },
  { name: 'premium rate typed with 8', phone: '8 809 123 45 67', crmPhone: '+78091234567' },
];

describe('call region: phone unusable → call.invalid', () => {
  it.each(rows)('$name', ({ phone, crmPhone }) => {
    const lead = new LeadDriver({ lead: { phone } });
    expect(lead.call).toBe('call.invalid');
    expect(types(lead.started)).toEqual(['createCrmLead']);
    expect(lead.context.callWakeAt).toBeNull();
    expect(lead.context.attempt).toBe(0);
    // The sellers still get the lead, with the phone as typed when it is no number at all.
    expect(paramsOf(lead.started, 'createCrmLead')[0]?.phone).toBe(crmPhone ?? phone);
  });

  it.each(rows)('$name at night: still invalid, no night SMS', ({ phone }) => {
    const lead = new LeadDriver({ lead: { phone }, at: moscow('2026-11-25T23:30:00') });
    expect(lead.call).toBe('call.invalid');
    expect(types(lead.started)).toEqual(['createCrmLead']);
  });

  it('is final: a wake or a stray result changes nothing, and the lead is finished once created', () => {
    const lead = new LeadDriver({ lead: { phone: '+7 809 123-45-67' } });
    expect(lead.send(ev.wake(NOON + 60 * 60_000)).unchanged).toBe(true);
    expect(lead.send(ev.result(NOON + 60_000, 1, 'answered')).unchanged).toBe(true);
    expect(lead.finished).toBe(false);
    lead.send(ev.created(NOON + 1));
    expect(lead.finished).toBe(true);
    expect(types(lead.log)).not.toContain('dial');
    expect(types(lead.log)).not.toContain('sendSms');
  });
});
