import { describe, expect, it, vi } from 'vitest';
import type { LeadStore, StoredLead } from '../../../src/ports/lead-store.js';
import { auditEntry, newEffect, newLead, sameState, T0 } from '../lead-store-fixtures.js';

export function updateContract(store: () => LeadStore): void {
  describe('updateLead', () => {
    it('writes state, effects, audit and the effect completion in one go', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'createCrmLead')], []);
      const [created] = await store().getEffects('l1');
      if (!created) throw new Error('effect not stored');

      const written = await store().updateLead(
        'l1',
        (lead) =>
          sameState(lead, {
            crmState: 'created',
            callState: 'night',
            snapshot: { value: 'night', context: { crmLeadId: 42 } },
            wakeAt: T0 + 3_600_000,
            updatedAt: T0 + 5,
            effects: [newEffect('l1', 'sendNightSms', { paid: true, availableAt: T0 + 5 })],
            audit: [auditEntry('l1', { to: 'night' }, { type: 'transition', at: T0 + 5 })],
          }),
        {
          completeEffect: { effectId: created.id, status: 'done', result: { crmLeadId: 42 }, at: T0 + 5 },
          audit: [auditEntry('l1', { event: 'CRM_CREATED' }, { at: T0 + 5, key: created.key })],
        },
      );

      expect(written).toEqual({ claimed: [] });
      expect(await store().getLead('l1')).toMatchObject({
        crmState: 'created',
        callState: 'night',
        snapshot: { value: 'night', context: { crmLeadId: 42 } },
        wakeAt: T0 + 3_600_000,
        finished: false,
        submittedAt: T0,
        updatedAt: T0 + 5,
        version: 2,
      });

      const effects = await store().getEffects('l1');
      expect(effects.map((e) => [e.kind, e.status, e.result, e.finishedAt])).toEqual([
        ['createCrmLead', 'done', { crmLeadId: 42 }, T0 + 5],
        ['sendNightSms', 'pending', null, null],
      ]);
      expect(effects[1]?.createdAt).toBe(T0 + 5);

      // The event that caused the decision comes first, then what the decision recorded.
      expect((await store().getAudit('l1')).map((a) => a.detail)).toEqual([
        { event: 'CRM_CREATED' },
        { to: 'night' },
      ]);
    });

    it('hands decide the lead as stored and increments the version on every update', async () => {
      await store().insertLead(newLead('l1'), [], []);
      const seen: number[] = [];
      for (let i = 1; i <= 3; i++) {
        await store().updateLead('l1', (current) => {
          seen.push(current.version);
          return sameState(current, { updatedAt: T0 + i });
        });
        expect((await store().getLead('l1'))?.version).toBe(i + 1);
      }
      expect(seen).toEqual([1, 2, 3]);
    });

    it('writes only the given audit entries and completes the effect when decide returns null', async () => {
      await store().insertLead(newLead('l1', { wakeAt: T0 }), [newEffect('l1', 'notify')], []);
      await store().claimDueLeads(T0, 10, 'worker-a', 30_000);
      const [effect] = await store().claimEffects(T0, 10, 'worker-a', 30_000);
      if (!effect) throw new Error('effect not claimed');
      const before = await store().getLead('l1');

      const result = await store().updateLead('l1', () => null, {
        audit: [auditEntry('l1', { rejected: 'late result' }, { type: 'rejected' })],
        completeEffect: { effectId: effect.id, status: 'failed', result: { why: 'ignored' }, at: T0 + 1 },
      });

      // Not a decision: the lead, its version and its lease stay as they were.
      expect(result).toEqual({ claimed: [] });
      expect(await store().getLead('l1')).toEqual(before);
      expect((await store().getAudit('l1')).map((a) => [a.type, a.detail])).toEqual([
        ['rejected', { rejected: 'late result' }],
      ]);
      // The effect's outcome is a fact whether or not the machine wants it: otherwise an
      // idempotent effect would be claimed and performed again once its lease expired.
      expect((await store().getEffects('l1'))[0]).toMatchObject({
        status: 'failed',
        result: { why: 'ignored' },
      });
    });

    it('refuses a time that is not a whole millisecond, writing nothing', async () => {
      await store().insertLead(newLead('l1'), [], []);
      await expect(
        store().updateLead('l1', (lead) => sameState(lead, { wakeAt: T0 + 0.5 })),
      ).rejects.toThrow();
      await expect(
        store().updateLead('l1', (lead) =>
          sameState(lead, {
            audit: [auditEntry('l1', 'x')],
            effects: [newEffect('l1', 'sms', { priority: 0.5 })],
          }),
        ),
      ).rejects.toThrow();
      await expect(store().insertLead(newLead('l2', { submittedAt: T0 + 0.5 }), [], [])).rejects.toThrow();

      expect(await store().getLead('l1')).toMatchObject({ version: 1, wakeAt: null });
      expect(await store().getEffects('l1')).toEqual([]);
      expect(await store().getAudit('l1')).toEqual([]);
      expect(await store().getLead('l2')).toBeNull();
    });

    it('returns null for an unknown lead without calling decide', async () => {
      const decide = vi.fn((lead: StoredLead) => sameState(lead));
      expect(await store().updateLead('nope', decide)).toBeNull();
      expect(decide).not.toHaveBeenCalled();
    });

    it('keeps the first outcome of an effect completed twice', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'createCrmLead')], []);
      const [effect] = await store().getEffects('l1');
      if (!effect) throw new Error('effect not stored');
      for (const [at, crmLeadId] of [
        [T0 + 1, 1],
        [T0 + 2, 2],
      ] as const) {
        await store().updateLead('l1', (lead) => sameState(lead, { updatedAt: at }), {
          completeEffect: { effectId: effect.id, status: 'done', result: { crmLeadId }, at },
        });
      }
      expect((await store().getEffects('l1'))[0]).toMatchObject({
        result: { crmLeadId: 1 },
        finishedAt: T0 + 1,
      });
    });

    it('applies concurrent updates of one lead one after the other: none is lost', async () => {
      await store().insertLead(newLead('l1', { snapshot: { count: 0 } }), [], []);
      const bump = (lead: StoredLead) =>
        sameState(lead, { snapshot: { count: (lead.snapshot as { count: number }).count + 1 } });

      await Promise.all(Array.from({ length: 20 }, () => store().updateLead('l1', bump)));

      const lead = await store().getLead('l1');
      expect(lead?.snapshot).toEqual({ count: 20 });
      expect(lead?.version).toBe(21);
    });
  });

  describe('effect keys', () => {
    // A key is queued once: repeating it (a decision replayed after a crash) is ignored, not an
    // error, so the engine can re-emit effects freely (INSERT … ON CONFLICT (key) DO NOTHING).
    it('ignores an effect whose key is already queued, from the same lead or another', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'dial', { params: { attempt: 1 } })], []);
      await store().insertLead(
        newLead('l2'),
        [newEffect('l1', 'dial', { leadId: 'l2', params: 'other' })],
        [],
      );
      await store().updateLead('l1', (lead) =>
        sameState(lead, {
          effects: [
            newEffect('l1', 'dial', { params: { attempt: 9 } }),
            newEffect('l1', 'sms'),
            newEffect('l1', 'sms', { params: 'twice in one batch' }),
          ],
        }),
      );

      const effects = await store().getEffects('l1');
      expect(effects.map((e) => [e.key, e.params])).toEqual([
        ['lead:l1:dial', { attempt: 1 }],
        ['lead:l1:sms', { name: 'sms' }],
      ]);
      expect(await store().getEffects('l2')).toEqual([]);
    });
  });
}
