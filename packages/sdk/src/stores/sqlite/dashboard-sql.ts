import type { StatementSync } from 'node:sqlite';
import type { Dashboard, DashboardGroupBy, DashboardQuery, OutcomeCounts } from '../../ports/dashboard.js';
import { type PeriodDay, periodDays } from '../dashboard-days.js';
import { assembleDashboard, type DayRow, type FiguresRow, type GroupRow } from '../dashboard-figures.js';
import { histogramPercentile } from '../speed-buckets.js';
import { BLOCK_DAYS, bucketOf, OPEN_LEADS, QUARTER_MS } from './dashboard-rollups.js';

/**
 * The dashboard's statements: a period is summed from the rollups (dashboard-rollups.ts) where it
 * covers whole UTC days — its whole 32-day blocks, then its other whole days — and from the
 * leads (one range of the covering index leads_dashboard each) where it covers part of a day, at
 * its two ends. So a year of a million leads is about 13 + 62 rollup rows per group plus two
 * partial days of leads (under 200 ms on the benchmark's portal, bench/README.md), where
 * aggregating every lead took 2.5 s of CPU. The chart's days are summed from 15-minute rollups,
 * with the leads read at a day's ends that are not on a quarter (a zone whose offset is not a
 * multiple of 15 minutes, or the period's own ends).
 *
 * The figures are the same as counted over the leads: counts and sums are exact; percentiles come
 * from summed bucket histograms (ports/dashboard.ts says their bound). Every statement here is
 * plain SQL but the JSON functions, which PostgreSQL has as jsonb.
 */

const OUTCOMES = ['answered', 'machine', 'no_answer', 'invalid', 'manual'] as const;
const COUNTS = [...OUTCOMES, 'in_progress'] as const;
const DAY_MS = 86_400_000;

const OUTCOME_COUNTS = `${OUTCOMES.map((outcome) => `TOTAL(outcome = '${outcome}') AS ${outcome}`).join(', ')},
  TOTAL(outcome IS NULL) AS in_progress`;

/** The rollup rows of whole days [:fromDay, :toDay) at one span, of one grouping. */
const ROLLUPS_SQL = `
  SELECT grp, name, leads, ${COUNTS.join(', ')}, marked, json(sums) AS sums, json(ring) AS ring,
    json(answer) AS answer
  FROM dashboard_rollups
  WHERE tenant_id = :tenantId AND dim = :dim AND span = :span AND day >= :fromDay AND day < :toDay
    AND leads > 0`;

const LEADS_RANGE = 'tenant_id = :tenantId AND submitted_at >= :from AND submitted_at < :to';

/** The leads of a range, or only those in progress (not in the rollups: leads_dashboard_open). */
const leadsIn = (open: boolean) => (open ? `${LEADS_RANGE} AND ${OPEN_LEADS}` : LEADS_RANGE);

/**
 * The leads of a part of a day, per group and currency: the same figures a rollup row holds (the
 * group key spelled as the rollups spell it: '' for none, else '=' || the value).
 */
function edgeFiguresSql(groupBy: DashboardGroupBy, open = false): string {
  const name = groupBy === 'partner' ? 'MAX(partner_name)' : 'NULL';
  return `
    SELECT COALESCE('=' || ${groupBy}, '') AS grp, ${name} AS name, COALESCE('=' || currency, '-') AS cur,
      COUNT(*) AS leads, ${OUTCOME_COUNTS},
      TOTAL(outcome = 'machine' AND machine_person_at IS NOT NULL) AS marked,
      COUNT(order_sum) AS sum_leads, TOTAL(order_sum) AS sum_total
    FROM leads WHERE ${leadsIn(open)}
    GROUP BY grp, cur`;
}

/** The speed histograms of a part of a day's leads, per group: kind 0 first ring, 1 answer. */
function edgeSpeedSql(groupBy: DashboardGroupBy, open = false): string {
  return `
    SELECT grp, kind, bucket, COUNT(*) AS n FROM (
      SELECT COALESCE('=' || ${groupBy}, '') AS grp, 0 AS kind,
        ${bucketOf('first_ring_at - submitted_at')} AS bucket
      FROM leads WHERE ${leadsIn(open)} AND first_ring_at IS NOT NULL
      UNION ALL
      SELECT COALESCE('=' || ${groupBy}, '') AS grp, 1 AS kind,
        ${bucketOf('answered_at - submitted_at')} AS bucket
      FROM leads WHERE ${leadsIn(open)} AND answered_at IS NOT NULL)
    GROUP BY grp, kind, bucket`;
}

/**
 * Per day of the zone: `:days` is a JSON array of [date, from, quartersFrom, quartersTo, to]: the
 * day's whole quarters [quartersFrom, quartersTo) from dashboard_quarters, its leads before and
 * after them from leads_dashboard. Each as a JSON array (one value out of a subquery).
 */
const DAY_LEADS = (lo: string, hi: string, open = false) => `(
    SELECT json_array(COUNT(*), ${OUTCOMES.map((outcome) => `TOTAL(outcome = '${outcome}')`).join(', ')},
                      TOTAL(outcome IS NULL))
    FROM leads
    WHERE tenant_id = :tenantId AND submitted_at >= json_extract(day.value, '$[${lo}]')
      AND submitted_at < json_extract(day.value, '$[${hi}]')${open ? ` AND ${OPEN_LEADS}` : ''})`;
