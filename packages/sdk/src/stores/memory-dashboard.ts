import type { Dashboard, DashboardQuery, OutcomeCounts } from '../ports/dashboard.js';
import type { LeadFacts } from '../ports/lead-facts.js';
import { periodDays } from './dashboard-days.js';
import {
  assembleDashboard,
  type DashboardCell,
  type DayRow,
  NO_OUTCOMES,
  type SpeedRow,
  speedOf,
} from './dashboard-figures.js';

/** A lead as the memory store's dashboard reads it. */
export interface FactsRow {
  readonly submittedAt: number;
  readonly facts: LeadFacts;
}

type Counts = { -readonly [K in keyof OutcomeCounts]: number };

/**
 * The memory store's dashboard: what the SQL stores count with GROUP BY and window functions,
 * counted over one tenant's leads in a loop (they are in memory already), for tests.
 */
export function memoryDashboard(rows: readonly FactsRow[], query: DashboardQuery): Dashboard {
  const days = periodDays(query);
  const inPeriod = rows.filter((row) => row.submittedAt >= query.from && row.submittedAt < query.to);
  const keyOf = (facts: LeadFacts) => (query.groupBy === 'partner' ? facts.partner : facts.site);

  const cells = new Map<string, DashboardCell & { outcomes: Counts }>();
  for (const { facts } of inPeriod) {
    const key = keyOf(facts);
    const id = JSON.stringify([key, facts.currency]);
    let cell = cells.get(id);
    if (cell === undefined) {
      cell = {
        key,
        name: null,
        currency: facts.currency,
        leads: 0,
        outcomes: { ...NO_OUTCOMES },
        marked: 0,
        sumLeads: 0,
        sumTotal: 0,
      };
      cells.set(id, cell);
    }
    const counting = cell as { -readonly [K in keyof DashboardCell]: DashboardCell[K] };
    counting.leads += 1;
    cell.outcomes[facts.outcome ?? 'in_progress'] += 1;
    if (facts.outcome === 'machine' && facts.machinePersonAt !== null) counting.marked += 1;
    if (facts.orderSum !== null) {
      counting.sumLeads += 1;
      counting.sumTotal += facts.orderSum;
    }
    // The greatest name, as SQL's MAX picks it.
    if (query.groupBy === 'partner' && facts.partnerName !== null && (cell.name ?? '') < facts.partnerName)
      counting.name = facts.partnerName;
  }

  const speeds: SpeedRow[] = [];
  const groupKeys = new Set(inPeriod.map((row) => keyOf(row.facts)));
  for (const metric of ['firstRing', 'answer'] as const) {
    const delay = (row: FactsRow) => {
      const at = metric === 'firstRing' ? row.facts.firstRingAt : row.facts.answeredAt;
      return at === null ? [] : [at - row.submittedAt];
    };
    speeds.push({ key: undefined, metric, figures: speedOf(inPeriod.flatMap(delay)) });
    for (const key of groupKeys) {
      const values = inPeriod.filter((row) => keyOf(row.facts) === key).flatMap(delay);
      if (values.length > 0) speeds.push({ key, metric, figures: speedOf(values) });
    }
  }

  const dayRows: DayRow[] = days.map((day) => {
    const outcomes: Counts = { ...NO_OUTCOMES };
    let leads = 0;
    for (const row of inPeriod) {
      if (row.submittedAt < day.from || row.submittedAt >= day.to) continue;
      leads += 1;
      outcomes[row.facts.outcome ?? 'in_progress'] += 1;
    }
    return { date: day.date, leads, outcomes };
  });
  return assembleDashboard([...cells.values()], speeds, days, dayRows);
}
