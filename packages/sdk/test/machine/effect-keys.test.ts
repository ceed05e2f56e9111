import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/machine/index.js';
import { ev, key, keys, LeadDriver, MINUTE, moscow, paramsOf } from './drive.js';

/** Acknowledges every card write as the worker would, until none is in flight (bounded, never loops). */
function drainCard(lead: LeadDriver, at: number): void {
  for (let round = 0; round < 20 && lead.context.crmWriting !== null; round++) {
    lead.send(ev.written(at, lead.context.crmWriting));
  }
  expect(lead.context.crmWriting).toBeNull();
}

function expectUniqueKeys(log: readonly Effect[]): void {
  const all = keys(log);
  const repeated = all.filter((k, i) => all.indexOf(k) !== i);
  expect(repeated).toEqual([]);
  for (const k of all) expect(k.startsWith(key(''))).toBe(true);
}

describe('effect keys are unique within one lead’s whole life', () => {
  it('night, three attempts through a timeout and a night retry, every notice switched on', () => {
    const arrival = moscow('2026-11-25T23:30:00');
    const lead = new LeadDriver({
      at: arrival,
      lead: { partnerCode: 'ivan', site: 'shop.example', orderSum: 990 },
      config: {
        notify: ['newLead', 'crmFailed', 'manual', 'callOutcome'],
        hours: { week: { thu: { from: '09:00', to: '10:00' } } },
      },
    });
    lead.send({
      type: 'PARTNER_FOUND',
      at: arrival + 1_000,
      partner: { id: '7', name: 'Иван', entity: 'company' },
    });

    let now = moscow('2026-11-26T09:00:00');
    lead.send(ev.wake(now));
    lead.send(ev.started(now + 1_000, 1));
    lead.send(ev.result(now + 40_000, 1, 'nodial'));
    // The CRM answers only now: the first call's writes go out after the lead exists.
    lead.send(ev.created(now + 50_000, '1001'));
    drainCard(lead, now + 60_000);

    now += 40_000 + 30 * MINUTE;
    lead.send(ev.wake(now));
    lead.send(ev.started(now + 1_000, 2));
    lead.send(ev.wake(now + 5 * MINUTE));
    lead.send(ev.reconciled(now + 6 * MINUTE, 2, 'nodial'));
    drainCard(lead, now + 7 * MINUTE);

    // 10:16: closed, so night again until Friday's 09:00; then the third attempt is answered.
    lead.send(ev.wake(now + 6 * MINUTE + 30 * MINUTE));
    expect(lead.call).toBe('call.night');
    now = moscow('2026-11-27T09:00:00');
    lead.send(ev.wake(now));
    lead.send(ev.started(now + 1_000, 3));
    lead.send(ev.result(now + 90_000, 3, 'answered'));
    drainCard(lead, now + 100_000);

    expect(lead.finished).toBe(true);
    expect(paramsOf(lead.log, 'dial').map((d) => d.key)).toEqual([
      key('dial:1'),
      key('dial:2'),
      key('dial:3'),
    ]);
    expect(paramsOf(lead.log, 'sendSms').map((s) => s.kind)).toEqual(['night', 'answered']);
    expect(lead.log.length).toBeGreaterThan(15);
    expectUniqueKeys(lead.log);
  });

  it('a CRM that refuses and a call that ends in manual', () => {
    const at = moscow('2026-11-25T12:00:00');
    const lead = new LeadDriver({
      at,
      config: { maxAttempts: 2, notify: ['crmFailed', 'manual', 'callOutcome'] },
    });
    lead.send(ev.crmFailed(at + 1_000, key('crm-create'), 'auth'));
    lead.send(ev.result(at + MINUTE, 1, 'nodial'));
    lead.send(ev.wake(at + 31 * MINUTE));
    lead.send(ev.started(at + 31 * MINUTE, 2));
    lead.send(ev.wake(at + 36 * MINUTE));
    lead.send(ev.reconciled(at + 37 * MINUTE, 2, null));
    expect(lead.call).toBe('call.manual');
    expect(lead.finished).toBe(true);
    expectUniqueKeys(lead.log);
  });
});
