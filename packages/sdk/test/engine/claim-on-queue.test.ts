import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EffectRow, StartCallRequest } from '../../src/ports/index.js';
import { customer, startEngine } from './harness.js';

type Harness = Awaited<ReturnType<typeof startEngine>>;
let h: Harness;
afterEach(async () => {
  await h?.engine.stop();
  await h?.store.close();
});

/** Holds every StartScenarios request open until the test releases it; records who was dialled. */
function holdCalls(harness: Harness) {
  const dialled: string[] = [];
  const open: (() => void)[] = [];
  harness.voice.startCall = async (request: StartCallRequest) => {
    dialled.push(request.leadId);
    await new Promise<void>((resolve) => open.push(resolve));
    return { sessionId: request.key };
  };
  return {
    dialled,
    releaseOne: () => open.shift()?.(),
    releaseAll: () => {
      for (const release of open.splice(0)) release();
    },
  };
}

describe.each(['memory', 'sqlite'] as const)(
  'effects claimed as they are queued, on the %s store',
  (store) => {
    it('performs a decision’s effects without claiming them from the outbox when their lanes have room', async () => {
      h = await startEngine({ store });
      const claimed: EffectRow[] = [];
      const claimEffects = h.store.claimEffects.bind(h.store);
      vi.spyOn(h.store, 'claimEffects').mockImplementation(async (...args) => {
        const rows = await claimEffects(...args);
        claimed.push(...rows);
        return rows;
      });
      h.answerCalls('answered');
      // Until the start's first claim finds the outbox empty, what was queued before may wait there.
      await h.settle();

      const { leadId } = await h.engine.submitLead(customer);
      // Committed claimed: started, leased to this instance, before anything was performed.
      expect(
        (await h.store.getEffects(leadId)).map((e) => [e.kind, e.status, e.attempts, e.leaseOwner]),
      ).toEqual([
        ['createCrmLead', 'started', 1, 'test'],
        ['dial', 'started', 1, 'test'],
      ]);
      await h.settle();

      const lead = await h.lead(leadId);
      expect([lead.crmState, lead.callState]).toEqual(['crm.created', 'call.answered']);
      expect(h.crm.leads.size).toBe(1);
      expect(h.voice.started).toHaveLength(1);
      expect(h.sms.sent).toHaveLength(1);
      expect((await h.store.getEffects(leadId)).every((e) => e.status === 'done')).toBe(true);
      expect(claimed).toEqual([]);
    });

    it('never lets a new lead’s dial overtake one waiting for the shop’s free slot', async () => {
      h = await startEngine({ store, config: { maxCallsInFlight: 1 } });
      const calls = holdCalls(h);
      const a = await h.engine.submitLead({ ...customer, name: 'A' });
      await h.settle();
      const b = await h.engine.submitLead({ ...customer, name: 'B' });
      const c = await h.engine.submitLead({ ...customer, name: 'C' });
      await h.settle();
      calls.releaseOne();
      await h.settle();
      expect(calls.dialled).toEqual([a.leadId, b.leadId]);

      // B's call is accepted and its slot freed: the engine asks the outbox for the next dial (C).
      // Right then a fourth lead arrives, before that claim runs: it must queue behind C, not take
      // the free slot as it is queued.
      let d: Promise<{ leadId: string }> | undefined;
      const claimEffects = h.store.claimEffects.bind(h.store);
      vi.spyOn(h.store, 'claimEffects').mockImplementation((...args) => {
        if (!d && args[5]?.only?.includes('dial')) d = h.engine.submitLead({ ...customer, name: 'D' });
        return claimEffects(...args);
      });
      calls.releaseOne();
      await h.settle();
      calls.releaseOne();
      await h.settle();
      calls.releaseAll();
      await h.settle();

      expect(calls.dialled).toEqual([a.leadId, b.leadId, c.leadId, (await d)?.leadId]);
    });

    it('gives back the slots it took for a write that failed', async () => {
      h = await startEngine({ store, config: { maxCallsInFlight: 1 } });
      await h.settle();
      vi.spyOn(h.store, 'insertLead').mockRejectedValueOnce(new Error('disk I/O error'));
      await expect(h.engine.submitLead(customer)).rejects.toThrow('disk I/O error');

      h.answerCalls('answered');
      const { leadId } = await h.engine.submitLead(customer);
      await h.settle();
      // Had the failed write kept its dial slot, the shop's only one, nobody would be rung again.
      expect(h.voice.started.map((request) => request.leadId)).toEqual([leadId]);
    });

    it('takes its slots once when the store runs a decision twice (a replayed transaction)', async () => {
      // One slot a lane: a slot kept by the first run would leave the SMS pending for ever.
      h = await startEngine({ store, engine: { maxEffectsInFlight: 1 } });
      await h.settle();
      const updateLead = h.store.updateLead.bind(h.store);
      vi.spyOn(h.store, 'updateLead').mockImplementation((leadId, decide, options) =>
        updateLead(
          leadId,
          (lead) => {
            decide(lead);
            return decide(lead);
          },
          options,
        ),
      );
      h.answerCalls('answered');
      const { leadId } = await h.engine.submitLead(customer);
      await h.settle();

      // The answer's decision queued the SMS and the card's call record, each claimed as queued.
      expect(h.sms.sent.map((sms) => sms.key)).toEqual([`lead:${leadId}:sms:answered`]);
      expect(h.crm.calls).toHaveLength(1);
      expect((await h.store.getEffects(leadId)).every((e) => e.status === 'done')).toBe(true);
    });

    it('frees a dial’s pacing slot once the request is answered, before its result is written', async () => {
      h = await startEngine({ store, config: { maxCallsInFlight: 1 } });
      await h.settle();
      // The first lead's DIAL_STARTED write waits until the second lead has been rung.
      let secondRung: () => void = () => {};
      const rung = new Promise<void>((resolve) => {
        secondRung = resolve;
      });
      const updateLead = h.store.updateLead.bind(h.store);
      let held = false;
      vi.spyOn(h.store, 'updateLead').mockImplementation(async (leadId, decide, options) => {
        if (!held && options?.audit?.[0]?.key?.includes(':dial:')) {
          held = true;
          await rung;
        }
        return updateLead(leadId, decide, options);
      });
      h.voice.onStart = () => {
        if (h.voice.started.length === 2) secondRung();
      };
      await h.engine.submitLead({ ...customer, name: 'A' });
      await h.engine.submitLead({ ...customer, name: 'B' });
      await h.settle();

      expect(held).toBe(true);
      expect(h.voice.started).toHaveLength(2);
    });
  },
);
