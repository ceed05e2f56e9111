import { describe, expect, it } from 'vitest';
import type { LeadStore } from '../../../src/ports/lead-store.js';
import { newEffect, newLead, sameState, T0 } from '../lead-store-fixtures.js';

const LEASE = 30_000;
const claim = { owner: 'worker-a', leaseUntil: T0 + LEASE };

export function claimOnQueueContract(store: () => LeadStore): void {
  describe('effects claimed as they are queued', () => {
    it('insertLead stores a claimed effect started, leased, at its first attempt, and returns it', async () => {
      const result = await store().insertLead(
        newLead('l1'),
        [newEffect('l1', 'dial', { paid: true, claim }), newEffect('l1', 'createCrmLead')],
        [],
      );

      const [dial, crm] = await store().getEffects('l1');
      expect(dial).toMatchObject({
        kind: 'dial',
        status: 'started',
        attempts: 1,
        leaseOwner: 'worker-a',
        leaseUntil: T0 + LEASE,
        paid: true,
        params: { name: 'dial' },
      });
      expect(crm).toMatchObject({ status: 'pending', attempts: 0, leaseOwner: null });
      // What the writer performs is the row as stored, no more and no less.
      expect(result).toEqual({ inserted: true, claimed: [dial] });
      expect(dial).not.toHaveProperty('claim');
    });

    it('updateLead stores claimed effects and returns them in the order given', async () => {
      await store().insertLead(newLead('l1'), [], []);
      const written = await store().updateLead('l1', (lead) =>
        sameState(lead, {
          updatedAt: T0 + 5,
          effects: [
            newEffect('l1', 'sendSms', { paid: true, claim }),
            newEffect('l1', 'notify'),
            newEffect('l1', 'recordCall', { claim }),
          ],
        }),
      );

      const stored = await store().getEffects('l1');
      expect(stored.map((e) => [e.kind, e.status])).toEqual([
        ['sendSms', 'started'],
        ['notify', 'pending'],
        ['recordCall', 'started'],
      ]);
      expect(written?.claimed).toEqual([stored[0], stored[2]]);
      expect(written?.claimed[0]?.createdAt).toBe(T0 + 5);
    });

    it('claims nothing when the key is already queued, and leaves that row as it was', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'dial', { paid: true })], []);
      const written = await store().updateLead('l1', (lead) =>
        sameState(lead, { effects: [newEffect('l1', 'dial', { paid: true, claim })] }),
      );

      expect(written?.claimed).toEqual([]);
      expect(await store().getEffects('l1')).toMatchObject([
        { kind: 'dial', status: 'pending', attempts: 0, leaseOwner: null },
      ]);
    });

    it('is not claimed again while its lease holds, as if claimEffects had taken it', async () => {
      await store().insertLead(
        newLead('l1'),
        [newEffect('l1', 'createCrmLead', { claim }), newEffect('l1', 'dial', { paid: true, claim })],
        [],
      );

      expect(await store().claimEffects(T0 + 1, 10, 'worker-b', LEASE)).toEqual([]);
      // The writer died: an idempotent effect is taken over, a paid one never sent twice.
      const later = await store().claimEffects(T0 + LEASE, 10, 'worker-b', LEASE);
      expect(later.map((e) => [e.kind, e.attempts, e.leaseOwner])).toEqual([
        ['createCrmLead', 2, 'worker-b'],
      ]);
    });

    it('counts as pending nowhere: nextDueAt sees only its lease expiry, stats no pending effect', async () => {
      await store().insertLead(
        newLead('l1'),
        [newEffect('l1', 'notify', { claim, availableAt: T0 + 9 })],
        [],
      );
      // Not its availability: due again only if its worker dies, when the lease runs out.
      expect(await store().nextDueAt(undefined, 'effects')).toBe(claim.leaseUntil);
      expect((await store().stats()).pendingEffects).toBe(0);
    });

    it('refuses a whole write whose claimed effect names no stored lead', async () => {
      await store().insertLead(newLead('l1'), [], []);
      await expect(
        store().updateLead('l1', (lead) =>
          sameState(lead, { effects: [newEffect('ghost', 'notify', { claim })] }),
        ),
      ).rejects.toThrow();
      expect(await store().getEffects('ghost')).toEqual([]);
      expect((await store().getLead('l1'))?.version).toBe(1);
    });
  });
}
