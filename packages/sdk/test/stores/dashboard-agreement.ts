import { expect } from 'vitest';
import type { DashboardQuery, LeadOutcome, LeadStore, NewLeadFacts } from '../../src/ports/index.js';
import { MemoryLeadStore } from '../../src/stores/memory-lead-store.js';
import { runSeed, seededRandom } from '../support/seed.js';
import { newLead, sameState, T0 } from './lead-store-fixtures.js';

// The contract suite checks chosen figures; this checks that a store's SQL and the memory store
// count the same over many random leads (the run's seed: PROZVON_SEED replays it), every grouping,
// zone and period, so no aggregate of one drifts from the other's. Each SQL store runs it on a
// fresh, empty store of its own (SQLite, PostgreSQL).
export const DAY = 86_400_000;
/** Every outcome a lead's dashboard facts may hold, null (in progress) too. */
export const OUTCOMES: readonly (LeadOutcome | null)[] = [
  'answered',
  'machine',
  'no_answer',
  'invalid',
  'manual',
  null,
];

/** Inserts 600 random leads of three tenants into `counted` and a memory store; compares them. */
export async function expectDashboardsAgree(counted: LeadStore): Promise<void> {
  const random = seededRandom(runSeed());
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const memory = new MemoryLeadStore();
  const stores: LeadStore[] = [counted, memory];
  try {
    for (let i = 0; i < 600; i += 1) {
      // Over 160 days: periods of up to 130 days hold whole 32-day blocks of SQLite's rollups.
      const submittedAt = T0 + Math.floor(random() * 160 * DAY);
      const outcome = pick(OUTCOMES);
      const rung = outcome !== 'invalid' && random() < 0.9;
      const facts: NewLeadFacts = {
        partner: pick(['P1', 'P2', 'P3', null]),
        partnerName: pick(['Иван', 'Мария', null]),
        site: pick(['a.example', 'b.example', null]),
        // Halves only: sums added in any order are exact, in SQL as in JavaScript.
        ...(random() < 0.8
          ? { orderSum: Math.floor(random() * 20_000) / 2, currency: pick(['RUB', 'USD', null]) }
          : {}),
        outcome,
        firstRingAt: rung ? submittedAt + Math.floor(random() * 120_000) : null,
        answeredAt:
          rung && outcome === 'answered' ? submittedAt + 120_000 + Math.floor(random() * 30_000) : null,
      };
      const lead = newLead(`l${i}`, {
        tenantId: pick(['shop-1', 'shop-1', 'shop-2', 'shop-3']),
        submittedAt,
        facts,
      });
      const marked = outcome === 'machine' && random() < 0.3;
      // Half the leads get their calling's facts by a later update, as the engine writes them.
      const later = random() < 0.5;
      const { outcome: _o, firstRingAt: _r, answeredAt: _a, ...shop } = facts;
      for (const store of stores) {
        if (later) {
          await store.insertLead({ ...lead, facts: shop }, [], []);
          await store.updateLead(lead.id, (stored) =>
            sameState(stored, {
              facts: {
                outcome,
                firstRingAt: facts.firstRingAt ?? null,
                answeredAt: facts.answeredAt ?? null,
              },
            }),
          );
        } else await store.insertLead(lead, [], []);
        if (marked)
          await store.markMachinePerson({ leadId: lead.id, tenantId: lead.tenantId, by: 'u', at: T0 });
      }
    }
    let compared = 0;
    for (const tenantId of ['shop-1', 'shop-2', 'nobody']) {
      for (const groupBy of ['partner', 'site'] as const) {
        for (const timeZone of ['Europe/Moscow', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu']) {
          const from = T0 + Math.floor(random() * 30 * DAY);
          const query: DashboardQuery = {
            from,
            to: from + Math.floor(random() * 130 * DAY) + 1,
            groupBy,
            timeZone,
          };
          const answer = await counted.dashboard(tenantId, query);
          expect(answer).toEqual(await memory.dashboard(tenantId, query));
          compared += answer.total.leads;
        }
      }
    }
    // Not a comparison of empty answers: the periods held leads.
    expect(compared).toBeGreaterThan(300);
  } finally {
    await memory.close();
  }
}
