import { describe, expect, it } from 'vitest';
import type { InFlightCaps, LeadStore } from '../../../src/ports/lead-store.js';
import { newEffect, newLead, sameState, T0 } from '../lead-store-fixtures.js';

const LEASE = 30_000;
const DIALS = { kinds: ['dial'], only: ['dial'] };

/** A dial of `leadId`, of its tenant, queued at T0 + `order` (its priority). */
const dial = (
  leadId: string,
  tenantId: string,
  order = 0,
  claim?: { owner: string; cap?: number; leaseUntil?: number },
) =>
  newEffect(leadId, 'dial', {
    tenantId,
    paid: true,
    priority: T0 + order,
    ...(claim ? { claim: { leaseUntil: T0 + LEASE, ...claim } } : {}),
  });

/**
 * The tenants' calls in flight kept by the store, across the instances sharing it (InFlightCaps,
 * EffectClaim `cap`): a dial counts while it is started with a lease not run out, whoever holds it.
 */
export function inFlightCapsContract(store: () => LeadStore): void {
  const caps = (perTenant: Record<string, number> = {}, otherwise = 1): InFlightCaps => ({
    kinds: DIALS.kinds,
    perTenant,
    otherwise,
  });
  const claimDials = async (now: number, limit: number, owner: string, capped: InFlightCaps) =>
    (await store().claimEffects(now, limit, owner, LEASE, undefined, { only: DIALS.only }, capped)).map(
      (e) => e.leadId,
    );
  /** One lead per dial, each of its tenant. */
  const queue = async (...dials: [leadId: string, tenantId: string, order: number][]) => {
    for (const [leadId, tenantId, order] of dials) {
      await store().insertLead(
        newLead(leadId, { tenantId, submittedAt: T0 + order }),
        [dial(leadId, tenantId, order)],
        [],
      );
    }
  };

  describe('calls in flight, shared through the store', () => {
    it("claims no dial of a tenant at its cap, whoever holds its started one, and still another tenant's", async () => {
      await queue(['a1', 'shop-a', 0], ['a2', 'shop-a', 1], ['b1', 'shop-b', 2]);
      expect(await claimDials(T0, 1, 'instance-a', caps())).toEqual(['a1']);

      // Instance B knows nothing of A's call: the store does. A limit of one still reaches shop-b.
      expect(await claimDials(T0 + 1, 1, 'instance-b', caps())).toEqual(['b1']);
      expect(await claimDials(T0 + 2, 5, 'instance-b', caps())).toEqual([]);
      expect((await store().getEffects('a2'))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    });

    it("reaches another tenant's dial behind a backlog of one at its cap", async () => {
      const backlog = Array.from(
        { length: 12 },
        (_, i) => [`a${i}`, 'shop-a', i] as [string, string, number],
      );
      await queue(...backlog, ['b1', 'shop-b', 20]);
      expect(await claimDials(T0, 1, 'instance-a', caps())).toEqual(['a0']);

      expect(await claimDials(T0 + 1, 1, 'instance-b', caps())).toEqual(['b1']);
    });

    it('counts a dial until its lease runs out, or it is finished', async () => {
      await queue(['a1', 'shop-a', 0], ['a2', 'shop-a', 1], ['a3', 'shop-a', 2]);
      const [first] = await store().claimEffects(T0, 1, 'instance-a', LEASE, undefined, DIALS, caps());

      expect(await claimDials(T0 + LEASE - 1, 1, 'instance-b', caps())).toEqual([]);
      // Its worker died: the orphan is closed apart, and no longer holds the shop's call.
      expect(await claimDials(T0 + LEASE, 1, 'instance-b', caps())).toEqual(['a2']);
      await store().finishEffect(
        'a2',
        {
          effectId: (await store().getEffects('a2'))[0]?.id ?? 0,
          status: 'done',
          result: null,
          at: T0 + LEASE + 1,
        },
        [],
      );
      expect(await claimDials(T0 + LEASE + 2, 1, 'instance-b', caps())).toEqual(['a3']);
      expect(first?.leadId).toBe('a1');
    });

    it("takes each tenant's cap and room, in claim order, up to the limit", async () => {
      await queue(['a1', 'shop-a', 0], ['a2', 'shop-a', 1], ['a3', 'shop-a', 2], ['b1', 'shop-b', 3]);
      await queue(['b2', 'shop-b', 4], ['c1', 'shop-c', 5]);
      await store().claimEffects(T0, 1, 'instance-a', LEASE, undefined, DIALS, caps({ 'shop-a': 2 }));

      // shop-a has room for one more, shop-b (not named) for one, shop-c for two.
      expect(await claimDials(T0 + 1, 3, 'instance-b', caps({ 'shop-a': 2, 'shop-c': 2 }))).toEqual([
        'a2',
        'b1',
        'c1',
      ]);
    });

    it('stores a dial claimed as it is queued pending when its tenant is at its cap', async () => {
      const cap = { owner: 'instance-b', cap: 1 };
      await store().insertLead(
        newLead('a1', { tenantId: 'shop-a' }),
        [dial('a1', 'shop-a', 0, { owner: 'instance-a', cap: 1 })],
        [],
      );

      const refused = await store().insertLead(
        newLead('a2', { tenantId: 'shop-a' }),
        [dial('a2', 'shop-a', 1, cap)],
        [],
      );
      expect(refused).toEqual({ inserted: true, claimed: [] });
      expect((await store().getEffects('a2'))[0]).toMatchObject({
        status: 'pending',
        attempts: 0,
        leaseOwner: null,
        availableAt: T0,
      });

      // Another tenant's is claimed; and so is shop-a's once its call's lease ran out.
      const other = await store().insertLead(
        newLead('b1', { tenantId: 'shop-b' }),
        [dial('b1', 'shop-b', 2, cap)],
        [],
      );
      expect(other.inserted && other.claimed.map((e) => e.leadId)).toEqual(['b1']);
      await store().insertLead(newLead('a3', { tenantId: 'shop-a', submittedAt: T0 + LEASE }), [], []);
      const later = await store().updateLead('a3', (lead) =>
        sameState(lead, {
          updatedAt: T0 + LEASE,
          effects: [dial('a3', 'shop-a', 3, { owner: 'instance-b', cap: 1, leaseUntil: T0 + 2 * LEASE })],
        }),
      );
      expect(later?.claimed.map((e) => e.leadId)).toEqual(['a3']);
    });

    it("counts a write's own claimed dials before each one", async () => {
      await store().insertLead(newLead('l1', { tenantId: 'shop-a' }), [], []);
      const written = await store().updateLead('l1', (lead) =>
        sameState(lead, {
          effects: [
            newEffect('l1', 'dial', {
              tenantId: 'shop-a',
              paid: true,
              claim: { owner: 'b', leaseUntil: T0 + LEASE, cap: 1 },
            }),
            newEffect('l1', 'dial2', {
              kind: 'dial',
              tenantId: 'shop-a',
              paid: true,
              claim: { owner: 'b', leaseUntil: T0 + LEASE, cap: 1 },
            }),
          ],
        }),
      );
      expect(written?.claimed.map((e) => e.key)).toEqual(['lead:l1:dial']);
      expect((await store().getEffects('l1')).map((e) => e.status)).toEqual(['started', 'pending']);
    });
  });
}
