import { describe, expect, it } from 'vitest';
import type { DashboardQuery } from '../../../src/ports/dashboard.js';
import type { NewLeadFacts } from '../../../src/ports/lead-facts.js';
import type { LeadStore } from '../../../src/ports/lead-store.js';
// Percentiles read as their speed bucket's lower bound (ports/dashboard.ts): b(exact value).
import { bucketedDelay as b } from '../../../src/stores/speed-buckets.js';
import { newLead } from '../lead-store-fixtures.js';

// Around the night Berlin goes to summer time (29 March 2026): its day 29 has 23 hours.
const at = (iso: string) => Date.parse(iso);
/** 28 March 00:00 in Berlin (CET, UTC+1). */
const FROM = at('2026-03-27T23:00:00Z');
/** 29 March 00:00 in Berlin. */
const MIDNIGHT = at('2026-03-28T23:00:00Z');
/** 30 March 00:00 in Berlin (CEST, UTC+2). */
const TO = at('2026-03-29T22:00:00Z');
const S = 1_000;

const period: DashboardQuery = { from: FROM, to: TO, groupBy: 'partner', timeZone: 'Europe/Berlin' };

interface Seed {
  readonly id: string;
  readonly submittedAt: number;
  readonly tenantId?: string;
  readonly facts: NewLeadFacts;
  /** Seconds from the submit to the first ring and to the pick-up. */
  readonly ring?: number;
  readonly answer?: number;
  readonly marked?: boolean;
}

/**
 * Six leads of shop-1 in the period (three each side of the local midnight, one of them on the
 * 28th in UTC but the 29th in Berlin), one before it, one of another tenant.
 */
const SEEDS: readonly Seed[] = [
  {
    id: 'a',
    submittedAt: at('2026-03-28T09:00:00Z'),
    facts: {
      partner: 'P1',
      partnerName: 'Иван',
      site: 's1',
      orderSum: 100,
      currency: 'RUB',
      outcome: 'answered',
    },
    ring: 10,
    answer: 30,
  },
  {
    id: 'b',
    submittedAt: at('2026-03-28T10:00:00Z'),
    facts: {
      partner: 'P1',
      partnerName: 'Иван',
      site: 's1',
      orderSum: 300,
      currency: 'RUB',
      outcome: 'machine',
    },
    ring: 20,
    marked: true,
  },
  {
    id: 'c',
    submittedAt: at('2026-03-28T11:00:00Z'),
    facts: { partner: 'P1', site: 's2', orderSum: 50, currency: 'USD', outcome: 'machine' },
    ring: 40,
  },
  {
    id: 'd',
    submittedAt: at('2026-03-28T23:30:00Z'),
    facts: { partner: 'P2', site: 's2', outcome: 'no_answer' },
    ring: 5,
  },
  { id: 'e', submittedAt: at('2026-03-29T12:00:00Z'), facts: { site: 's1', orderSum: 200, currency: 'RUB' } },
  {
    id: 'f',
    submittedAt: TO - 1,
    facts: { partner: 'P2', orderSum: 1000, currency: 'RUB', outcome: 'invalid' },
  },
  {
    id: 'before',
    submittedAt: FROM - 1,
    facts: { partner: 'P1', site: 's1', orderSum: 7, currency: 'RUB', outcome: 'answered' },
    ring: 1,
    answer: 2,
  },
  {
    id: 'other',
    tenantId: 'shop-2',
    submittedAt: at('2026-03-28T09:00:00Z'),
    facts: { partner: 'P1', site: 's1', orderSum: 9, currency: 'RUB', outcome: 'machine' },
    ring: 1,
    marked: true,
  },
];

async function seed(store: LeadStore, seeds: readonly Seed[] = SEEDS): Promise<void> {
  for (const s of seeds) {
    const facts: NewLeadFacts = {
      ...s.facts,
      ...(s.ring === undefined ? {} : { firstRingAt: s.submittedAt + s.ring * S }),
      ...(s.answer === undefined ? {} : { answeredAt: s.submittedAt + s.answer * S }),
    };
    await store.insertLead(
      newLead(s.id, { tenantId: s.tenantId ?? 'shop-1', submittedAt: s.submittedAt, facts }),
      [],
      [],
    );
    if (s.marked) {
      await store.markMachinePerson({
        leadId: s.id,
        tenantId: s.tenantId ?? 'shop-1',
        by: 'b24user:1',
        at: s.submittedAt + 3_600_000,
      });
    }
  }
}

