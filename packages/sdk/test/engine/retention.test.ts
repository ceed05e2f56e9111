import { afterEach, describe, expect, it } from 'vitest';
import { LeadEngine, StaticTenants, silentLogger } from '../../src/engine/index.js';
import { MemoryLeadStore, SimulatedClock } from '../../src/testing/index.js';
import { customer, DAYTIME, MINUTE, NIGHT, recordingTenant, startEngine } from './harness.js';

const DAY = 24 * 60 * MINUTE;

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('retention: finished leads lose their trails after keepFinishedMs', () => {
  it('prunes a finished lead’s audit trail and outbox rows once it is old enough, and keeps the lead', async () => {
    const h = await startEngine({ engine: { keepFinishedMs: 2 * DAY } });
    stop = () => h.engine.stop();
    h.answerCalls('answered');
    const { leadId: done } = await h.engine.submitLead({ ...customer, ref: 'r-1' });
    await h.settle();
    expect((await h.lead(done)).finished).toBe(true);
    expect(await h.store.getAudit(done)).not.toEqual([]);

    await h.clock.advance(DAY); // a day old: kept
    await h.settle();
    expect(await h.store.getAudit(done)).not.toEqual([]);

    await h.clock.advance(DAY + 2 * 60 * MINUTE); // past two days, and the hourly pass ran
    await h.settle();
    expect(await h.store.getAudit(done)).toEqual([]);
    expect(await h.store.getEffects(done)).toEqual([]);
    expect(await h.lead(done)).toMatchObject({ finished: true, callState: 'call.answered' });
  });

  it('never prunes an unfinished lead, however old', async () => {
    // Submitted at night: the lead waits for the morning, unfinished, hours past a one-minute keep.
    const h = await startEngine({ at: NIGHT, engine: { keepFinishedMs: MINUTE } });
    stop = () => h.engine.stop();
    const { leadId } = await h.engine.submitLead({ ...customer, ref: 'r-2' });
    await h.settle();
    await h.clock.advance(3 * 60 * MINUTE);
    await h.settle();
    expect((await h.lead(leadId)).finished).toBe(false);
    expect(await h.store.getAudit(leadId)).not.toEqual([]);
  });

  it('keeps everything with keepFinishedMs: null, and refuses a keep of 0', async () => {
    const h = await startEngine({ engine: { keepFinishedMs: null } });
    stop = () => h.engine.stop();
    h.answerCalls('answered');
    const { leadId } = await h.engine.submitLead({ ...customer, ref: 'r-3' });
    await h.settle();
    await h.clock.advance(400 * DAY);
    await h.settle();
    expect(await h.store.getAudit(leadId)).not.toEqual([]);

    const tenants = new StaticTenants([recordingTenant('default')]);
    expect(
      () =>
        new LeadEngine(new MemoryLeadStore(), tenants, new SimulatedClock(DAYTIME), silentLogger(), {
          keepFinishedMs: 0,
        }),
    ).toThrow(/keepFinishedMs must be a positive number/);
  });
});
