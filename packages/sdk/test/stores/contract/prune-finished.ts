import { describe, expect, it } from 'vitest';
import type { LeadStore } from '../../../src/ports/lead-store.js';
import { auditEntry, finish, newEffect, newLead, T0 } from '../lead-store-fixtures.js';

const DAY = 86_400_000;

/** A lead submitted at `at` with an effect and an audit entry; finished when asked. */
async function seedLead(store: LeadStore, id: string, at: number, finished: boolean): Promise<void> {
  await store.insertLead(
    newLead(id, { submittedAt: at, ref: `ref-${id}`, bodyHash: `hash-${id}` }),
    [newEffect(id, 'crm', { availableAt: at })],
    [auditEntry(id, { submitted: id }, { at })],
  );
  if (finished) await store.updateLead(id, (lead) => finish(lead, at + 60_000));
}

export function pruneFinishedContract(store: () => LeadStore): void {
  describe('pruneFinished (retention)', () => {
    it('deletes the trail and outbox rows of finished leads submitted before the cut, oldest first, and keeps the leads', async () => {
      await seedLead(store(), 'old-1', T0, true);
      await seedLead(store(), 'old-2', T0 + 1, true);
      await seedLead(store(), 'old-live', T0, false);
      await seedLead(store(), 'new-done', T0 + 10 * DAY, true);
      const cut = T0 + 5 * DAY;

      expect(await store().pruneFinished(cut, 1)).toBe(1);
      expect(await store().getAudit('old-1')).toEqual([]);
      expect(await store().getEffects('old-1')).toEqual([]);
      expect(await store().getAudit('old-2')).not.toEqual([]);

      expect(await store().pruneFinished(cut, 10)).toBe(1);
      expect(await store().pruneFinished(cut, 10)).toBe(0);
      for (const id of ['old-1', 'old-2']) {
        expect(await store().getAudit(id)).toEqual([]);
        expect(await store().getEffects(id)).toEqual([]);
        // The lead stays, in its final states: the dashboard and the lead list still count it.
        expect(await store().getLead(id)).toMatchObject({ finished: true, callState: 'answered' });
      }
      // An unfinished lead and a newer one are left whole.
      for (const id of ['old-live', 'new-done']) {
        expect(await store().getAudit(id)).toHaveLength(1);
        expect(await store().getEffects(id)).toHaveLength(1);
      }
      expect((await store().listLeads('shop-1', { limit: 10 })).leads).toHaveLength(4);
    });

    it('prunes a lead once, even when it is finished later', async () => {
      await seedLead(store(), 'l1', T0, false);
      expect(await store().pruneFinished(T0 + DAY, 10)).toBe(0);
      await store().updateLead('l1', (lead) => finish(lead, T0 + 2 * DAY));
      expect(await store().pruneFinished(T0 + DAY, 10)).toBe(1);
      expect(await store().pruneFinished(T0 + DAY, 10)).toBe(0);
    });

    it('refuses a limit below 1 or a cut that is not a time', async () => {
      await expect(store().pruneFinished(T0, 0)).rejects.toThrow(RangeError);
      await expect(store().pruneFinished(Number.NaN, 10)).rejects.toThrow(RangeError);
    });
  });
}
