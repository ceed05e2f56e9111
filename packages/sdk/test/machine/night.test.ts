import { describe, expect, it } from 'vitest';
import { ev, key, LeadDriver, MINUTE, moscow, paramsOf, types } from './drive.js';

const LATE = moscow('2026-11-25T23:30:00');
const MORNING = moscow('2026-11-26T09:00:00');

describe('call region: outside working hours', () => {
  it('23:30 Moscow → night, one night SMS, a wake at exactly 09:00 Moscow', () => {
    const lead = new LeadDriver({ at: LATE, lead: { orderSum: 1500 } });
    expect(lead.call).toBe('call.night');
    expect(types(lead.started).sort()).toEqual(['createCrmLead', 'sendSms']);
    expect(paramsOf(lead.started, 'sendSms')).toEqual([
      {
        key: key('sms:night'),
        kind: 'night',
        phone: '+79161234567',
        text: 'Анна, заказ в «Магазин» принят. Мы позвоним вам в рабочее время.',
      },
    ]);
    expect(lead.context.callWakeAt).toBe(MORNING);
    expect(lead.context.nightSmsSent).toBe(true);
  });

  it.each([
    { name: 'long before', at: LATE + 60 * MINUTE },
    { name: 'one millisecond before', at: MORNING - 1 },
  ])('a WAKE $name the window changes nothing', ({ at }) => {
    const lead = new LeadDriver({ at: LATE });
    const before = lead.snapshot;
    const step = lead.send(ev.wake(at));
    expect(step).toEqual({ effects: [], unchanged: true });
    expect(lead.snapshot).toBe(before);
  });

  it.each([
    { name: 'exactly at', at: MORNING },
    { name: 'late (the process was down)', at: MORNING + 17 * MINUTE },
  ])('a WAKE $name the window dials attempt 1', ({ at }) => {
    const lead = new LeadDriver({ at: LATE });
    const step = lead.send(ev.wake(at));
    expect(lead.call).toBe('call.dialing');
    expect(types(step.effects)).toEqual(['dial']);
    expect(paramsOf(step.effects, 'dial')[0]).toMatchObject({ key: key('dial:1'), attempt: 1 });
    // No callback timeout until the dial has left (DIAL_STARTED): a queued dial is never timed out.
    expect(lead.context.callWakeAt).toBeNull();
  });

  it('an empty night text switches the SMS off but still waits for the window', () => {
    const lead = new LeadDriver({ at: LATE, config: { sms: { night: '' } } });
    expect(lead.call).toBe('call.night');
    expect(types(lead.started)).toEqual(['createCrmLead']);
    expect(lead.context.callWakeAt).toBe(MORNING);
  });

  it("a Vladivostok customer of a Moscow shop: the shop is open, the customer's night is not", () => {
    // 14:30 Moscow is 21:30 in Vladivostok (UTC+10), inside the default quiet hours 21:00–09:00.
    const at = moscow('2026-11-25T14:30:00');
    const lead = new LeadDriver({ at, lead: { timezone: 'Asia/Vladivostok' } });
    expect(lead.call).toBe('call.night');
    expect(paramsOf(lead.started, 'sendSms').map((sms) => sms.kind)).toEqual(['night']);
    // Quiet hours end at 02:00 Moscow, when the shop is still closed: the window is the shop's 09:00.
    expect(lead.context.callWakeAt).toBe(MORNING);

    // The same instant for a Moscow customer is an ordinary daytime call.
    const local = new LeadDriver({ at, lead: { timezone: 'Europe/Moscow' } });
    expect(local.call).toBe('call.dialing');
  });

  it('a shop with no window in the next 14 days → manual at once, sellers told', () => {
    const closed = { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null };
    const lead = new LeadDriver({ at: LATE, config: { hours: { week: closed } } });
    expect(lead.call).toBe('call.manual');
    // The two regions enter side by side: their effects come in no promised order.
    expect(types(lead.started).sort()).toEqual(['createCrmLead', 'notify']);
    expect(paramsOf(lead.started, 'notify')[0]?.notice).toMatchObject({
      kind: 'manual',
      reason: 'no_call_window',
    });
    expect(lead.context.callWakeAt).toBeNull();
  });
});
