import { describe, expect, it } from 'vitest';
import { type LeadStore, REPLAY_WINDOW_MS } from '../../../src/ports/lead-store.js';
import { auditEntry, finish, newEffect, newLead, sameState, T0 } from '../lead-store-fixtures.js';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

/** A lead of `order-7` sent with body `bodyHash`, answered `partnerLookup` / `callable`. */
const order = (id: string, bodyHash: string | null, overrides: Parameters<typeof newLead>[1] = {}) =>
  newLead(id, { ref: 'order-7', bodyHash, ...overrides });

export function replayContract(store: () => LeadStore): void {
  describe('the replay rule: the same ref and body within 24 hours answer as the first time', () => {
    it('replays the first answer of a finished lead, writing nothing', async () => {
      await store().insertLead(order('l1', HASH_A), [], []);
      await store().updateLead('l1', (lead) => finish(lead, T0 + 50));

      const again = await store().insertLead(
        order('l2', HASH_A, { submittedAt: T0 + 60_000 }),
        [newEffect('l2', 'createCrmLead')],
        [auditEntry('l2', 'submitted')],
      );

      // The state it answered then, not the one it is in now.
      expect(again).toEqual({
        inserted: false,
        replay: true,
        leadId: 'l1',
        crmState: 'partnerLookup',
        callState: 'callable',
      });
      expect(await store().getLead('l2')).toBeNull();
      expect(await store().getEffects('l2')).toEqual([]);
      expect(await store().getAudit('l2')).toEqual([]);
    });

    it('replays an unfinished lead too: a retry in flight is no duplicate', async () => {
      await store().insertLead(order('l1', HASH_A), [], []);
      await store().updateLead('l1', (lead) => sameState(lead, { callState: 'dialing', updatedAt: T0 + 1 }));

      expect(await store().insertLead(order('l2', HASH_A, { submittedAt: T0 + 5 }), [], [])).toEqual({
        inserted: false,
        replay: true,
        leadId: 'l1',
        crmState: 'partnerLookup',
        callState: 'callable',
      });
    });

    it('a different body of the same ref: a new lead once the first finished, 409 before', async () => {
      await store().insertLead(order('l1', HASH_A), [], []);
      expect(await store().insertLead(order('l2', HASH_B, { submittedAt: T0 + 1 }), [], [])).toEqual({
        inserted: false,
        existingLeadId: 'l1',
      });
      await store().updateLead('l1', (lead) => finish(lead, T0 + 2));
      expect(await store().insertLead(order('l2', HASH_B, { submittedAt: T0 + 3 }), [], [])).toEqual({
        inserted: true,
        claimed: [],
      });
    });

    it('replays for 24 hours, then the same body is a new lead, and its retries replay it', async () => {
      await store().insertLead(order('l1', HASH_A), [], []);
      await store().updateLead('l1', (lead) => finish(lead, T0 + 1));

      const last = T0 + REPLAY_WINDOW_MS - 1;
      expect(await store().insertLead(order('l2', HASH_A, { submittedAt: last }), [], [])).toMatchObject({
        replay: true,
        leadId: 'l1',
      });
      const dayLater = T0 + REPLAY_WINDOW_MS;
      expect(await store().insertLead(order('l2', HASH_A, { submittedAt: dayLater }), [], [])).toEqual({
        inserted: true,
        claimed: [],
      });
      await store().updateLead('l2', (lead) => finish(lead, dayLater + 1));
      expect(
        await store().insertLead(order('l3', HASH_A, { submittedAt: dayLater + 10 }), [], []),
      ).toMatchObject({ replay: true, leadId: 'l2' });
    });

    it('keeps replays per tenant', async () => {
      await store().insertLead(order('l1', HASH_A), [], []);
      expect(await store().insertLead(order('l2', HASH_A, { tenantId: 'shop-2' }), [], [])).toEqual({
        inserted: true,
        claimed: [],
      });
    });

    it('never replays without a ref or without a body hash', async () => {
      await store().insertLead(newLead('l1', { bodyHash: HASH_A }), [], []);
      expect(await store().insertLead(newLead('l2', { bodyHash: HASH_A }), [], [])).toEqual({
        inserted: true,
        claimed: [],
      });
      await store().insertLead(order('l3', null), [], []);
      await store().updateLead('l3', (lead) => finish(lead, T0 + 1));
      expect(await store().insertLead(order('l4', null, { submittedAt: T0 + 2 }), [], [])).toEqual({
        inserted: true,
        claimed: [],
      });
    });

    it('two identical inserts at once store one lead; the other replays it', async () => {
      const results = await Promise.all([
        store().insertLead(order('l1', HASH_A), [newEffect('l1', 'createCrmLead')], []),
        store().insertLead(order('l2', HASH_A), [newEffect('l2', 'createCrmLead')], []),
      ]);

      expect(results).toEqual([
        { inserted: true, claimed: [] },
        { inserted: false, replay: true, leadId: 'l1', crmState: 'partnerLookup', callState: 'callable' },
      ]);
      expect(await store().getLead('l2')).toBeNull();
      expect(await store().getEffects('l2')).toEqual([]);
    });

    it('keeps the body hash to itself: getLead reads the lead as without it', async () => {
      await store().insertLead(order('l1', HASH_A), [], []);
      await store().insertLead(order('l2', null, { tenantId: 'shop-2' }), [], []);
      const { id: _1, tenantId: _2, ...first } = (await store().getLead('l1')) ?? {};
      const { id: _3, tenantId: _4, ...second } = (await store().getLead('l2')) ?? {};
      expect(first).toEqual(second);
      expect(Object.keys(first)).not.toContain('bodyHash');
    });
  });
}
