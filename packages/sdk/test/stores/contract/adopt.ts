import { describe, expect, it } from 'vitest';
import type { LeadStore } from '../../../src/ports/lead-store.js';
import { auditEntry, finish, newEffect, newLead, sameState, T0 } from '../lead-store-fixtures.js';

const DAY = 24 * 3600_000;

/** A lead adopted from CRM lead `crmLeadId`, answered `created` / `dialing`. */
const adopted = (id: string, crmLeadId: string, overrides: Parameters<typeof newLead>[1] = {}) =>
  newLead(id, { adoptedCrmLeadId: crmLeadId, crmState: 'created', callState: 'dialing', ...overrides });

export function adoptContract(store: () => LeadStore): void {
  describe('the adoption rule: one lead per tenant and adopted CRM lead, ever', () => {
    it('finds the lead adopted from a CRM lead, for that tenant only', async () => {
      await store().insertLead(adopted('l1', '42'), [], []);
      await store().insertLead(newLead('l2', { ref: 'r2' }), [], []);
      await store().insertLead(adopted('l3', '42', { tenantId: 'shop-2' }), [], []);

      expect(await store().findAdoptedLead('shop-1', '42')).toBe('l1');
      expect(await store().findAdoptedLead('shop-2', '42')).toBe('l3');
      expect(await store().findAdoptedLead('shop-1', '43')).toBeNull();
      expect(await store().findAdoptedLead('shop-3', '42')).toBeNull();
    });

    it('a second adoption of the CRM lead writes nothing and answers the first lead as it is now', async () => {
      await store().insertLead(adopted('l1', '42'), [], []);
      await store().updateLead('l1', (lead) =>
        sameState(lead, { callState: 'awaitingResult', updatedAt: T0 + 1 }),
      );

      const again = await store().insertLead(
        adopted('l2', '42', { submittedAt: T0 + 5 }),
        [newEffect('l2', 'dial', { paid: true })],
        [auditEntry('l2', { event: 'ADOPTED' })],
      );

      expect(again).toEqual({
        inserted: false,
        adopted: true,
        leadId: 'l1',
        crmState: 'created',
        callState: 'awaitingResult',
      });
      expect(await store().getLead('l2')).toBeNull();
      expect(await store().getEffects('l2')).toEqual([]);
      expect(await store().getAudit('l2')).toEqual([]);
    });

    it('holds after the first lead finished, a month later', async () => {
      await store().insertLead(adopted('l1', '42'), [], []);
      await store().updateLead('l1', (lead) => finish(lead, T0 + 60_000));

      expect(await store().insertLead(adopted('l2', '42', { submittedAt: T0 + 31 * DAY }), [], [])).toEqual({
        inserted: false,
        adopted: true,
        leadId: 'l1',
        crmState: 'created',
        callState: 'answered',
      });
    });

    it('two adoptions of one CRM lead at once store one lead', async () => {
      const results = await Promise.all([
        store().insertLead(adopted('l1', '42'), [newEffect('l1', 'dial:1', { paid: true })], []),
        store().insertLead(adopted('l2', '42'), [newEffect('l2', 'dial:1', { paid: true })], []),
      ]);

      expect(results.filter((result) => result.inserted)).toHaveLength(1);
      const stored = [await store().getLead('l1'), await store().getLead('l2')].filter(
        (lead) => lead !== null,
      );
      expect(stored).toHaveLength(1);
      const winner = stored[0]?.id;
      expect(results.find((result) => !result.inserted)).toMatchObject({ adopted: true, leadId: winner });
    });

    it('another CRM lead, or the same CRM lead id of another tenant, is a new lead', async () => {
      await store().insertLead(adopted('l1', '42'), [], []);
      expect((await store().insertLead(adopted('l2', '43'), [], [])).inserted).toBe(true);
      expect((await store().insertLead(adopted('l3', '42', { tenantId: 'shop-2' }), [], [])).inserted).toBe(
        true,
      );
    });

    it('leads not adopted are never matched by it, and getLead does not show the key', async () => {
      await store().insertLead(newLead('l1'), [], []);
      await store().insertLead(newLead('l2', { adoptedCrmLeadId: null }), [], []);
      expect((await store().insertLead(adopted('l3', '42'), [], [])).inserted).toBe(true);
      expect(await store().getLead('l3')).not.toHaveProperty('adoptedCrmLeadId');
    });

    it('is asked before the ref rules: the adopted lead is the answer even with a ref clash', async () => {
      await store().insertLead(adopted('l1', '42', { ref: 'r-1' }), [], []);
      expect(
        await store().insertLead(adopted('l2', '42', { ref: 'r-1', submittedAt: T0 + 1 }), [], []),
      ).toEqual({
        inserted: false,
        adopted: true,
        leadId: 'l1',
        crmState: 'created',
        callState: 'dialing',
      });
    });
  });
}
