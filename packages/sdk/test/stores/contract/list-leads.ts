import { describe, expect, it } from 'vitest';
import type { LeadCursor, LeadStore } from '../../../src/ports/lead-store.js';
import { finish, newLead, T0 } from '../lead-store-fixtures.js';

export function listLeadsContract(store: () => LeadStore): void {
  describe('listLeads', () => {
    const ids = async (query: Parameters<LeadStore['listLeads']>[1], tenantId = 'shop-1') =>
      (await store().listLeads(tenantId, query)).leads.map((lead) => lead.id);

    it('gives one tenant’s leads newest first, ties by id descending', async () => {
      await store().insertLead(newLead('a', { submittedAt: T0 }), [], []);
      await store().insertLead(newLead('c', { submittedAt: T0 + 10 }), [], []);
      await store().insertLead(newLead('b', { submittedAt: T0 + 10 }), [], []);
      await store().insertLead(newLead('other', { tenantId: 'shop-2', submittedAt: T0 + 20 }), [], []);
      expect(await ids({ limit: 10 })).toEqual(['c', 'b', 'a']);
      expect(await ids({ limit: 10 }, 'shop-2')).toEqual(['other']);
      expect(await ids({ limit: 10 }, 'nobody')).toEqual([]);
    });

    it('pages with a cursor until `next` is null, each lead once', async () => {
      for (let i = 0; i < 7; i += 1) {
        // Two leads per instant: the cursor must split a tie.
        await store().insertLead(newLead(`l${i}`, { submittedAt: T0 + Math.floor(i / 2) }), [], []);
      }
      const seen: string[] = [];
      let cursor: LeadCursor | undefined;
      for (let pages = 0; pages < 10; pages += 1) {
        const page = await store().listLeads('shop-1', { limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.leads.map((lead) => lead.id));
        if (page.next === null) break;
        cursor = page.next;
      }
      expect(seen).toEqual(['l6', 'l5', 'l4', 'l3', 'l2', 'l1', 'l0']);
      const exact = await store().listLeads('shop-1', { limit: 7 });
      expect(exact.next).toBeNull();
    });

    it('keeps the leads in `states` (either region) and within [from, to)', async () => {
      await store().insertLead(newLead('night', { callState: 'call.night', submittedAt: T0 }), [], []);
      await store().insertLead(newLead('manual', { crmState: 'crm.manual', submittedAt: T0 + 1 }), [], []);
      await store().insertLead(newLead('plain', { submittedAt: T0 + 2 }), [], []);
      expect(await ids({ limit: 10, states: ['call.night', 'crm.manual'] })).toEqual(['manual', 'night']);
      expect(await ids({ limit: 10, states: [] })).toEqual(['plain', 'manual', 'night']);
      expect(await ids({ limit: 10, from: T0 + 1 })).toEqual(['plain', 'manual']);
      expect(await ids({ limit: 10, to: T0 + 2 })).toEqual(['manual', 'night']);
      expect(await ids({ limit: 10, from: T0 + 1, to: T0 + 2 })).toEqual(['manual']);
    });

    it('reads the state as it is now, after updates', async () => {
      await store().insertLead(newLead('l1'), [], []);
      await store().updateLead('l1', (lead) => ({ ...finish(lead, T0 + 5), crmState: 'crm.created' }));
      const [lead] = (await store().listLeads('shop-1', { limit: 1, states: ['crm.created'] })).leads;
      expect(lead).toMatchObject({ id: 'l1', crmState: 'crm.created', finished: true, version: 2 });
    });
  });
}
