import { describe, expect, it } from 'vitest';
import type { LeadStore } from '../../../src/ports/lead-store.js';
import { finish, newLead, sameState, T0 } from '../lead-store-fixtures.js';

const LEASE = 30_000;

export function claimLeadsContract(store: () => LeadStore): void {
  describe('claimDueLeads', () => {
    it('claims due leads by wakeAt, then by submission, up to the limit', async () => {
      await store().insertLead(newLead('late', { wakeAt: T0 + 20, submittedAt: T0 - 100 }), [], []);
      await store().insertLead(newLead('second', { wakeAt: T0 + 10, submittedAt: T0 - 1 }), [], []);
      await store().insertLead(newLead('first', { wakeAt: T0 + 10, submittedAt: T0 - 2 }), [], []);
      await store().insertLead(newLead('future', { wakeAt: T0 + 31 }), [], []);

      const batch = await store().claimDueLeads(T0 + 30, 2, 'worker-a', LEASE);
      expect(batch.map((l) => l.id)).toEqual(['first', 'second']);
      expect((await store().claimDueLeads(T0 + 30, 10, 'worker-a', LEASE)).map((l) => l.id)).toEqual([
        'late',
      ]);
    });

    it('claims a lead whose wakeAt equals now, and never one without wakeAt or finished', async () => {
      await store().insertLead(newLead('now', { wakeAt: T0 }), [], []);
      await store().insertLead(newLead('idle', { wakeAt: null }), [], []);
      await store().insertLead(newLead('done', { wakeAt: T0 - 1, finished: true }), [], []);

      expect((await store().claimDueLeads(T0, 10, 'worker-a', LEASE)).map((l) => l.id)).toEqual(['now']);
    });

    it('claims nothing for a limit of zero or less', async () => {
      await store().insertLead(newLead('l1', { wakeAt: T0 }), [], []);
      expect(await store().claimDueLeads(T0, 0, 'worker-a', LEASE)).toEqual([]);
      expect(await store().claimDueLeads(T0, -1, 'worker-a', LEASE)).toEqual([]);
      expect((await store().getLead('l1'))?.leaseOwner).toBeNull();
    });

    it('leases what it claims until now + leaseMs, in the answer and in the store', async () => {
      await store().insertLead(newLead('l1', { wakeAt: T0 }), [], []);
      const [claimed] = await store().claimDueLeads(T0 + 1, 10, 'worker-a', LEASE);

      expect(claimed).toMatchObject({ id: 'l1', leaseOwner: 'worker-a', leaseUntil: T0 + 1 + LEASE });
      expect(await store().getLead('l1')).toEqual(claimed);
    });

    it('respects a live lease and lets another worker take it over once expired', async () => {
      await store().insertLead(newLead('l1', { wakeAt: T0 }), [], []);
      await store().claimDueLeads(T0, 10, 'worker-a', LEASE);

      expect(await store().claimDueLeads(T0 + LEASE - 1, 10, 'worker-b', LEASE)).toEqual([]);
      const [taken] = await store().claimDueLeads(T0 + LEASE, 10, 'worker-b', LEASE);
      expect(taken).toMatchObject({ id: 'l1', leaseOwner: 'worker-b', leaseUntil: T0 + 2 * LEASE });
    });

    it('frees the lease when a decision is applied', async () => {
      await store().insertLead(newLead('l1', { wakeAt: T0 }), [], []);
      await store().claimDueLeads(T0, 10, 'worker-a', LEASE);

      await store().updateLead('l1', (lead) => sameState(lead, { updatedAt: T0 + 1 }));
      expect(await store().getLead('l1')).toMatchObject({ leaseOwner: null, leaseUntil: null });
      // Still due (the decision kept wakeAt), so any worker may claim it at once.
      expect((await store().claimDueLeads(T0 + 1, 10, 'worker-b', LEASE)).map((l) => l.id)).toEqual(['l1']);
    });

    it('stops claiming a lead that a decision finished or moved to the future', async () => {
      await store().insertLead(newLead('l1', { wakeAt: T0 }), [], []);
      await store().insertLead(newLead('l2', { wakeAt: T0 }), [], []);
      await store().updateLead('l1', (lead) => finish(lead, T0));
      await store().updateLead('l2', (lead) => sameState(lead, { wakeAt: T0 + 1_000 }));

      expect(await store().claimDueLeads(T0 + 999, 10, 'worker-a', LEASE)).toEqual([]);
      expect((await store().claimDueLeads(T0 + 1_000, 10, 'worker-a', LEASE)).map((l) => l.id)).toEqual([
        'l2',
      ]);
    });
  });
}