const DAYS_SQL = `
  SELECT json_extract(day.value, '$[0]') AS date,
    ${DAY_LEADS('1', '2')} AS head,
    (SELECT json_array(TOTAL(leads), ${COUNTS.map((c) => `TOTAL(${c})`).join(', ')})
     FROM dashboard_quarters
     WHERE tenant_id = :tenantId AND quarter >= json_extract(day.value, '$[2]')
       AND quarter < json_extract(day.value, '$[3]')) AS quarters,
    ${DAY_LEADS('2', '3', true)} AS open,
    ${DAY_LEADS('3', '4')} AS tail
  FROM json_each(:days) AS day`;

export const DASHBOARD_SQL = {
  rollups: ROLLUPS_SQL,
  edgeFigures: edgeFiguresSql,
  edgeSpeed: edgeSpeedSql,
  days: DAYS_SQL,
} as const;

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

/** Runs the dashboard's statements (inside one read transaction the caller holds). */
export function sqliteDashboard(
  stmt: (sql: string) => StatementSync,
  tenantId: string,
  query: DashboardQuery,
): Dashboard {
  const days = periodDays(query);
  const parts = periodParts(query.from, query.to);
  const groups = new Map<string, Sum>();
  const groupOf = (grp: unknown): Sum => {
    const key = String(grp);
    let sum = groups.get(key);
    if (sum === undefined) {
      sum = newSum();
      groups.set(key, sum);
    }
    return sum;
  };
  const rollups = stmt(DASHBOARD_SQL.rollups);
  const spans = [
    ...(parts.blocks === null ? [] : [{ span: BLOCK_DAYS, ...parts.blocks }]),
    ...parts.days.map((range) => ({ span: 1, ...range })),
  ];
  for (const span of spans) {
    for (const row of rollups.all({ tenantId, dim: query.groupBy, ...span }))
      addRollup(groupOf(row.grp), row);
  }
  // The period's ends read whole from the leads; its whole days' leads in progress too, as the
  // rollups hold only the counted ones (dashboard-rollups.ts).
  const wholeDays = spans.length === 0 ? [] : [wholeDaysOf(spans)];
  const reads = [
    ...parts.leads.map((range) => ({ range, open: false })),
    ...wholeDays.map((range) => ({ range, open: true })),
  ];
  for (const { range, open } of reads) {
    const params = { tenantId, ...range };
    for (const row of stmt(DASHBOARD_SQL.edgeFigures(query.groupBy, open)).all(params)) {
      addRollup(groupOf(row.grp), row);
    }
    for (const row of stmt(DASHBOARD_SQL.edgeSpeed(query.groupBy, open)).all(params)) {
      const sum = groupOf(row.grp);
      addCount(row.kind === 0 ? sum.ring : sum.answer, Number(row.bucket), Number(row.n));
    }
  }
  const groupRows: GroupRow[] = [];
  const total = newSum();
  for (const [grp, sum] of groups) {
    if (sum.leads === 0) continue;
    groupRows.push({ key: grp === '' ? null : grp.slice(1), name: sum.name, ...figuresOf(sum) });
    addSum(total, sum);
  }
  return assembleDashboard(
    figuresOf(total),
    groupRows,
    days,
    dayRows(stmt(DASHBOARD_SQL.days), tenantId, days),
  );
}

/** The instants [from, to) of the whole-day spans read from the rollups (they are contiguous). */
function wholeDaysOf(spans: readonly { readonly fromDay: number; readonly toDay: number }[]) {
  const fromDay = Math.min(...spans.map((span) => span.fromDay));
  const toDay = Math.max(...spans.map((span) => span.toDay));
  return { from: fromDay * DAY_MS, to: toDay * DAY_MS };
}

/** Adds a rollup row, or an edge's row of leads of one group and currency, to its group's sum. */
function addRollup(sum: Sum, row: Row): void {
  const leads = Number(row.leads);
  sum.leads += leads;
  for (const name of COUNTS) sum.outcomes[name] += Number(row[name]);
  sum.marked += Number(row.marked);
  const name = row.name === null || row.name === undefined ? null : String(row.name);
  if (name !== null && (sum.name === null || name > sum.name)) sum.name = name;
  if (row.sums !== undefined) {
    const sums = JSON.parse(String(row.sums)) as Record<string, [number, number]>;
    for (const [currency, [n, total]] of Object.entries(sums)) addOrderSum(sum, currency, n, total);
    addHistogram(sum.ring, String(row.ring));
    addHistogram(sum.answer, String(row.answer));
  } else {
    addOrderSum(sum, String(row.cur), Number(row.sum_leads), Number(row.sum_total));
  }
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

function addHistogram(into: Map<number, number>, json: string): void {
  const histogram = JSON.parse(json) as Record<string, number>;
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

function dayRows(statement: StatementSync, tenantId: string, days: readonly PeriodDay[]): DayRow[] {
  const rows = statement.all({
    tenantId,
    days: JSON.stringify(
      days.map((day) => {
        const first = Math.ceil(day.from / QUARTER_MS) * QUARTER_MS;
        const end = Math.floor(day.to / QUARTER_MS) * QUARTER_MS;
        // No whole quarter: every lead of the day is read from the leads.
        return first < end
          ? [day.date, day.from, first, end, day.to]
          : [day.date, day.from, day.to, day.to, day.to];
      }),
    ),
  });
  return rows.map((row) => {
    const counts = [row.head, row.quarters, row.open, row.tail].map(
      (part) => JSON.parse(String(part)) as number[],
    );
    const at = (i: number) => counts.reduce((total, part) => total + (part[i] ?? 0), 0);
    return {
      date: String(row.date),
      leads: at(0),
      outcomes: Object.fromEntries(COUNTS.map((name, i) => [name, at(i + 1)])) as unknown as OutcomeCounts,
    };
  });
}
