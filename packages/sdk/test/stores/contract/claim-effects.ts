import { describe, expect, it } from 'vitest';
import type { LeadStore } from '../../../src/ports/lead-store.js';
import { newEffect, newLead, sameState, T0 } from '../lead-store-fixtures.js';

const LEASE = 30_000;

type Exclude = Parameters<LeadStore['claimEffects']>[4];

export function claimEffectsContract(store: () => LeadStore): void {
  const kinds = async (
    now: number,
    limit = 10,
    owner = 'worker-a',
    exclude?: Parameters<LeadStore['claimEffects']>[4],
  ) => (await store().claimEffects(now, limit, owner, LEASE, exclude)).map((e) => e.kind);

  describe('claimEffects', () => {
    it('claims by priority, then creation order, up to the limit', async () => {
      await store().insertLead(
        newLead('later', { submittedAt: T0 + 5 }),
        [newEffect('later', 'b', { priority: T0 + 5 })],
        [],
      );
      await store().insertLead(
        newLead('early'),
        [newEffect('early', 'c'), newEffect('early', 'd'), newEffect('early', 'e')],
        [],
      );

      expect(await kinds(T0, 2)).toEqual(['c', 'd']);
      expect(await kinds(T0, 10)).toEqual(['e', 'b']);
    });

    it('claims nothing for a limit of zero or less', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'a')], []);
      expect(await kinds(T0, 0)).toEqual([]);
      expect(await kinds(T0, -1)).toEqual([]);
      expect((await store().getEffects('l1'))[0]?.status).toBe('pending');
    });

    it('marks claimed rows started, leased to the owner, one attempt more', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'createCrmLead')], []);
      const [claimed] = await store().claimEffects(T0 + 1, 10, 'worker-a', LEASE);

      expect(claimed).toMatchObject({
        kind: 'createCrmLead',
        status: 'started',
        attempts: 1,
        leaseOwner: 'worker-a',
        leaseUntil: T0 + 1 + LEASE,
      });
      expect(await store().getEffects('l1')).toEqual([claimed]);
      expect(await kinds(T0 + 2, 10, 'worker-b')).toEqual([]);
    });

    it('leaves an effect until its availableAt', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'retry', { availableAt: T0 + 100 })], []);
      expect(await kinds(T0 + 99)).toEqual([]);
      expect(await kinds(T0 + 100)).toEqual(['retry']);
    });

    it('never claims a started paid effect again, even after its lease expired', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'dial', { paid: true })], []);
      expect(await kinds(T0)).toEqual(['dial']);
      expect(await kinds(T0 + 10 * LEASE, 10, 'worker-b')).toEqual([]);
      expect((await store().getEffects('l1'))[0]).toMatchObject({ status: 'started', attempts: 1 });
    });

    it('claims a started idempotent effect again once its lease expired (its worker died)', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'createCrmLead')], []);
      await store().claimEffects(T0, 10, 'worker-a', LEASE);

      expect(await kinds(T0 + LEASE - 1, 10, 'worker-b')).toEqual([]);
      const [again] = await store().claimEffects(T0 + LEASE, 10, 'worker-b', LEASE);
      expect(again).toMatchObject({ status: 'started', attempts: 2, leaseOwner: 'worker-b' });
    });

    it('never claims a finished effect', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'a'), newEffect('l1', 'b')], []);
      const [a, b] = await store().claimEffects(T0, 10, 'worker-a', LEASE);
      if (!a || !b) throw new Error('effects not claimed');
      await store().updateLead('l1', (lead) => sameState(lead), {
        completeEffect: { effectId: a.id, status: 'done', result: null, at: T0 },
      });
      await store().updateLead('l1', (lead) => sameState(lead), {
        completeEffect: { effectId: b.id, status: 'failed', result: 'boom', at: T0 },
      });
      expect(await kinds(T0 + 10 * LEASE)).toEqual([]);
    });

    it('leaves the excluded kinds of the excluded tenants alone', async () => {
      await store().insertLead(
        newLead('busy', { tenantId: 'busy' }),
        [newEffect('busy', 'dial', { tenantId: 'busy' }), newEffect('busy', 'sendSms', { tenantId: 'busy' })],
        [],
      );
      await store().insertLead(
        newLead('calm', { tenantId: 'calm' }),
        [newEffect('calm', 'dial', { tenantId: 'calm' })],
        [],
      );

      expect(await kinds(T0, 10, 'worker-a', { tenants: ['busy', 'other'], kinds: ['dial'] })).toEqual([
        'sendSms',
        'dial',
      ]);
      expect((await store().getEffects('busy')).map((e) => [e.kind, e.status])).toEqual([
        ['dial', 'pending'],
        ['sendSms', 'started'],
      ]);
      expect(await kinds(T0, 10, 'worker-a', { tenants: [], kinds: [] })).toEqual(['dial']);
    });
  });

  describe('claimEffects kind filters', () => {
    const seed = async () => {
      await store().insertLead(
        newLead('busy', { tenantId: 'busy' }),
        ['dial', 'sendSms', 'createCrmLead'].map((kind) => newEffect('busy', kind, { tenantId: 'busy' })),
        [],
      );
      await store().insertLead(
        newLead('calm', { tenantId: 'calm', submittedAt: T0 + 1 }),
        ['dial', 'sendSms'].map((kind) => newEffect('calm', kind, { tenantId: 'calm', priority: T0 + 1 })),
        [],
      );
    };
    const claim = async (filters: Parameters<LeadStore['claimEffects']>[5], exclude?: Exclude) =>
      (await store().claimEffects(T0, 10, 'worker-a', LEASE, exclude, filters)).map(
        (e) => `${e.tenantId}:${e.kind}`,
      );

    it('claims only the kinds listed in `only`, for every tenant', async () => {
      await seed();
      expect(await claim({ only: ['dial'] })).toEqual(['busy:dial', 'calm:dial']);
    });

    it('claims every kind but those in `except`', async () => {
      await seed();
      expect(await claim({ except: ['dial'] })).toEqual([
        'busy:sendSms',
        'busy:createCrmLead',
        'calm:sendSms',
      ]);
    });

    it('combines `only` with the tenant exclusion (the paced dial claim)', async () => {
      await seed();
      expect(await claim({ only: ['dial'] }, { tenants: ['busy'], kinds: ['dial'] })).toEqual(['calm:dial']);
    });

    it('claims nothing for an empty `only`, everything for an empty `except`', async () => {
      await seed();
      expect(await claim({ only: [] })).toEqual([]);
      expect(await claim({ except: [] })).toHaveLength(5);
    });

    // A herd: hundreds of dials of a shop at its limit come first in priority order; what the
    // filters allow behind them must still be found (and, in SQL, without reading every row).
    it('finds the allowed effects behind hundreds that the filters leave alone', async () => {
      const herd = Array.from({ length: 300 }, (_, i) =>
        newEffect('herd', `dial-${i}`, { tenantId: 'herd', kind: 'dial', priority: T0 + i }),
      );
      await store().insertLead(newLead('herd', { tenantId: 'herd' }), herd, []);
      await store().insertLead(
        newLead('late', { tenantId: 'late' }),
        [
          newEffect('late', 'dial', { tenantId: 'late', priority: T0 + 1_000 }),
          newEffect('late', 'sendSms', { tenantId: 'late', priority: T0 + 999 }),
          newEffect('late', 'redial', {
            tenantId: 'late',
            kind: 'dial',
            priority: T0 + 998,
            availableAt: T0 + 1,
          }),
          newEffect('late', 'notify', { tenantId: 'late', priority: T0 + 1_001 }),
        ],
        [],
      );

      expect(await claim({ only: ['dial'] }, { tenants: ['herd'], kinds: ['dial'] })).toEqual(['late:dial']);
      expect(await claim({ except: ['dial'] })).toEqual(['late:sendSms', 'late:notify']);
      expect(await claim(undefined, { tenants: ['herd'], kinds: ['dial'] })).toEqual([]);
    });

    it('applies the filters to abandoned idempotent effects too', async () => {
      await seed();
      await store().claimEffects(T0, 10, 'worker-a', LEASE);
      const again = await store().claimEffects(T0 + LEASE, 10, 'worker-b', LEASE, undefined, {
        only: ['sendSms'],
      });
      expect(again.map((e) => `${e.tenantId}:${e.kind}:${e.attempts}`)).toEqual([
        'busy:sendSms:2',
        'calm:sendSms:2',
      ]);
    });
  });

  describe('releaseEffect', () => {
    it('puts the owner’s effect back to pending until availableAt, with the note', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'dial', { paid: true })], []);
      const [effect] = await store().claimEffects(T0, 10, 'worker-a', LEASE);
      if (!effect) throw new Error('effect not claimed');

      await store().releaseEffect(effect.id, 'worker-a', T0 + 500, { rateLimited: 'retry after 500 ms' });

      expect((await store().getEffects('l1'))[0]).toMatchObject({
        status: 'pending',
        availableAt: T0 + 500,
        leaseOwner: null,
        leaseUntil: null,
        attempts: 1,
        result: { rateLimited: 'retry after 500 ms' },
      });
      expect(await store().nextDueAt()).toBe(T0 + 500);
      expect(await kinds(T0 + 499)).toEqual([]);
      const [again] = await store().claimEffects(T0 + 500, 10, 'worker-b', LEASE);
      expect(again).toMatchObject({ status: 'started', attempts: 2, leaseOwner: 'worker-b' });
    });

    it('does nothing for a worker that does not own the lease', async () => {
      await store().insertLead(newLead('l1'), [newEffect('l1', 'createCrmLead')], []);
      await store().claimEffects(T0, 10, 'worker-a', LEASE);
      const [taken] = await store().claimEffects(T0 + LEASE, 10, 'worker-b', LEASE);
      if (!taken) throw new Error('effect not taken over');

      await store().releaseEffect(taken.id, 'worker-a', T0, 'stale worker');

      expect(await store().getEffects('l1')).toEqual([taken]);
    });
  });
}
