import { describe, expect, it } from 'vitest';
import { NO_FACTS } from '../../../src/ports/lead-facts.js';
import type { LeadStore, LeadUpdate } from '../../../src/ports/lead-store.js';
import { newLead, sameState, T0 } from '../lead-store-fixtures.js';

export function leadFactsContract(store: () => LeadStore): void {
  describe('lead facts', () => {
    const shopFacts = { partner: 'P1', site: 'shop.example', orderSum: 1500.5, currency: 'RUB' };

    it('keeps the facts a lead is inserted with, the rest null; null for an unknown lead', async () => {
      await store().insertLead(newLead('l1', { facts: { ...shopFacts, outcome: 'invalid' } }), [], []);
      await store().insertLead(newLead('l2'), [], []);
      expect(await store().getLeadFacts('l1')).toEqual({ ...NO_FACTS, ...shopFacts, outcome: 'invalid' });
      expect(await store().getLeadFacts('l2')).toEqual(NO_FACTS);
      expect(await store().getLeadFacts('nope')).toBeNull();
      // Not part of the lead as getLead reads it.
      expect(await store().getLead('l1')).not.toHaveProperty('facts');
    });

    it('applies a decision’s facts: names and outcome overwritten, the two instants kept once set', async () => {
      await store().insertLead(newLead('l1', { facts: shopFacts }), [], []);
      const update = async (facts: LeadUpdate['facts']) =>
        store().updateLead('l1', (lead) => sameState(lead, { facts }));
      await update({ partnerName: 'Иван', firstRingAt: T0 + 5_000 });
      await update({ firstRingAt: T0 + 90_000, outcome: 'answered', answeredAt: T0 + 20_000 });
      await update({ answeredAt: T0 + 99_000, partnerName: null });
      await store().updateLead('l1', (lead) => sameState(lead));
      expect(await store().getLeadFacts('l1')).toEqual({
        ...NO_FACTS,
        ...shopFacts,
        partnerName: null,
        firstRingAt: T0 + 5_000,
        answeredAt: T0 + 20_000,
        outcome: 'answered',
      });
    });

    it('writes no facts when the decision is null', async () => {
      await store().insertLead(newLead('l1'), [], []);
      await store().updateLead('l1', () => null);
      expect(await store().getLeadFacts('l1')).toEqual(NO_FACTS);
    });

    describe('markMachinePerson', () => {
      const mark = { leadId: 'l1', tenantId: 'shop-1', by: 'b24user:7', at: T0 + 60_000 };

      it('marks a machine outcome once, audited with the user; a second mark changes nothing', async () => {
        await store().insertLead(newLead('l1', { facts: { outcome: 'machine' } }), [], []);
        const before = await store().getLead('l1');
        expect(await store().markMachinePerson(mark)).toEqual({
          outcome: 'marked',
          at: mark.at,
          by: 'b24user:7',
        });
        expect(await store().markMachinePerson({ ...mark, by: 'b24user:8', at: mark.at + 1 })).toEqual({
          outcome: 'already_marked',
          at: mark.at,
          by: 'b24user:7',
        });
        expect(await store().getLeadFacts('l1')).toMatchObject({
          outcome: 'machine',
          machinePersonAt: mark.at,
          machinePersonBy: 'b24user:7',
        });
        const audit = await store().getAudit('l1');
        expect(audit.map(({ id: _id, ...entry }) => entry)).toEqual([
          {
            leadId: 'l1',
            at: mark.at,
            type: 'event',
            key: null,
            detail: { event: 'MACHINE_WAS_PERSON', by: 'b24user:7' },
          },
        ]);
        // No decision of the machine's: the lead's row as it was.
        expect(await store().getLead('l1')).toEqual(before);
      });

      it('refuses a lead whose calling did not end on a machine, and another tenant’s or an unknown lead', async () => {
        await store().insertLead(newLead('l1', { facts: { outcome: 'answered' } }), [], []);
        await store().insertLead(newLead('l2'), [], []);
        await store().insertLead(
          newLead('l3', { tenantId: 'shop-2', facts: { outcome: 'machine' } }),
          [],
          [],
        );
        expect(await store().markMachinePerson(mark)).toEqual({
          outcome: 'not_machine',
          leadOutcome: 'answered',
        });
        expect(await store().markMachinePerson({ ...mark, leadId: 'l2' })).toEqual({
          outcome: 'not_machine',
          leadOutcome: null,
        });
        expect(await store().markMachinePerson({ ...mark, leadId: 'l3' })).toEqual({
          outcome: 'unknown_lead',
        });
        expect(await store().markMachinePerson({ ...mark, leadId: 'nope' })).toEqual({
          outcome: 'unknown_lead',
        });
        expect(await store().getLeadFacts('l3')).toMatchObject({ machinePersonAt: null });
        expect(await store().getAudit('l1')).toEqual([]);
      });
    });
  });
}
