import type { Dashboard, DashboardGroupBy, DashboardQuery } from '../../ports/dashboard.js';
import { type PeriodDay, periodDays } from '../dashboard-days.js';
import type { DayRow } from '../dashboard-figures.js';
import {
  addRollupRow,
  addSpeedRow,
  dayQuarters,
  dayRowOf,
  newRollupTally,
  periodParts,
  rollupSpans,
  tallyDashboard,
  wholeDaysOf,
} from '../dashboard-rollup-sums.js';
import { bucketOf, OPEN_LEADS } from './dashboard-rollups.js';
import type { PositionalStatement } from './positional-statement.js';

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

/** Runs the dashboard's statements (inside one read transaction the caller holds). */
export function sqliteDashboard(
  stmt: (sql: string) => PositionalStatement,
  tenantId: string,
  query: DashboardQuery,
): Dashboard {
  const days = periodDays(query);
  const parts = periodParts(query.from, query.to);
  const tally = newRollupTally();
  const rollups = stmt(DASHBOARD_SQL.rollups);
  const spans = rollupSpans(parts);
  for (const span of spans) {
    for (const row of rollups.all({ tenantId, dim: query.groupBy, ...span })) addRollupRow(tally, row);
  }
  // The period's ends read whole from the leads; its whole days' leads in progress too, as the
  // rollups hold only the counted ones (dashboard-rollups.ts).
  const whole = wholeDaysOf(parts);
  const wholeDays = whole === null ? [] : [whole];
  const reads = [
    ...parts.leads.map((range) => ({ range, open: false })),
    ...wholeDays.map((range) => ({ range, open: true })),
  ];
  for (const { range, open } of reads) {
    const params = { tenantId, ...range };
    for (const row of stmt(DASHBOARD_SQL.edgeFigures(query.groupBy, open)).all(params))
      addRollupRow(tally, row);
    for (const row of stmt(DASHBOARD_SQL.edgeSpeed(query.groupBy, open)).all(params)) addSpeedRow(tally, row);
  }
  return tallyDashboard(tally, days, dayRows(stmt(DASHBOARD_SQL.days), tenantId, days));
}

function dayRows(statement: PositionalStatement, tenantId: string, days: readonly PeriodDay[]): DayRow[] {
  const rows = statement.all({ tenantId, days: JSON.stringify(days.map(dayQuarters)) });
  return rows.map((row) =>
    dayRowOf(
      String(row.date),
      [row.head, row.quarters, row.open, row.tail].map((part) => JSON.parse(String(part)) as number[]),
    ),
  );
}
