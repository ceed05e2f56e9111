import type { StatementSync } from 'node:sqlite';
import type { Dashboard, DashboardGroupBy, DashboardQuery, OutcomeCounts } from '../../ports/dashboard.js';
import { type PeriodDay, periodDays } from '../dashboard-days.js';
import { assembleDashboard, type DayRow, type FiguresRow, type GroupRow } from '../dashboard-figures.js';

/**
 * The dashboard's statements. Each reads one tenant's period as one range of leads_dashboard,
 * which holds every column they name, so none reads the table (checked with EXPLAIN QUERY PLAN in
 * test/stores/sqlite/dashboard-plans.test.ts). The group column is spelled into the text (a bound
 * value cannot name a column): one prepared statement per grouping.
 *
 * What a period costs is sorting its rows, which SQLite does to aggregate by group, and evaluating
 * each aggregate on each row: so the groups are one GROUP BY (sums per currency as conditional
 * aggregates over the period's few currencies, found first), the period's totals their sum, its
 * percentiles one aggregate without a sort of the rows, and every percentile SQLite's own
 * `percentile_disc`, which sorts only the delays, in C. Measured on the benchmark's month of
 * 82,191 leads (bench/store/dashboard.js) on a loaded 2-core host: 820 ms at p50 with window
 * functions (ROW_NUMBER and COUNT OVER), one GROUP BY per (group, currency) cell and a GROUP BY over
 * the join of days and leads; 284 ms so (183 ms of CPU: about 30 for the GROUP BY's sort, 20 to 25
 * for each set of aggregates — outcomes, sums, percentiles).
 */

const PERIOD = 'tenant_id = :tenantId AND submitted_at >= :from AND submitted_at < :to';

const OUTCOMES = ['answered', 'machine', 'no_answer', 'invalid', 'manual'] as const;

const OUTCOME_COUNTS = `${OUTCOMES.map((outcome) => `TOTAL(outcome = '${outcome}') AS ${outcome}`).join(', ')},
  TOTAL(outcome IS NULL) AS in_progress`;

/** The currencies of the period's sums: a DISTINCT keeps a tiny tree, not a sort of the period. */
const CURRENCIES_SQL = `SELECT DISTINCT currency FROM leads WHERE ${PERIOD} AND order_sum IS NOT NULL`;

/**
 * Everything a group (or the period) shows but its name: the counts, the sums of `currencies`
 * (bound as :c0, :c1…) as a JSON array of [leads, total] pairs, and the speed percentiles
 * (`percentile_disc`: the value at ⌊p·(n−1)⌋ of the sorted delays; NULLs left out).
 */
function figuresColumns(currencies: number): string {
  const sums = Array.from(
    { length: currencies },
    (_, i) =>
      `COUNT(CASE WHEN currency IS :c${i} THEN order_sum END), TOTAL(CASE WHEN currency IS :c${i} THEN order_sum END)`,
  );
  return `COUNT(*) AS leads, ${OUTCOME_COUNTS},
    TOTAL(outcome = 'machine' AND machine_person_at IS NOT NULL) AS marked,
    json_array(${sums.join(', ')}) AS sums,
    COUNT(first_ring_at) AS rung,
    percentile_disc(first_ring_at - submitted_at, 0.5) AS ring_p50,
    percentile_disc(first_ring_at - submitted_at, 0.9) AS ring_p90,
    COUNT(answered_at) AS picked_up,
    percentile_disc(answered_at - submitted_at, 0.5) AS answer_p50,
    percentile_disc(answered_at - submitted_at, 0.9) AS answer_p90`;
}

/**
 * The period's percentiles: all a total needs that its groups' counts do not add up to, one
 * aggregate over the range without a sort of the rows (percentile_disc sorts only the delays).
 */
const SPEED_SQL = `
  SELECT COUNT(first_ring_at) AS rung,
    percentile_disc(first_ring_at - submitted_at, 0.5) AS ring_p50,
    percentile_disc(first_ring_at - submitted_at, 0.9) AS ring_p90,
    COUNT(answered_at) AS picked_up,
    percentile_disc(answered_at - submitted_at, 0.5) AS answer_p50,
    percentile_disc(answered_at - submitted_at, 0.9) AS answer_p90
  FROM leads WHERE ${PERIOD}`;

function groupsSql(groupBy: DashboardGroupBy, currencies: number): string {
  const name = groupBy === 'partner' ? 'MAX(partner_name)' : 'NULL';
  return `
    SELECT ${groupBy} AS grp, ${name} AS name, ${figuresColumns(currencies)}
    FROM leads WHERE ${PERIOD}
    GROUP BY grp`;
}

/**
 * Per day of the tenant's zone: `:days` is a JSON array of [date, from, to]; each day's counts are
 * one aggregate over its range of leads_dashboard, as a JSON array (one value out of a subquery).
 */
