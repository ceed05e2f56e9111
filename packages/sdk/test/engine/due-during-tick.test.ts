import { afterEach, describe, expect, it } from 'vitest';
import { customer, startEngine } from './harness.js';

type Harness = Awaited<ReturnType<typeof startEngine>>;
let h: Harness;
afterEach(async () => {
  await h?.engine.stop();
  await h?.store.close();
});

describe.each(['memory', 'sqlite'] as const)(
  'a lead falling due while the scheduler works (%s store)',
  (store) => {
    it('is woken right after that tick, not at the next 5-second sweep', async () => {
      h = await startEngine({ store });
      h.answerCalls('nodial');
      const first = await h.engine.submitLead({ ...customer, name: 'Первый' });
      await h.clock.advance(1_000);
      const second = await h.engine.submitLead({ ...customer, name: 'Второй' });
      await h.settle();
      const firstWake = (await h.lead(first.leadId)).wakeAt ?? 0;
      const secondWake = (await h.lead(second.leadId)).wakeAt ?? 0;
      expect(secondWake - firstWake).toBe(1_000);

      // The claim of the first wake-up takes two seconds: when the tick ends, the second lead has
      // been due for a second, and nothing has claimed it.
      const base = h.clock.now.bind(h.clock);
      let slowBy = 0;
      h.clock.now = () => base() + slowBy;
      const claim = h.store.claimDueLeads.bind(h.store);
      h.store.claimDueLeads = async (...args) => {
        const claimed = await claim(...args);
        if (claimed.some((lead) => lead.id === first.leadId)) slowBy = 2_000;
        return claimed;
      };

      // No time passes beyond the first wake-up (plus the slow claim's two seconds): the old
      // scheduler left the second lead to its 5-second sweep.
      await h.clock.advanceTo(firstWake);
      await h.clock.advance(0);
      const retries = h.voice.started.filter((call) => call.attempt === 2).map((call) => call.leadId);
      expect(retries).toEqual([first.leadId, second.leadId]);
      expect(h.clock.now() - secondWake).toBe(1_000);
    });
  },
);