const outcomes = (counts: Partial<Record<string, number>>) => ({
  answered: 0,
  machine: 0,
  no_answer: 0,
  invalid: 0,
  manual: 0,
  in_progress: 0,
  ...counts,
});

export function dashboardFiguresContract(store: () => LeadStore): void {
  describe('dashboard', () => {
    it('counts the tenant’s period in total: leads, sums per currency, outcomes, speed, mark rate', async () => {
      await seed(store());
      const { total } = await store().dashboard('shop-1', period);
      expect(total).toEqual({
        leads: 6,
        orderSums: [
          { currency: 'RUB', leads: 4, total: 1600, average: 400 },
          { currency: 'USD', leads: 1, total: 50, average: 50 },
        ],
        outcomes: outcomes({ answered: 1, machine: 2, no_answer: 1, invalid: 1, in_progress: 1 }),
        // Rings after 5, 10, 20, 40 s: the values at ⌊p·(n−1)⌋, the 2nd (⌊1.5⌋) and the 3rd (⌊2.7⌋).
        speed: {
          firstRing: { leads: 4, medianMs: b(10 * S), p90Ms: b(20 * S) },
          answer: { leads: 1, medianMs: b(30 * S), p90Ms: b(30 * S) },
        },
        machine: { outcomes: 2, markedPerson: 1, markRate: 0.5 },
      });
    });

    it('groups by partner, most leads first and the leads without one last, with the CRM’s name', async () => {
      await seed(store());
      const { groups } = await store().dashboard('shop-1', period);
      expect(groups.map((g) => [g.key, g.name, g.leads])).toEqual([
        ['P1', 'Иван', 3],
        ['P2', null, 2],
        [null, null, 1],
      ]);
      const [p1, p2, none] = groups;
      expect(p1).toMatchObject({
        orderSums: [
          { currency: 'RUB', leads: 2, total: 400, average: 200 },
          { currency: 'USD', leads: 1, total: 50, average: 50 },
        ],
        outcomes: outcomes({ answered: 1, machine: 2 }),
        speed: {
          firstRing: { leads: 3, medianMs: b(20 * S), p90Ms: b(20 * S) },
          answer: { leads: 1, medianMs: b(30 * S), p90Ms: b(30 * S) },
        },
        machine: { outcomes: 2, markedPerson: 1, markRate: 0.5 },
      });
      expect(p2).toMatchObject({
        orderSums: [{ currency: 'RUB', leads: 1, total: 1000, average: 1000 }],
        outcomes: outcomes({ no_answer: 1, invalid: 1 }),
        speed: {
          firstRing: { leads: 1, medianMs: b(5 * S), p90Ms: b(5 * S) },
          answer: { leads: 0, medianMs: null, p90Ms: null },
        },
        machine: { outcomes: 0, markedPerson: 0, markRate: null },
      });
      expect(none).toMatchObject({
        outcomes: outcomes({ in_progress: 1 }),
        orderSums: [{ currency: 'RUB', total: 200 }],
      });
    });

    it('groups by site, with no partner name', async () => {
      await seed(store());
      const { groups, total } = await store().dashboard('shop-1', { ...period, groupBy: 'site' });
      expect(groups.map((g) => [g.key, g.name, g.leads, g.outcomes.machine])).toEqual([
        ['s1', null, 3, 1],
        ['s2', null, 2, 1],
        [null, null, 1, 0],
      ]);
      expect(groups[1]?.speed.firstRing).toEqual({ leads: 2, medianMs: b(5 * S), p90Ms: b(5 * S) });
      expect(total.leads).toBe(6);
    });

    it('counts per calendar day of the zone, a DST day its 23 hours, days cut to the period', async () => {
      await seed(store());
      const { days } = await store().dashboard('shop-1', period);
      expect(days).toEqual([
        {
          date: '2026-03-28',
          from: FROM,
          to: MIDNIGHT,
          leads: 3,
          outcomes: outcomes({ answered: 1, machine: 2 }),
        },
        {
          date: '2026-03-29',
          from: MIDNIGHT,
          to: TO,
          leads: 3,
          outcomes: outcomes({ no_answer: 1, invalid: 1, in_progress: 1 }),
        },
      ]);
      expect(TO - MIDNIGHT).toBe(23 * 3_600_000);
      // In UTC the lead at 23:30 is the 28th's; a period from noon cuts its first day at noon.
      const utc = await store().dashboard('shop-1', {
        ...period,
        from: at('2026-03-28T12:00:00Z'),
        timeZone: 'UTC',
      });
      expect(utc.days.map((d) => [d.date, d.from, d.leads])).toEqual([
        ['2026-03-28', at('2026-03-28T12:00:00Z'), 1],
        ['2026-03-29', at('2026-03-29T00:00:00Z'), 2],
      ]);
      expect(utc.total.leads).toBe(3);
    });

    it('answers zeros for a period or a tenant without leads, every day still listed', async () => {
      await seed(store());
      const empty = await store().dashboard('nobody', period);
      expect(empty.total).toEqual({
        leads: 0,
        orderSums: [],
        outcomes: outcomes({}),
        speed: {
          firstRing: { leads: 0, medianMs: null, p90Ms: null },
          answer: { leads: 0, medianMs: null, p90Ms: null },
        },
        machine: { outcomes: 0, markedPerson: 0, markRate: null },
      });
      expect(empty.groups).toEqual([]);
      expect(empty.days.map((d) => [d.date, d.leads])).toEqual([
        ['2026-03-28', 0],
        ['2026-03-29', 0],
      ]);
      // A day without leads has no lead in progress either (a LEFT JOIN once counted one).
      expect(empty.days.map((d) => d.outcomes)).toEqual([outcomes({}), outcomes({})]);
    });

    it('sees another tenant’s leads only as that tenant', async () => {
      await seed(store());
      const other = await store().dashboard('shop-2', period);
      expect(other.total).toMatchObject({ leads: 1, machine: { outcomes: 1, markedPerson: 1, markRate: 1 } });
      expect(other.groups.map((g) => g.key)).toEqual(['P1']);
    });

    it('takes the value at ⌊p·(n−1)⌋ of many, per group and overall', async () => {
      // Ten leads of P1 ringing after 1…10 s and eleven of P2 after 1…11 s, in a shuffled order.
      const seeds: Seed[] = [];
      for (const [partner, n] of [
        ['P1', 10],
        ['P2', 11],
      ] as const) {
        for (let i = 1; i <= n; i += 1) {
          const ring = ((i * 7) % n) + 1;
          seeds.push({
            id: `${partner}-${i}`,
            submittedAt: FROM + i * 1_000,
            facts: { partner },
            ring,
            answer: ring * 2,
          });
        }
      }
      await seed(store(), seeds);
      const { groups, total } = await store().dashboard('shop-1', period);
      const speed = Object.fromEntries(groups.map((g) => [g.key, g.speed]));
      expect(speed.P1?.firstRing).toEqual({ leads: 10, medianMs: b(5 * S), p90Ms: b(9 * S) });
      expect(speed.P2?.firstRing).toEqual({ leads: 11, medianMs: b(6 * S), p90Ms: b(10 * S) });
      expect(speed.P2?.answer).toEqual({ leads: 11, medianMs: b(12 * S), p90Ms: b(20 * S) });
      // All 21: 1,1,2,2,…,10,10,11 — at index 10 is 6, at 18 (⌊0.9·20⌋) 10.
      expect(total.speed.firstRing).toEqual({ leads: 21, medianMs: b(6 * S), p90Ms: b(10 * S) });
    });

    it('refuses an empty or reversed period, one too long, and an unknown zone', async () => {
      await expect(store().dashboard('shop-1', { ...period, to: FROM })).rejects.toThrow(RangeError);
      await expect(store().dashboard('shop-1', { ...period, to: FROM - 1 })).rejects.toThrow(RangeError);
      await expect(
        store().dashboard('shop-1', { ...period, to: FROM + 401 * 24 * 3_600_000 }),
      ).rejects.toThrow(/400 days/);
      await expect(store().dashboard('shop-1', { ...period, timeZone: 'Mars/Olympus' })).rejects.toThrow(
        /time zone/,
      );
    });
  });
}
