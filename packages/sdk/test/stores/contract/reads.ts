import { describe, expect, it } from 'vitest';
import type { LeadStore } from '../../../src/ports/lead-store.js';
import { auditEntry, finish, newEffect, newLead, sameState, T0 } from '../lead-store-fixtures.js';

export function readsContract(store: () => LeadStore): void {
  describe('nextDueAt', () => {
    it('is null when nothing waits', async () => {
      expect(await store().nextDueAt()).toBeNull();
      await store().insertLead(newLead('idle'), [], []);
      expect(await store().nextDueAt()).toBeNull();
    });

    it('is the earliest of the unfinished leads’ wakeAt and the pending effects’ availableAt', async () => {
      await store().insertLead(
        newLead('l1', { wakeAt: T0 + 300 }),
        [newEffect('l1', 'a', { availableAt: T0 + 200 })],
        [],
      );
      await store().insertLead(newLead('l2', { wakeAt: T0 + 100 }), [], []);
      expect(await store().nextDueAt()).toBe(T0 + 100);

      await store().updateLead('l2', (lead) => finish(lead, T0));
      expect(await store().nextDueAt()).toBe(T0 + 200);

      await store().claimEffects(T0 + 200, 10, 'worker-a', 30_000);
      expect(await store().nextDueAt()).toBe(T0 + 300);
    });

    it('with `after`, is the earliest due strictly later than it', async () => {
      await store().insertLead(
        newLead('l1', { wakeAt: T0 + 100 }),
        [newEffect('l1', 'a', { availableAt: T0 + 50 }), newEffect('l1', 'b', { availableAt: T0 + 300 })],
        [],
      );
      await store().insertLead(newLead('l2', { wakeAt: T0 + 200 }), [], []);
      expect(await store().nextDueAt(T0 + 50)).toBe(T0 + 100);
      expect(await store().nextDueAt(T0 + 100)).toBe(T0 + 200);
      expect(await store().nextDueAt(T0 + 250)).toBe(T0 + 300);
      expect(await store().nextDueAt(T0 + 300)).toBeNull();
    });

    it('with `of`, looks at the leads’ wake-ups or the effects’ availability alone', async () => {
      await store().insertLead(
        newLead('l1', { wakeAt: T0 + 100 }),
        [newEffect('l1', 'a', { availableAt: T0 + 50 }), newEffect('l1', 'b', { availableAt: T0 + 300 })],
        [],
      );
      await store().insertLead(newLead('l2', { wakeAt: T0 + 200 }), [], []);
      expect(await store().nextDueAt(undefined, 'leads')).toBe(T0 + 100);
      expect(await store().nextDueAt(undefined, 'effects')).toBe(T0 + 50);
      expect(await store().nextDueAt(T0 + 100, 'leads')).toBe(T0 + 200);
      expect(await store().nextDueAt(T0 + 100, 'effects')).toBe(T0 + 300);
      expect(await store().nextDueAt(T0 + 200, 'leads')).toBeNull();
      expect(await store().nextDueAt(T0 + 200, 'all')).toBe(T0 + 300);
    });

    it('ignores finished leads even with a wakeAt', async () => {
      await store().insertLead(newLead('done', { wakeAt: T0, finished: true }), [], []);
      expect(await store().nextDueAt()).toBeNull();
    });
  });

  describe('recordAudit', () => {
    it('keeps entries about an id that names no lead, and returns them as its trail', async () => {
      await store().recordAudit([auditEntry('ghost', 1), auditEntry('ghost', 2)]);
      await store().recordAudit([auditEntry('other-ghost', 3)]);
      const trail = await store().getAudit('ghost');
      expect(trail.map((entry) => entry.detail)).toEqual([1, 2]);
      expect(trail.every((entry) => entry.leadId === 'ghost' && typeof entry.id === 'number')).toBe(true);
      expect(await store().getLead('ghost')).toBeNull();
    });

    it('adds to the trail of a lead that exists, after what is already there', async () => {
      await store().insertLead(newLead('l1'), [], [auditEntry('l1', 1)]);
      await store().recordAudit([auditEntry('l1', 2)]);
      await store().updateLead('l1', () => null, { audit: [auditEntry('l1', 3)] });
      expect((await store().getAudit('l1')).map((entry) => entry.detail)).toEqual([1, 2, 3]);
    });
  });

  describe('getAudit and getEffects', () => {
    it('returns the audit trail oldest first across inserts and updates', async () => {
      await store().insertLead(newLead('l1'), [], [auditEntry('l1', 1), auditEntry('l1', 2)]);
      await store().insertLead(newLead('l2'), [], [auditEntry('l2', 'other lead')]);
      await store().updateLead('l1', (lead) => sameState(lead, { audit: [auditEntry('l1', 4)] }), {
        audit: [auditEntry('l1', 3)],
      });

      const audit = await store().getAudit('l1');
      expect(audit.map((a) => a.detail)).toEqual([1, 2, 3, 4]);
      expect(audit.map((a) => a.id)).toEqual([...audit.map((a) => a.id)].sort((a, b) => a - b));
      expect(await store().getAudit('nope')).toEqual([]);
    });

    it('returns the effects of one lead in creation order', async () => {
      await store().insertLead(
        newLead('l1'),
        [newEffect('l1', 'b', { priority: T0 + 9 }), newEffect('l1', 'a')],
        [],
      );
      await store().insertLead(newLead('l2'), [newEffect('l2', 'other')], []);
      await store().updateLead('l1', (lead) => sameState(lead, { effects: [newEffect('l1', 'c')] }));

      expect((await store().getEffects('l1')).map((e) => e.kind)).toEqual(['b', 'a', 'c']);
      expect(await store().getEffects('nope')).toEqual([]);
    });
  });

  describe('stats', () => {
    it('counts unfinished leads by state, the waiting ones and the pending effects', async () => {
      await store().insertLead(newLead('a', { crmState: 'created', callState: 'night', wakeAt: T0 }), [], []);
      await store().insertLead(newLead('b', { crmState: 'created', callState: 'night', wakeAt: T0 }), [], []);
      await store().insertLead(newLead('c'), [newEffect('c', 'x'), newEffect('c', 'y')], []);
      await store().insertLead(
        newLead('d', { finished: true, crmState: 'created', callState: 'answered' }),
        [],
        [],
      );
      await store().claimEffects(T0, 1, 'worker-a', 30_000);

      expect(await store().stats()).toEqual({
        unfinished: 3,
        waiting: 2,
        byState: [
          { crmState: 'created', callState: 'night', count: 2 },
          { crmState: 'partnerLookup', callState: 'callable', count: 1 },
        ],
        pendingEffects: 1,
        refusals: [],
      });
    });

    it('is all zeros on an empty store', async () => {
      expect(await store().stats()).toEqual({
        unfinished: 0,
        waiting: 0,
        byState: [],
        pendingEffects: 0,
        refusals: [],
      });
    });
  });
}
