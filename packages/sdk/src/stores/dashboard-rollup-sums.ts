import type { Dashboard, OutcomeCounts } from '../ports/dashboard.js';
import type { PeriodDay } from './dashboard-days.js';
import { assembleDashboard, type DayRow, type FiguresRow, type GroupRow } from './dashboard-figures.js';
import { histogramPercentile } from './speed-buckets.js';

// How a store that keeps the dashboard's rollups (SQLite's dashboard-rollups.ts, PostgreSQL's
// migration 10) reads a period: which parts of it come from rollup rows and which from the leads,
// and the rows it reads added up, group by group, into the dashboard. The stores differ in their
// SQL only; what a row means and how rows add up is here, once.

const DAY_MS = 86_400_000;
/** The grain of the chart's rollups (dashboard_quarters): 15 minutes, UTC. */
export const QUARTER_MS = 900_000;
/** The coarse span of rollup rows, in days: a period's whole blocks are read at this grain. */
export const BLOCK_DAYS = 32;

const COUNTS = ['answered', 'machine', 'no_answer', 'invalid', 'manual', 'in_progress'] as const;
/** The outcome counts a rollup row holds, in the order the stores' rows and arrays give them. */
export const ROLLUP_COUNTS: readonly (keyof OutcomeCounts)[] = COUNTS;

/** The whole-day spans [fromDay, toDay) of the period, and its leads outside them. */
export interface PeriodParts {
  readonly blocks: { readonly fromDay: number; readonly toDay: number } | null;
  readonly days: readonly { readonly fromDay: number; readonly toDay: number }[];
  readonly leads: readonly { readonly from: number; readonly to: number }[];
}

/** Splits [from, to) into whole 32-day blocks, whole UTC days, and the rest (read from the leads). */
export function periodParts(from: number, to: number): PeriodParts {
  const firstDay = Math.ceil(from / DAY_MS);
  const endDay = Math.floor(to / DAY_MS);
  if (firstDay >= endDay) return { blocks: null, days: [], leads: [{ from, to }] };
  const leads = [
    { from, to: firstDay * DAY_MS },
    { from: endDay * DAY_MS, to },
  ].filter((range) => range.from < range.to);
  const firstBlock = Math.ceil(firstDay / BLOCK_DAYS) * BLOCK_DAYS;
  const endBlock = Math.floor(endDay / BLOCK_DAYS) * BLOCK_DAYS;
  if (firstBlock >= endBlock) return { blocks: null, days: [{ fromDay: firstDay, toDay: endDay }], leads };
  const days = [
    { fromDay: firstDay, toDay: firstBlock },
    { fromDay: endBlock, toDay: endDay },
  ].filter((range) => range.fromDay < range.toDay);
  return { blocks: { fromDay: firstBlock, toDay: endBlock }, days, leads };
}

/** The rollup spans to read for a period's whole days: its blocks at span 32, its other days at 1. */
export function rollupSpans(parts: PeriodParts): { span: number; fromDay: number; toDay: number }[] {
  return [
    ...(parts.blocks === null ? [] : [{ span: BLOCK_DAYS, ...parts.blocks }]),
    ...parts.days.map((range) => ({ span: 1, ...range })),
  ];
}

/**
 * The instants [from, to) of a period's whole days (its rollup spans, which are contiguous), or
 * null when it has none: the rollups hold only the counted leads there, so a store reads that
 * range's leads in progress from the leads.
 */
export function wholeDaysOf(parts: PeriodParts): { from: number; to: number } | null {
  const spans = rollupSpans(parts);
  if (spans.length === 0) return null;
  const fromDay = Math.min(...spans.map((span) => span.fromDay));
  const toDay = Math.max(...spans.map((span) => span.toDay));
  return { from: fromDay * DAY_MS, to: toDay * DAY_MS };
}

/**
 * A day of the chart as [date, from, quartersFrom, quartersTo, to]: its whole quarters
 * [quartersFrom, quartersTo) are read from the quarter rollups, its leads before and after them
 * from the leads. A day without a whole quarter is read from the leads alone.
 */
export function dayQuarters(day: PeriodDay): [string, number, number, number, number] {
  const first = Math.ceil(day.from / QUARTER_MS) * QUARTER_MS;
  const end = Math.floor(day.to / QUARTER_MS) * QUARTER_MS;
  return first < end
    ? [day.date, day.from, first, end, day.to]
    : [day.date, day.from, day.to, day.to, day.to];
}

/** A day's counts from its parts, each [leads, …ROLLUP_COUNTS] (missing entries count 0). */
export function dayRowOf(date: string, parts: readonly (readonly number[])[]): DayRow {
  const at = (i: number) => parts.reduce((total, part) => total + Number(part[i] ?? 0), 0);
  return {
    date,
    leads: at(0),
    outcomes: Object.fromEntries(COUNTS.map((name, i) => [name, at(i + 1)])) as unknown as OutcomeCounts,
  };
}

type Row = Record<string, unknown>;

/** One group's figures as they are added up, rollup row by row. */
interface Sum {
  name: string | null;
  leads: number;
  outcomes: Record<keyof OutcomeCounts, number>;
  marked: number;
  sums: Map<string, { leads: number; total: number }>;
  ring: Map<number, number>;
  answer: Map<number, number>;
}

