import { describe, expect, it } from 'vitest';
import { ev, key, LeadDriver, MINUTE, moscow, NOON, paramsOf, types } from './drive.js';

// A seller's "call now" (issue 15): a lead waiting for its next attempt, or for the shop's hours,
// is dialled at once — but only when a call is allowed at that instant.

describe('CALL_NOW: a waiting lead is called at once', () => {
  it('waiting to retry: the next attempt starts now, not at the retry interval', () => {
    const lead = new LeadDriver({ config: { retryIntervalMinutes: 30 } });
    lead.send(ev.started(NOON + 1_000, 1));
    lead.send(ev.result(NOON + MINUTE, 1, 'nodial'));
    expect(lead.call).toBe('call.nodial');
    expect(lead.context.callWakeAt).toBe(NOON + 31 * MINUTE);
    const step = lead.send(ev.callNow(NOON + 5 * MINUTE));
    expect(lead.call).toBe('call.dialing');
    expect(lead.context.attempt).toBe(2);
    expect(lead.context.callWakeAt).toBeNull();
    expect(types(step.effects)).toEqual(['dial']);
    expect(paramsOf(step.effects, 'dial')[0]?.key).toBe(key('dial:2'));
  });

  it('waiting for the shop’s hours: nothing changes while they are closed', () => {
    const late = moscow('2026-11-25T23:30:00');
    const lead = new LeadDriver({ at: late });
    expect(lead.call).toBe('call.night');
    expect(lead.send(ev.callNow(late + 10 * MINUTE)).unchanged).toBe(true);
    expect(lead.call).toBe('call.night');
  });

  it('waiting for the customer’s quiet hours to end: not called in them', () => {
    const at = moscow('2026-11-25T14:30:00'); // 21:30 in Vladivostok: its quiet hours
    const lead = new LeadDriver({ at, lead: { timezone: 'Asia/Vladivostok' } });
    expect(lead.call).toBe('call.night');
    expect(lead.send(ev.callNow(at + MINUTE)).unchanged).toBe(true);
  });

  it('waiting for hours that the shop has since opened (its settings changed): called now', () => {
    const late = moscow('2026-11-25T23:30:00');
    const lead = new LeadDriver({ at: late });
    const allDay = { from: '00:00', to: '24:00' };
    const week = {
      mon: allDay,
      tue: allDay,
      wed: allDay,
      thu: allDay,
      fri: allDay,
      sat: allDay,
      sun: allDay,
    };
    // The same waiting lead, decided by a machine of the open shop.
    const reopened = new LeadDriver({ at: late, config: { hours: { week, customerQuietHours: null } } });
    reopened.snapshot = reopened.machine.resolveState({
      value: lead.snapshot.value,
      context: lead.snapshot.context,
    });
    reopened.send(ev.callNow(late + MINUTE));
    expect(reopened.call).toBe('call.dialing');
  });

  it('changes nothing for a lead not waiting: dialling, awaiting its result, or done', () => {
    const lead = new LeadDriver();
    expect(lead.call).toBe('call.dialing');
    expect(lead.send(ev.callNow(NOON + 1_000)).unchanged).toBe(true);
    lead.send(ev.started(NOON + 2_000, 1));
    expect(lead.send(ev.callNow(NOON + 3_000)).unchanged).toBe(true);
    lead.send(ev.result(NOON + MINUTE, 1, 'answered'));
    expect(lead.send(ev.callNow(NOON + 2 * MINUTE)).unchanged).toBe(true);
  });
});
