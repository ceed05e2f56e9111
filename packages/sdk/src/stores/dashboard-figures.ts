import type {
  Dashboard,
  DashboardDay,
  DashboardFigures,
  DashboardGroup,
  OrderSumFigures,
  OutcomeCounts,
  SpeedFigures,
} from '../ports/dashboard.js';
import type { PeriodDay } from './dashboard-days.js';

// The one place a store's counted rows become the dashboard's answer, so that every store answers
// in the same shape and order. The rows are already counts: the sums below add a few hundred
// groups at most, never leads.

/** Counts of one (group, currency) of the period's leads, as the store's GROUP BY gives them. */
export interface DashboardCell {
  readonly key: string | null;
  readonly name: string | null;
  readonly currency: string | null;
  readonly leads: number;
  readonly outcomes: OutcomeCounts;
  /** `machine` outcomes marked as a person. */
  readonly marked: number;
  /** Leads with an order sum, and the sum of their sums. */
  readonly sumLeads: number;
  readonly sumTotal: number;
}

/** A group's percentiles (key undefined: the whole period's). */
export interface SpeedRow {
  readonly key: string | null | undefined;
  readonly metric: 'firstRing' | 'answer';
  readonly figures: SpeedFigures;
}

export interface DayRow {
  readonly date: string;
  readonly leads: number;
  readonly outcomes: OutcomeCounts;
}

export const NO_OUTCOMES: OutcomeCounts = {
  answered: 0,
  machine: 0,
  no_answer: 0,
  invalid: 0,
  manual: 0,
  in_progress: 0,
};

const NO_SPEED: SpeedFigures = { leads: 0, medianMs: null, p90Ms: null };

/** The nearest-rank percentile of sorted values: the one at rank ⌈p·n⌉, as the SQL stores pick it. */
export function nearestRank(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.floor((sorted.length * percent + 99) / 100) - 1] ?? null;
}

export function speedOf(values: number[]): SpeedFigures {
  const sorted = values.sort((a, b) => a - b);
  return { leads: sorted.length, medianMs: nearestRank(sorted, 50), p90Ms: nearestRank(sorted, 90) };
}

export function assembleDashboard(
  cells: readonly DashboardCell[],
  speeds: readonly SpeedRow[],
  periodDays: readonly PeriodDay[],
  dayRows: readonly DayRow[],
): Dashboard {
  const byKey = new Map<string | null, DashboardCell[]>();
  for (const cell of cells) {
    const list = byKey.get(cell.key);
    if (list === undefined) byKey.set(cell.key, [cell]);
    else list.push(cell);
  }
  const speedKey = (key: string | null | undefined, metric: SpeedRow['metric']) =>
    JSON.stringify([key === undefined ? 0 : key, metric]);
  const bySpeedKey = new Map(speeds.map((row) => [speedKey(row.key, row.metric), row.figures]));
  const speedOfGroup = (key: string | null | undefined) => ({
    firstRing: bySpeedKey.get(speedKey(key, 'firstRing')) ?? NO_SPEED,
    answer: bySpeedKey.get(speedKey(key, 'answer')) ?? NO_SPEED,
  });
  const groups: DashboardGroup[] = [...byKey].map(([key, list]) => ({
    key,
    // The greatest, as SQL's MAX: a partner renamed in the CRM shows one name.
    name: list.reduce<string | null>(
      (max, cell) => (cell.name !== null && (max === null || cell.name > max) ? cell.name : max),
      null,
    ),
    ...figuresOf(list, speedOfGroup(key)),
  }));
  groups.sort((a, b) => b.leads - a.leads || compareKeys(a.key, b.key));
  const counted = new Map(dayRows.map((row) => [row.date, row]));
  const days: DashboardDay[] = periodDays.map((day) => {
    const row = counted.get(day.date);
    return { ...day, leads: row?.leads ?? 0, outcomes: row?.outcomes ?? NO_OUTCOMES };
  });
  return { total: figuresOf(cells, speedOfGroup(undefined)), groups, days };
}

function figuresOf(cells: readonly DashboardCell[], speed: DashboardFigures['speed']): DashboardFigures {
  const outcomes: Record<keyof OutcomeCounts, number> = { ...NO_OUTCOMES };
  const sums = new Map<string | null, { leads: number; total: number }>();
  let leads = 0;
  let marked = 0;
  for (const cell of cells) {
    leads += cell.leads;
    marked += cell.marked;
    for (const name of Object.keys(outcomes) as (keyof OutcomeCounts)[])
      outcomes[name] += cell.outcomes[name];
    if (cell.sumLeads === 0) continue;
    const sum = sums.get(cell.currency) ?? { leads: 0, total: 0 };
    sums.set(cell.currency, { leads: sum.leads + cell.sumLeads, total: sum.total + cell.sumTotal });
  }
  const orderSums: OrderSumFigures[] = [...sums]
    .map(([currency, sum]) => ({
      currency,
      leads: sum.leads,
      total: sum.total,
      average: sum.total / sum.leads,
    }))
    .sort((a, b) =>
      a.currency === null ? -1 : b.currency === null ? 1 : compareKeys(a.currency, b.currency),
    );
  return {
    leads,
    orderSums,
    outcomes,
    speed,
    machine: {
      outcomes: outcomes.machine,
      markedPerson: marked,
      markRate: outcomes.machine === 0 ? null : marked / outcomes.machine,
    },
  };
}

/** Code-unit order (SQLite's BINARY), null last. */
function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