const DAYS_SQL = `
  SELECT json_extract(day.value, '$[0]') AS date, (
    SELECT json_array(COUNT(*), ${OUTCOMES.map((outcome) => `TOTAL(outcome = '${outcome}')`).join(', ')},
                      TOTAL(outcome IS NULL))
    FROM leads
    WHERE tenant_id = :tenantId AND submitted_at >= json_extract(day.value, '$[1]')
      AND submitted_at < json_extract(day.value, '$[2]')) AS counts
  FROM json_each(:days) AS day`;

export const DASHBOARD_SQL = {
  currencies: CURRENCIES_SQL,
  speed: SPEED_SQL,
  groups: groupsSql,
  days: DAYS_SQL,
} as const;

type Row = Record<string, unknown>;

/** Runs the dashboard's statements (inside one read transaction the caller holds). */
export function sqliteDashboard(
  stmt: (sql: string) => StatementSync,
  tenantId: string,
  query: DashboardQuery,
): Dashboard {
  const days = periodDays(query);
  const period = { tenantId, from: query.from, to: query.to };
  const currencies = stmt(DASHBOARD_SQL.currencies)
    .all(period)
    .map((row) => textOrNull(row.currency));
  const params: Record<string, string | number | null> = { ...period };
  currencies.forEach((currency, i) => {
    params[`c${i}`] = currency;
  });
  const groups = stmt(DASHBOARD_SQL.groups(query.groupBy, currencies.length))
    .all(params)
    .map(
      (row): GroupRow => ({
        key: textOrNull(row.grp),
        name: textOrNull(row.name),
        ...figuresOf(row, currencies),
      }),
    );
  const speed = figuresOf(stmt(DASHBOARD_SQL.speed).get(period) ?? {}, []).speed;
  return assembleDashboard(
    { ...sumOf(groups), speed },
    groups,
    days,
    dayRows(stmt(DASHBOARD_SQL.days), tenantId, days),
  );
}

function figuresOf(row: Row, currencies: readonly (string | null)[]): FiguresRow {
  const sums = JSON.parse(String(row.sums ?? '[]')) as number[];
  const speed = (n: unknown, p50: unknown, p90: unknown) => ({
    leads: Number(n ?? 0),
    medianMs: p50 === null || p50 === undefined ? null : Number(p50),
    p90Ms: p90 === null || p90 === undefined ? null : Number(p90),
  });
  return {
    leads: Number(row.leads ?? 0),
    outcomes: outcomesOf(row),
    marked: Number(row.marked ?? 0),
    sums: currencies.map((currency, i) => ({
      currency,
      leads: sums[2 * i] ?? 0,
      total: sums[2 * i + 1] ?? 0,
    })),
    speed: {
      firstRing: speed(row.rung, row.ring_p50, row.ring_p90),
      answer: speed(row.picked_up, row.answer_p50, row.answer_p90),
    },
  };
}

/** The period's counts and sums: its groups', added up (a lead is in exactly one group). */
function sumOf(groups: readonly FiguresRow[]): Omit<FiguresRow, 'speed'> {
  const outcomes = { answered: 0, machine: 0, no_answer: 0, invalid: 0, manual: 0, in_progress: 0 };
  const sums = new Map<string | null, { leads: number; total: number }>();
  let leads = 0;
  let marked = 0;
  for (const group of groups) {
    leads += group.leads;
    marked += group.marked;
    for (const name of Object.keys(outcomes) as (keyof OutcomeCounts)[])
      outcomes[name] += group.outcomes[name];
    for (const sum of group.sums) {
      const known = sums.get(sum.currency) ?? { leads: 0, total: 0 };
      sums.set(sum.currency, { leads: known.leads + sum.leads, total: known.total + sum.total });
    }
  }
  return { leads, outcomes, marked, sums: [...sums].map(([currency, sum]) => ({ currency, ...sum })) };
}

function dayRows(statement: StatementSync, tenantId: string, days: readonly PeriodDay[]): DayRow[] {
  const rows = statement.all({
    tenantId,
    days: JSON.stringify(days.map((day) => [day.date, day.from, day.to])),
  });
  return rows.map((row) => {
    const [leads = 0, answered = 0, machine = 0, noAnswer = 0, invalid = 0, manual = 0, inProgress = 0] =
      JSON.parse(String(row.counts)) as number[];
    return {
      date: String(row.date),
      leads,
      outcomes: { answered, machine, no_answer: noAnswer, invalid, manual, in_progress: inProgress },
    };
  });
}

function outcomesOf(row: Row): OutcomeCounts {
  const count = (value: unknown) => Number(value ?? 0);
  return {
    answered: count(row.answered),
    machine: count(row.machine),
    no_answer: count(row.no_answer),
    invalid: count(row.invalid),
    manual: count(row.manual),
    in_progress: count(row.in_progress),
  };
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