const newSum = (): Sum => ({
  name: null,
  leads: 0,
  outcomes: { answered: 0, machine: 0, no_answer: 0, invalid: 0, manual: 0, in_progress: 0 },
  marked: 0,
  sums: new Map(),
  ring: new Map(),
  answer: new Map(),
});

/**
 * The groups of a period as their rows are read, keyed as the rollups key them ('' for none, else
 * '=' || the value). Rows of three kinds add to it:
 * - a rollup row: grp, name, leads, the counts, marked, and `sums` (currency key → [leads, total]),
 *   `ring` and `answer` (bucket → leads): JSON text or parsed;
 * - a part of a day's leads per group and currency: the same counts, with `cur`, `sum_leads` and
 *   `sum_total` instead of the JSON;
 * - a speed row: grp, kind (0 first ring, 1 answer), bucket, n.
 */
export type RollupTally = Map<string, Sum>;

export const newRollupTally = (): RollupTally => new Map();

function groupOf(tally: RollupTally, grp: unknown): Sum {
  const key = String(grp);
  let sum = tally.get(key);
  if (sum === undefined) {
    sum = newSum();
    tally.set(key, sum);
  }
  return sum;
}

const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** Adds a rollup row, or an edge's row of leads of one group and currency, to its group's sum. */
export function addRollupRow(tally: RollupTally, row: Row): void {
  const sum = groupOf(tally, row.grp);
  sum.leads += Number(row.leads);
  for (const name of COUNTS) sum.outcomes[name] += Number(row[name]);
  sum.marked += Number(row.marked);
  const name = row.name === null || row.name === undefined ? null : String(row.name);
  if (name !== null && (sum.name === null || name > sum.name)) sum.name = name;
  if (row.sums !== undefined) {
    const sums = parsed<Record<string, [number, number]>>(row.sums);
    for (const [currency, [n, total]] of Object.entries(sums)) addOrderSum(sum, currency, n, total);
    addHistogram(sum.ring, parsed(row.ring));
    addHistogram(sum.answer, parsed(row.answer));
  } else {
    addOrderSum(sum, String(row.cur), Number(row.sum_leads), Number(row.sum_total));
  }
}

/** Adds a speed row of a part of a day's leads (kind 0 first ring, 1 answer). */
export function addSpeedRow(tally: RollupTally, row: Row): void {
  const sum = groupOf(tally, row.grp);
  addCount(Number(row.kind) === 0 ? sum.ring : sum.answer, Number(row.bucket), Number(row.n));
}

function addOrderSum(sum: Sum, currency: string, leads: number, total: number): void {
  if (leads === 0) return;
  const known = sum.sums.get(currency);
  if (known === undefined) sum.sums.set(currency, { leads, total });
  else {
    known.leads += leads;
    known.total += total;
  }
}

function addHistogram(into: Map<number, number>, histogram: Record<string, number>): void {
  for (const bucket in histogram) addCount(into, Number(bucket), histogram[bucket] as number);
}

function addCount(into: Map<number, number>, bucket: number, n: number): void {
  if (n !== 0) into.set(bucket, (into.get(bucket) ?? 0) + n);
}

/** A group's sum added to the period's (a lead is in exactly one group). */
function addSum(total: Sum, sum: Sum): void {
  total.leads += sum.leads;
  for (const name of COUNTS) total.outcomes[name] += sum.outcomes[name];
  total.marked += sum.marked;
  for (const [currency, { leads, total: amount }] of sum.sums) addOrderSum(total, currency, leads, amount);
  for (const [bucket, n] of sum.ring) addCount(total.ring, bucket, n);
  for (const [bucket, n] of sum.answer) addCount(total.answer, bucket, n);
}

function figuresOf(sum: Sum): FiguresRow {
  const speed = (histogram: Map<number, number>) => {
    let leads = 0;
    for (const n of histogram.values()) leads += n;
    return {
      leads,
      medianMs: histogramPercentile(histogram, 50),
      p90Ms: histogramPercentile(histogram, 90),
    };
  };
  return {
    leads: sum.leads,
    outcomes: { ...sum.outcomes },
    marked: sum.marked,
    sums: [...sum.sums].map(([currency, { leads, total }]) => ({
      currency: currency === '-' ? null : currency.slice(1),
      leads,
      total,
    })),
    speed: { firstRing: speed(sum.ring), answer: speed(sum.answer) },
  };
}

/** The dashboard of the tallied groups (a group whose leads were all taken away is left out). */
export function tallyDashboard(
  tally: RollupTally,
  days: readonly PeriodDay[],
  dayRows: readonly DayRow[],
): Dashboard {
  const groupRows: GroupRow[] = [];
  const total = newSum();
  for (const [grp, sum] of tally) {
    if (sum.leads === 0) continue;
    groupRows.push({ key: grp === '' ? null : grp.slice(1), name: sum.name, ...figuresOf(sum) });
    addSum(total, sum);
  }
  return assembleDashboard(figuresOf(total), groupRows, days, dayRows);
}
