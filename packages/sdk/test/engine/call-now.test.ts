import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { customer, MINUTE, NIGHT, startEngine, useStore } from './harness.js';

// "Call now" (issue 15): a seller asks for a waiting lead's next attempt at once. The engine
// applies it through the machine, on the audit trail with who asked; outside the hours it says
// why and when calls may start, and changes nothing.

type Harness = Awaited<ReturnType<typeof startEngine>>;
let h: Harness;
afterEach(async () => {
  await h?.engine.stop();
  await h?.store.close();
});

describe.each(['memory', 'sqlite'] as const)('callNow on the %s store', (kind) => {
  beforeAll(() => useStore(kind));

  it('a lead waiting to retry is dialled at once, and the audit trail names who asked', async () => {
    h = await startEngine({ config: { retryIntervalMinutes: 60 } });
    h.answerCalls('nodial');
    const { leadId } = await h.engine.submitLead(customer);
    expect((await h.lead(leadId)).callState).toBe('call.nodial');
    expect(h.voice.started).toHaveLength(1);

    expect(await h.engine.callNow('default', leadId, 'b24user:7')).toMatchObject({
      outcome: 'applied',
      callState: 'call.dialing',
    });
    await h.settle();
    expect(h.voice.started.map((call) => call.attempt)).toEqual([1, 2]);
    const audit = await h.store.getAudit(leadId);
    expect(audit.some((entry) => JSON.stringify(entry.detail).includes('"by":"b24user:7"'))).toBe(true);
  });

  it('outside the shop’s hours: nothing changes, the answer says why and when calls may start', async () => {
    h = await startEngine({ at: NIGHT });
    const { leadId } = await h.engine.submitLead(customer);
    expect((await h.lead(leadId)).callState).toBe('call.night');
    const outcome = await h.engine.callNow('default', leadId, 'b24user:7');
    // 23:30 Moscow: the default hours open at 09:00 the next morning (06:00 UTC).
    expect(outcome).toEqual({
      outcome: 'not_applicable',
      crmState: expect.any(String),
      callState: 'call.night',
      reason: 'outside_hours',
      nextWindowAt: Date.parse('2026-11-26T06:00:00Z'),
    });
    await h.settle();
    expect(h.voice.started).toEqual([]);
    const rejected = (await h.store.getAudit(leadId)).filter((entry) => entry.type === 'rejected');
    expect(rejected.map((entry) => entry.detail)).toEqual([
      expect.objectContaining({ event: 'CALL_NOW', by: 'b24user:7', reason: 'outside_hours' }),
    ]);
  });

  it('a lead not waiting for a call: not_waiting; another tenant’s lead: unknown', async () => {
    h = await startEngine();
    h.answerCalls('answered');
    const { leadId } = await h.engine.submitLead(customer);
    expect((await h.lead(leadId)).callState).toBe('call.answered');
    expect(await h.engine.callNow('default', leadId, 'b24user:7')).toMatchObject({
      outcome: 'not_applicable',
      reason: 'not_waiting',
    });
    expect(await h.engine.callNow('someone-else', leadId, 'b24user:7')).toEqual({ outcome: 'unknown_lead' });
    await h.clock.advance(60 * MINUTE);
    expect(h.voice.started).toHaveLength(1);
  });
});
