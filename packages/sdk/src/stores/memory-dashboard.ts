import type { Dashboard, DashboardQuery, OutcomeCounts } from '../ports/dashboard.js';
import type { LeadFacts } from '../ports/lead-facts.js';
import { periodDays } from './dashboard-days.js';
import {
  assembleDashboard,
  type DayRow,
  type FiguresRow,
  type GroupRow,
  NO_OUTCOMES,
  speedOf,
} from './dashboard-figures.js';

/** A lead as the memory store's dashboard reads it. */
export interface FactsRow {
  readonly submittedAt: number;
  readonly facts: LeadFacts;
}

type Counts = { -readonly [K in keyof OutcomeCounts]: number };

/**
 * The memory store's dashboard: what the SQL stores count with aggregates, counted over one
 * tenant's leads in a loop (they are in memory already), for tests.
 */
export function memoryDashboard(rows: readonly FactsRow[], query: DashboardQuery): Dashboard {
  const days = periodDays(query);
  const inPeriod = rows.filter((row) => row.submittedAt >= query.from && row.submittedAt < query.to);
  const keyOf = (facts: LeadFacts) => (query.groupBy === 'partner' ? facts.partner : facts.site);
  const byKey = new Map<string | null, FactsRow[]>();
  for (const row of inPeriod) {
    const key = keyOf(row.facts);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [row]);
    else list.push(row);
  }
  const groups: GroupRow[] = [...byKey].map(([key, list]) => ({
    key,
    // The greatest, as SQL's MAX: a partner renamed in the CRM shows one name.
    name:
      query.groupBy === 'partner'
        ? list.reduce<string | null>((max, { facts }) => {
            const name = facts.partnerName;
            return name !== null && (max === null || name > max) ? name : max;
          }, null)
        : null,
    ...figuresOf(list),
  }));
  const dayRows: DayRow[] = days.map((day) => {
    const list = inPeriod.filter((row) => row.submittedAt >= day.from && row.submittedAt < day.to);
    return { date: day.date, leads: list.length, outcomes: outcomesOf(list) };
  });
  return assembleDashboard(figuresOf(inPeriod), groups, days, dayRows);
}

function figuresOf(list: readonly FactsRow[]): FiguresRow {
  const sums = new Map<string | null, { leads: number; total: number }>();
  for (const { facts } of list) {
    if (facts.orderSum === null) continue;
    const sum = sums.get(facts.currency) ?? { leads: 0, total: 0 };
    sums.set(facts.currency, { leads: sum.leads + 1, total: sum.total + facts.orderSum });
  }
  const delays = (at: (facts: LeadFacts) => number | null) =>
    list.flatMap(({ facts, submittedAt }) => {
      const instant = at(facts);
      return instant === null ? [] : [instant - submittedAt];
    });
  return {
    leads: list.length,
    outcomes: outcomesOf(list),
    marked: list.filter(({ facts }) => facts.outcome === 'machine' && facts.machinePersonAt !== null).length,
    sums: [...sums].map(([currency, sum]) => ({ currency, ...sum })),
    speed: {
      firstRing: speedOf(delays((facts) => facts.firstRingAt)),
      answer: speedOf(delays((facts) => facts.answeredAt)),
    },
  };
}

function outcomesOf(list: readonly FactsRow[]): OutcomeCounts {
  const counts: Counts = { ...NO_OUTCOMES };
  for (const { facts } of list) counts[facts.outcome ?? 'in_progress'] += 1;
  return counts;
}
