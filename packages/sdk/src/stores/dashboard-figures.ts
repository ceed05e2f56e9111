import type {
  Dashboard,
  DashboardDay,
  DashboardFigures,
  DashboardGroup,
  OutcomeCounts,
  SpeedFigures,
} from '../ports/dashboard.js';
import type { PeriodDay } from './dashboard-days.js';
import { bucketedDelay } from './speed-buckets.js';

// The one place a store's counted rows become the dashboard's answer, so that every store answers
// in the same shape and order. The rows are already counts, one per group: nothing here sees a lead.

/** One group's (or the whole period's) counts, as a store's aggregate gives them. */
export interface FiguresRow {
  readonly leads: number;
  readonly outcomes: OutcomeCounts;
  /** `machine` outcomes marked as a person. */
  readonly marked: number;
  /** Per currency (null: sums sent without one): the leads with a sum, and their total. */
  readonly sums: readonly {
    readonly currency: string | null;
    readonly leads: number;
    readonly total: number;
  }[];
  readonly speed: { readonly firstRing: SpeedFigures; readonly answer: SpeedFigures };
}

export interface GroupRow extends FiguresRow {
  readonly key: string | null;
  readonly name: string | null;
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

/**
 * The percentile of sorted values: the value at 0-based index ⌊p·(n−1)⌋ (numpy's "lower"; the
 * median is the lower median). Null when n = 0.
 */
export function percentileOf(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.floor((percent * (sorted.length - 1)) / 100)] ?? null;
}

/**
 * Speed to lead as the dashboard reports it (ports/dashboard.ts): the exact percentile, read as
 * the lower bound of its speed bucket — what a store summing bucket histograms finds.
 */
export function speedOf(values: number[]): SpeedFigures {
  const sorted = values.sort((a, b) => a - b);
  const at = (percent: number) => {
    const exact = percentileOf(sorted, percent);
    return exact === null ? null : bucketedDelay(exact);
  };
  return { leads: sorted.length, medianMs: at(50), p90Ms: at(90) };
}

export function assembleDashboard(
  total: FiguresRow,
  groupRows: readonly GroupRow[],
  periodDays: readonly PeriodDay[],
  dayRows: readonly DayRow[],
): Dashboard {
  const groups: DashboardGroup[] = groupRows.map(({ key, name, ...row }) => ({
    key,
    name,
    ...figuresOf(row),
  }));
  groups.sort((a, b) => b.leads - a.leads || compareKeys(a.key, b.key));
  const counted = new Map(dayRows.map((row) => [row.date, row]));
  const days: DashboardDay[] = periodDays.map((day) => {
    const row = counted.get(day.date);
    return { ...day, leads: row?.leads ?? 0, outcomes: row?.outcomes ?? NO_OUTCOMES };
  });
  return { total: figuresOf(total), groups, days };
}

function figuresOf(row: FiguresRow): DashboardFigures {
  const orderSums = row.sums
    .filter((sum) => sum.leads > 0)
    .map((sum) => ({
      currency: sum.currency,
      leads: sum.leads,
      total: sum.total,
      average: sum.total / sum.leads,
    }))
    .sort((a, b) =>
      a.currency === null ? -1 : b.currency === null ? 1 : compareKeys(a.currency, b.currency),
    );
  const machine = row.outcomes.machine;
  return {
    leads: row.leads,
    orderSums,
    outcomes: row.outcomes,
    speed: row.speed,
    machine: {
      outcomes: machine,
      markedPerson: row.marked,
      markRate: machine === 0 ? null : row.marked / machine,
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
