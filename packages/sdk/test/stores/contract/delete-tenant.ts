import { describe, expect, it } from 'vitest';
import type { LeadStore } from '../../../src/ports/lead-store.js';
import { auditEntry, newEffect, newLead, T0 } from '../lead-store-fixtures.js';

/** A lead of `tenantId` with an effect, an audit entry and a pending call: every row a lead has. */
async function seedLead(store: LeadStore, id: string, tenantId: string, at = T0): Promise<void> {
  await store.insertLead(
    newLead(id, { tenantId, wakeAt: at + 1_000, submittedAt: at, ref: `ref-${id}`, bodyHash: `hash-${id}` }),
    [newEffect(id, 'dial', { tenantId, availableAt: at })],
    [auditEntry(id, { submitted: id })],
  );
  await store.savePendingCall({
    callId: `call-${id}`,
    key: `lead:${id}:dial:1`,
    leadId: id,
    attempt: 1,
    phone: '79160000001',
    callerId: '74950000000',
    customerName: 'Анна',
    scenarioId: 'prozvon-callback',
    createdAt: at,
  });
}

export function deleteTenantContract(store: () => LeadStore): void {
  describe('deleteTenant', () => {
    it('deletes every row of the tenant, batch after batch, and nothing of another', async () => {
      for (let i = 0; i < 5; i++) await seedLead(store(), `gone-${i}`, 'shop-gone', T0 + i);
      await seedLead(store(), 'kept', 'shop-kept');
      await store().countRefusal('shop-gone', 'phone_limit');
      await store().countRefusal('shop-kept', 'phone_limit');

      expect(await store().deleteTenant('shop-gone', { batchSize: 2 })).toBe(5);

      for (let i = 0; i < 5; i++) {
        const id = `gone-${i}`;
        expect(await store().getLead(id)).toBeNull();
        expect(await store().getEffects(id)).toEqual([]);
        expect(await store().getAudit(id)).toEqual([]);
        expect(await store().getPendingCall(`call-${id}`)).toBeNull();
      }
      expect((await store().listLeads('shop-gone', { limit: 10 })).leads).toEqual([]);
      expect((await store().stats()).refusals).toEqual([
        { tenantId: 'shop-kept', reason: 'phone_limit', count: 1 },
      ]);
      // Nothing of it is due or claimable any more.
      const claimed = await store().claimEffects(T0 + 10_000, 100, 'worker', 30_000);
      expect(claimed.map((effect) => effect.leadId)).toEqual(['kept']);
      expect((await store().claimDueLeads(T0 + 10_000, 100, 'worker', 30_000)).map((l) => l.id)).toEqual([
        'kept',
      ]);

      expect(await store().getLead('kept')).not.toBeNull();
      expect(await store().getEffects('kept')).toHaveLength(1);
      expect(await store().getAudit('kept')).toHaveLength(1);
      expect(await store().getPendingCall('call-kept')).not.toBeNull();
    });

    it('lets the tenant start again: its refs, bodies and effect keys are free', async () => {
      await seedLead(store(), 'l1', 'shop-1');
      await store().deleteTenant('shop-1');
      const again = await store().insertLead(
        newLead('l1', { tenantId: 'shop-1', ref: 'ref-l1', bodyHash: 'hash-l1' }),
        [newEffect('l1', 'dial', { tenantId: 'shop-1' })],
        [],
      );
      expect(again.inserted).toBe(true);
      expect(await store().getEffects('l1')).toHaveLength(1);
    });

    it('is 0 for a tenant with nothing stored, and again once deleted', async () => {
      expect(await store().deleteTenant('nobody')).toBe(0);
      await seedLead(store(), 'l1', 'shop-1');
      expect(await store().deleteTenant('shop-1')).toBe(1);
      expect(await store().deleteTenant('shop-1')).toBe(0);
    });
  });
}
