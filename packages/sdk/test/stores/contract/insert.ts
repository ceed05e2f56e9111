import { describe, expect, it } from 'vitest';
import type { LeadStore } from '../../../src/ports/lead-store.js';
import { auditEntry, finish, newEffect, newLead, T0 } from '../lead-store-fixtures.js';

export function insertContract(store: () => LeadStore): void {
  describe('insertLead and getLead', () => {
    it('migrates again without harm', async () => {
      await store().migrate();
      await store().migrate();
      expect(await store().insertLead(newLead('l1'), [], [])).toEqual({ inserted: true, claimed: [] });
    });

    it('returns the lead as stored: JSON snapshot, nulls, version 1, no lease', async () => {
      const snapshot = {
        value: { crm: 'creating', call: 'night' },
        context: { name: 'Анна', partner: null, items: [{ qty: 2, price: 99.5 }], ok: true },
      };
      await store().insertLead(newLead('l1', { snapshot, wakeAt: T0 + 60_000, ref: 'r-1' }), [], []);

      expect(await store().getLead('l1')).toEqual({
        id: 'l1',
        tenantId: 'shop-1',
        ref: 'r-1',
        crmState: 'partnerLookup',
        callState: 'callable',
        snapshot,
        wakeAt: T0 + 60_000,
        finished: false,
        submittedAt: T0,
        updatedAt: T0,
        version: 1,
        leaseOwner: null,
        leaseUntil: null,
      });
    });

    it('keeps a null snapshot, null ref and null wakeAt as null', async () => {
      await store().insertLead(newLead('l1', { snapshot: null }), [], []);
      const lead = await store().getLead('l1');
      expect(lead?.snapshot).toBeNull();
      expect(lead?.ref).toBeNull();
      expect(lead?.wakeAt).toBeNull();
    });

    it('stores copies: mutating what went in or came out changes nothing stored', async () => {
      const input = newLead('l1', { snapshot: { context: { attempt: 0 } } });
      await store().insertLead(input, [], []);
      (input.snapshot as { context: { attempt: number } }).context.attempt = 5;
      const read = await store().getLead('l1');
      if (!read) throw new Error('lead not stored');
      (read.snapshot as { context: { attempt: number } }).context.attempt = 7;

      expect((await store().getLead('l1'))?.snapshot).toEqual({ context: { attempt: 0 } });
    });

    it('returns null for an unknown lead', async () => {
      expect(await store().getLead('nope')).toBeNull();
    });

    it('writes the first effects and audit entries with the lead', async () => {
      await store().insertLead(
        newLead('l1'),
        [newEffect('l1', 'createCrmLead'), newEffect('l1', 'dial', { paid: true, params: null })],
        [auditEntry('l1', { event: 'SUBMITTED' }), auditEntry('l1', null, { type: 'transition', key: 'k' })],
      );

      const effects = await store().getEffects('l1');
      expect(effects.map((e) => [e.kind, e.paid, e.params, e.status, e.attempts])).toEqual([
        ['createCrmLead', false, { name: 'createCrmLead' }, 'pending', 0],
        ['dial', true, null, 'pending', 0],
      ]);
      expect(effects[0]).toMatchObject({
        key: 'lead:l1:createCrmLead',
        leadId: 'l1',
        tenantId: 'shop-1',
        availableAt: T0,
        priority: T0,
        leaseOwner: null,
        leaseUntil: null,
        result: null,
        createdAt: T0,
        finishedAt: null,
      });
      expect(effects[1]?.id).toBeGreaterThan(effects[0]?.id ?? Number.POSITIVE_INFINITY);

      const audit = await store().getAudit('l1');
      expect(audit.map(({ id: _id, ...entry }) => entry)).toEqual([
        { leadId: 'l1', at: T0, type: 'event', key: null, detail: { event: 'SUBMITTED' } },
        { leadId: 'l1', at: T0, type: 'transition', key: 'k', detail: null },
      ]);
    });

    it('rejects effects or audit entries of a lead that does not exist, writing nothing', async () => {
      await expect(store().insertLead(newLead('l1'), [newEffect('missing', 'dial')], [])).rejects.toThrow();
      await expect(store().insertLead(newLead('l1'), [], [auditEntry('missing', null)])).rejects.toThrow();
      expect(await store().getLead('l1')).toBeNull();
      expect(await store().getAudit('missing')).toEqual([]);
    });

    it('rejects a second lead with the same id and writes nothing of it', async () => {
      await store().insertLead(newLead('l1'), [], []);
      await expect(
        store().insertLead(newLead('l1', { tenantId: 'shop-2' }), [newEffect('l1', 'other')], []),
      ).rejects.toThrow();
      expect(await store().getEffects('l1')).toEqual([]);
      expect((await store().getLead('l1'))?.tenantId).toBe('shop-1');
    });
  });

  describe('the ref rule: one unfinished lead per tenant and ref', () => {
    it('refuses a duplicate while the first is unfinished, writing nothing', async () => {
      await store().insertLead(newLead('l1', { ref: 'order-7' }), [], []);
      const second = await store().insertLead(
        newLead('l2', { ref: 'order-7' }),
        [newEffect('l2', 'dial')],
        [auditEntry('l2', 'submitted')],
      );

      expect(second).toEqual({ inserted: false, existingLeadId: 'l1' });
      expect(await store().getLead('l2')).toBeNull();
      expect(await store().getEffects('l2')).toEqual([]);
      expect(await store().getAudit('l2')).toEqual([]);
    });

    it('accepts the ref again once the first lead is finished, then guards the new one', async () => {
      await store().insertLead(newLead('l1', { ref: 'order-7' }), [], []);
      await store().updateLead('l1', (lead) => finish(lead, T0 + 1));

      expect(await store().insertLead(newLead('l2', { ref: 'order-7' }), [], [])).toEqual({
        inserted: true,
        claimed: [],
      });
      expect(await store().insertLead(newLead('l3', { ref: 'order-7' }), [], [])).toEqual({
        inserted: false,
        existingLeadId: 'l2',
      });
    });

    it('never lets null refs clash', async () => {
      expect(await store().insertLead(newLead('l1'), [], [])).toEqual({ inserted: true, claimed: [] });
      expect(await store().insertLead(newLead('l2'), [], [])).toEqual({ inserted: true, claimed: [] });
    });

    it('keeps refs per tenant', async () => {
      await store().insertLead(newLead('l1', { ref: 'order-7' }), [], []);
      expect(await store().insertLead(newLead('l2', { ref: 'order-7', tenantId: 'shop-2' }), [], [])).toEqual(
        {
          inserted: true,
          claimed: [],
        },
      );
    });
  });
}
