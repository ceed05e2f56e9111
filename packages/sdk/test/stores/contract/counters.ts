import { describe, expect, it } from 'vitest';
import type { CounterHit, LeadStore } from '../../../src/ports/lead-store.js';
import { T0 } from '../lead-store-fixtures.js';

const HOUR = 3_600_000;
const hit = (key: string, limit: number, extra: Partial<CounterHit> = {}): CounterHit => ({
  key,
  by: 1,
  limit,
  until: T0 + HOUR,
  ...extra,
});

export function countersContract(store: () => LeadStore): void {
  describe('countHits', () => {
    it('adds each hit and answers the totals', async () => {
      expect(await store().countHits([hit('a', 5), hit('b', 5, { by: 3 })], T0)).toEqual({
        counted: true,
        totals: [1, 3],
      });
      expect(await store().countHits([hit('a', 5), hit('b', 5, { by: 2 })], T0 + 1)).toEqual({
        counted: true,
        totals: [2, 5],
      });
    });

    it('adds none when one would pass its limit, and says where each stands', async () => {
      await store().countHits([hit('phone', 2), hit('ip', 10)], T0);
      await store().countHits([hit('phone', 2), hit('ip', 10)], T0);
      expect(await store().countHits([hit('phone', 2), hit('ip', 10)], T0)).toEqual({
        counted: false,
        totals: [2, 2],
      });
      // The IP was not counted by the refused call.
      expect(await store().countHits([hit('ip', 10)], T0)).toEqual({ counted: true, totals: [3] });
    });

    it('a hit worth more than one reserves all of it or nothing', async () => {
      expect((await store().countHits([hit('calls', 10, { by: 3 })], T0)).counted).toBe(true);
      expect((await store().countHits([hit('calls', 10, { by: 3 })], T0)).counted).toBe(true);
      expect((await store().countHits([hit('calls', 10, { by: 3 })], T0)).counted).toBe(true);
      expect(await store().countHits([hit('calls', 10, { by: 3 })], T0)).toEqual({
        counted: false,
        totals: [9],
      });
      expect(await store().countHits([hit('calls', 10, { by: 1 })], T0)).toEqual({
        counted: true,
        totals: [10],
      });
    });

    it('counts from zero once the window ended', async () => {
      await store().countHits([hit('a', 1)], T0);
      expect((await store().countHits([hit('a', 1)], T0 + HOUR - 1)).counted).toBe(false);
      expect(await store().countHits([hit('a', 1, { until: T0 + 2 * HOUR })], T0 + HOUR)).toEqual({
        counted: true,
        totals: [1],
      });
      expect((await store().countHits([hit('a', 1, { until: T0 + 2 * HOUR })], T0 + HOUR + 1)).counted).toBe(
        false,
      );
    });

    it('keeps counters apart by key, and counts nothing for no hits', async () => {
      expect(await store().countHits([], T0)).toEqual({ counted: true, totals: [] });
      await store().countHits([hit('x', 1)], T0);
      expect(await store().countHits([hit('y', 1)], T0)).toEqual({ counted: true, totals: [1] });
    });
  });

  describe('countRefusal', () => {
    it('counts refusals per tenant and reason, for stats', async () => {
      await store().countRefusal('shop-b', 'phone');
      await store().countRefusal('shop-a', 'ip');
      await store().countRefusal('shop-a', 'phone');
      await store().countRefusal('shop-a', 'ip');
      expect((await store().stats()).refusals).toEqual([
        { tenantId: 'shop-a', reason: 'ip', count: 2 },
        { tenantId: 'shop-a', reason: 'phone', count: 1 },
        { tenantId: 'shop-b', reason: 'phone', count: 1 },
      ]);
    });
  });
}
