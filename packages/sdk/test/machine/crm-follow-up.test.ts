import { describe, expect, it } from 'vitest';
import { ev, key, LeadDriver, MINUTE, NOON, paramsOf, types } from './drive.js';

const RETRY = 30 * MINUTE;

/** Three attempts (nodial, nodial, answered) made while the CRM is still creating the lead. */
function callsBeforeTheCrm() {
  const lead = new LeadDriver();
  lead.send(ev.result(NOON + MINUTE, 1, 'nodial'));
  lead.send(ev.wake(NOON + MINUTE + RETRY));
  lead.send(ev.result(NOON + 2 * MINUTE + RETRY, 2, 'nodial'));
  lead.send(ev.wake(NOON + 2 * MINUTE + 2 * RETRY));
  lead.send(ev.result(NOON + 3 * MINUTE + 2 * RETRY, 3, 'answered'));
  expect(lead.call).toBe('call.answered');
  expect(lead.crm).toBe('crm.creating');
  expect(types(lead.log).filter((type) => type === 'recordCall' || type === 'markNoAnswer')).toEqual([]);
  return lead;
}

const CARD_ORDER = ['call:1', 'no-answer:1', 'call:2', 'no-answer:2', 'call:3'].map(key);

describe('crm follow-up: call outcomes on the lead card', () => {
  it('outcomes that came before the CRM lead are written after it, in order, one at a time', () => {
    const lead = callsBeforeTheCrm();
    const at = NOON + 2 * 60 * MINUTE;
    const written: string[] = [];
    let step = lead.send(ev.created(at, '1001'));
    // Bounded, so that a machine that kept naming writes fails here instead of looping.
    while (written.length <= CARD_ORDER.length) {
      const writes = step.effects.filter((e) => e.type === 'recordCall' || e.type === 'markNoAnswer');
      expect(writes.length).toBeLessThanOrEqual(1);
      const [write] = writes;
      if (write === undefined) break;
      expect(write.params).toMatchObject({ crmLeadId: '1001' });
      expect(lead.finished).toBe(false);
      // Nothing else is written while this one is in flight.
      expect(lead.context.crmWriting).toBe(write.params.key);
      expect(lead.send(ev.wake(at + 1)).effects).toEqual([]);
      written.push(write.params.key);
      step = lead.send(ev.written(at + written.length, write.params.key));
    }
    expect(written).toEqual(CARD_ORDER);
    expect(paramsOf(lead.log, 'markNoAnswer').map((w) => w.record.attempt)).toEqual([1, 2]);
    expect(lead.finished).toBe(true);
  });

  it('a card write the CRM refused for good is skipped for the next', () => {
    const lead = callsBeforeTheCrm();
    lead.send(ev.created(NOON + 3 * 60 * MINUTE, '1001'));
    const step = lead.send(ev.crmFailed(NOON + 3 * 60 * MINUTE, key('call:1')));
    expect(lead.crm).toBe('crm.created');
    expect(step.effects).toEqual([
      expect.objectContaining({
        type: 'markNoAnswer',
        params: expect.objectContaining({ key: key('no-answer:1') }),
      }),
    ]);
  });

  it('a repeated or unknown CRM_WRITTEN releases nothing and writes nothing twice', () => {
    const lead = callsBeforeTheCrm();
    const at = NOON + 3 * 60 * MINUTE;
    lead.send(ev.created(at, '1001'));
    lead.send(ev.written(at, key('call:1')));
    expect(lead.context.crmWriting).toBe(key('no-answer:1'));
    for (const stale of [key('call:1'), key('call:9'), key('crm-create'), key('partner')]) {
      expect(lead.send(ev.written(at + 1, stale))).toEqual({ effects: [], unchanged: true });
      expect(lead.context.crmWriting).toBe(key('no-answer:1'));
    }
    const keysWritten = [...paramsOf(lead.log, 'recordCall'), ...paramsOf(lead.log, 'markNoAnswer')].map(
      (w) => w.key,
    );
    expect(new Set(keysWritten).size).toBe(keysWritten.length);
  });

  it('an outcome arriving while a write is in flight waits its turn', () => {
    const lead = new LeadDriver();
    lead.send(ev.created(NOON + 100, '1001'));
    const first = lead.send(ev.result(NOON + MINUTE, 1, 'nodial'));
    expect(paramsOf(first.effects, 'recordCall').map((w) => w.key)).toEqual([key('call:1')]);
    lead.send(ev.wake(NOON + MINUTE + RETRY));
    const second = lead.send(ev.result(NOON + 2 * MINUTE + RETRY, 2, 'answered'));
    // call:1 is still being written: the answered call and the SMS do not wait, the card does.
    expect(types(second.effects)).toEqual(['sendSms']);
    expect(lead.context.crmQueue.map((w) => `${w.kind}:${w.record.attempt}`)).toEqual([
      'markNoAnswer:1',
      'recordCall:2',
    ]);
  });

  it('a lead whose CRM went manual is finished once the call is done, whatever is queued', () => {
    const lead = new LeadDriver();
    lead.send(ev.result(NOON + MINUTE, 1, 'answered'));
    expect(lead.finished).toBe(false);
    lead.send(ev.crmFailed(NOON + 2 * MINUTE, key('crm-create'), 'auth'));
    expect(lead.crm).toBe('crm.manual');
    expect(lead.finished).toBe(true);
  });

  it('not finished while the call region still waits, even with the card written', () => {
    const lead = new LeadDriver();
    lead.send(ev.created(NOON + 100, '1001'));
    lead.send(ev.result(NOON + MINUTE, 1, 'nodial'));
    lead.send(ev.written(NOON + MINUTE + 1, key('call:1')));
    lead.send(ev.written(NOON + MINUTE + 2, key('no-answer:1')));
    expect(lead.context.crmQueue).toEqual([]);
    expect(lead.context.crmWriting).toBeNull();
    expect(lead.call).toBe('call.nodial');
    expect(lead.finished).toBe(false);
  });
});

describe('crm follow-up: stale CRM events', () => {
  it('a repeated partner-lookup failure while creating does not send the lead to manual', () => {
    // Results come back at least once: the look-up's failure may be delivered twice.
    const lead = new LeadDriver({ lead: { partnerCode: 'ivan' } });
    lead.send(ev.crmFailed(NOON + 1, key('partner'), 'permanent'));
    expect(lead.crm).toBe('crm.creating');
    expect(lead.send(ev.crmFailed(NOON + 2, key('partner'), 'permanent')).unchanged).toBe(true);
    expect(lead.crm).toBe('crm.creating');
  });

  it('a CRM_FAILED for another effect while looking up the partner changes nothing', () => {
    const lead = new LeadDriver({ lead: { partnerCode: 'ivan' } });
    expect(lead.send(ev.crmFailed(NOON + 1, key('call:1'), 'auth')).unchanged).toBe(true);
    expect(lead.crm).toBe('crm.partnerLookup');
  });
});
