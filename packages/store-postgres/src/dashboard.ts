import type { Dashboard, DashboardGroupBy, DashboardQuery } from '@prozvon/sdk';
import {
  addRollupRow,
  addSpeedRow,
  dayQuarters,
  dayRowOf,
  newRollupTally,
  type PeriodDay,
  periodDays,
  periodParts,
  ROLLUP_COUNTS,
  rollupSpans,
  tallyDashboard,
  wholeDaysOf,
} from '@prozvon/sdk/stores';
import type pg from 'pg';
import { OPEN_LEADS } from './dashboard-rollups.js';

/**
 * The dashboard on PostgreSQL, as the SQLite store reads it (its dashboard-sql.ts): a period is
 * summed from the rollups (dashboard-rollups.ts, migration 10) where it covers whole UTC days —
 * its whole 32-day blocks, then its other whole days — and from the leads (ranges of the covering
 * index leads_dashboard) where it covers part of a day, at its two ends; the chart's days from the
 * 15-minute rollups, with the leads at a day's ends that are not on a quarter. The rollups hold
 * only the counted leads (an outcome, or finished: migration 11), so the leads in progress of the
 * whole days and quarters are read too, from the covering partial index leads_dashboard_open.
 * Which parts to read and how the rows add up are the SDK's (@prozvon/sdk/stores: periodParts,
 * the rollup tally, assembleDashboard), so both stores give the same figures: counts and sums
 * exact, percentiles from summed bucket histograms. The days are the SDK's (periodDays), not PostgreSQL's time zones,
 * so every store cuts a day at the same instant.
 *
 * Four statements, sent together and read in one snapshot; each names its ranges as arrays.
 */

const COUNTS = ROLLUP_COUNTS;

/** Rollup rows ($1 tenant, $2 grouping) of the spans [$4[i], $5[i]) at span $3[i]. */
const ROLLUPS_SQL = `
  SELECT r.grp, r.name, r.leads, ${COUNTS.map((c) => `r.${c}`).join(', ')}, r.marked,
    r.sums, r.ring, r.answer
  FROM unnest($3::int[], $4::int[], $5::int[]) AS s (span, from_day, to_day)
  JOIN dashboard_rollups AS r
    ON r.tenant_id = $1 AND r.dim = $2 AND r.span = s.span AND r.day >= s.from_day AND r.day < s.to_day
  WHERE r.leads > 0`;

/** A lead's columns the dashboard reads, every one in the covering indexes' INCLUDE. */
const COLUMNS = `submitted_at, partner, site, currency, order_sum, outcome, first_ring_at, answered_at,
      machine_person_at, partner_name`;

/**
 * The leads read from the leads ($1 tenant), not from the rollups: every lead of the ranges
 * [$2[i], $3[i]) (parts of days, ranges of leads_dashboard), and the leads in progress of
 * [$4[i], $5[i]) (whole days, whose counted leads are in the rollups: ranges of
 * leads_dashboard_open).
 */
const LEADS_READ = `(
    SELECT ${COLUMNS} FROM unnest($2::bigint[], $3::bigint[]) AS p (from_at, to_at)
    JOIN leads ON tenant_id = $1 AND submitted_at >= p.from_at AND submitted_at < p.to_at
    UNION ALL
    SELECT ${COLUMNS} FROM unnest($4::bigint[], $5::bigint[]) AS p (from_at, to_at)
    JOIN leads ON tenant_id = $1 AND submitted_at >= p.from_at AND submitted_at < p.to_at AND ${OPEN_LEADS}
  ) AS l`;

const is = (outcome: string) => `(outcome IS NOT DISTINCT FROM '${outcome}')::int`;
const OUTCOME_SUMS = COUNTS.map((c) =>
  c === 'in_progress' ? `SUM((outcome IS NULL)::int) AS ${c}` : `SUM(${is(c)}) AS ${c}`,
).join(', ');

/** The leads read per group and currency: the figures a rollup row holds, keyed as it keys them. */
const edgeFiguresSql = (groupBy: DashboardGroupBy) => `
  SELECT COALESCE('=' || ${groupBy}, '') AS grp, ${groupBy === 'partner' ? 'MAX(partner_name)' : 'NULL'} AS name,
    COALESCE('=' || currency, '-') AS cur, COUNT(*) AS leads, ${OUTCOME_SUMS},
    SUM((outcome IS NOT DISTINCT FROM 'machine' AND machine_person_at IS NOT NULL)::int) AS marked,
    COUNT(order_sum) AS sum_leads, COALESCE(SUM(order_sum), 0) AS sum_total
  FROM ${LEADS_READ}
  GROUP BY 1, 3`;

/** The speed histograms of the leads read, per group: kind 0 first ring, 1 answer. */
const edgeSpeedSql = (groupBy: DashboardGroupBy) => `
  SELECT COALESCE('=' || ${groupBy}, '') AS grp, d.kind,
    dashboard_speed_bucket(d.at - submitted_at) AS bucket, COUNT(*) AS n
  FROM ${LEADS_READ}
  CROSS JOIN LATERAL (VALUES (0, first_ring_at), (1, answered_at)) AS d (kind, at)
  WHERE d.at IS NOT NULL
  GROUP BY 1, 2, 3`;

/**
 * Per day ($2 dates; $3 from, [$4, $5) its whole quarters, $6 to): its quarters' rollups, their
 * leads in progress (not in the rollups), and its leads before and after them. Days without leads
 * have no row; assembleDashboard gives them zeros.
 */
const dayLeads = (from: string, to: string, open = false) => `
    SELECT 1, ${COUNTS.map((c) => (c === 'in_progress' ? '(outcome IS NULL)::int' : is(c))).join(', ')}
    FROM leads WHERE tenant_id = $1 AND submitted_at >= ${from} AND submitted_at < ${to}
      ${open ? `AND ${OPEN_LEADS}` : ''}`;
const DAYS_SQL = `
  SELECT d.date, SUM(x.leads) AS leads, ${COUNTS.map((c) => `SUM(x.${c}) AS ${c}`).join(', ')}
  FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[])
    AS d (date, from_at, quarters_from, quarters_to, to_at)
  CROSS JOIN LATERAL (
    ${dayLeads('d.from_at', 'd.quarters_from')}
    UNION ALL
    SELECT leads, ${COUNTS.join(', ')} FROM dashboard_quarters
    WHERE tenant_id = $1 AND quarter >= d.quarters_from AND quarter < d.quarters_to
    UNION ALL
    ${dayLeads('d.quarters_from', 'd.quarters_to', true)}
    UNION ALL
    ${dayLeads('d.quarters_to', 'd.to_at')}
  ) AS x (leads, ${COUNTS.join(', ')})
  GROUP BY d.date`;

/**
 * Named per grouping: the column is spelled into the text (a bound value cannot name one). Their
 * plans are checked in test/dashboard-plans.test.ts.
 */
export const DASHBOARD_STATEMENTS = {
  partner: {
    edgeFigures: { name: 'prozvon_dashboard_edge_figures_partner', text: edgeFiguresSql('partner') },
    edgeSpeed: { name: 'prozvon_dashboard_edge_speed_partner', text: edgeSpeedSql('partner') },
  },
  site: {
    edgeFigures: { name: 'prozvon_dashboard_edge_figures_site', text: edgeFiguresSql('site') },
    edgeSpeed: { name: 'prozvon_dashboard_edge_speed_site', text: edgeSpeedSql('site') },
  },
} as const;

export const DASHBOARD_ROLLUPS = { name: 'prozvon_dashboard_rollups', text: ROLLUPS_SQL };
export const DASHBOARD_DAYS = { name: 'prozvon_dashboard_days', text: DAYS_SQL };

/** One tenant's dashboard, its statements read in one snapshot on `client` (in no transaction). */
export async function pgDashboard(
  client: pg.PoolClient,
  tenantId: string,
  query: DashboardQuery,
): Promise<Dashboard> {
  const days = periodDays(query);
  const statements = DASHBOARD_STATEMENTS[query.groupBy];
  // It names a column: anything else is refused, not spelled into SQL.
  if (statements === undefined) throw new RangeError(`unknown dashboard grouping "${query.groupBy}"`);
  const parts = periodParts(query.from, query.to);
  const spans = rollupSpans(parts);
  // The period's ends read whole from the leads; its whole days' leads in progress too, as the
  // rollups hold only the counted ones (dashboard-rollups.ts).
  const open = wholeDaysOf(parts);
  const leads = [
    tenantId,
    parts.leads.map((range) => range.from),
    parts.leads.map((range) => range.to),
    open === null ? [] : [open.from],
    open === null ? [] : [open.to],
  ];
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    // Sent together (the pool pipelines): one round trip's wait, not four.
    const [rollups, edgeFigures, edgeSpeed, counted] = await Promise.all([
      client.query({
        ...DASHBOARD_ROLLUPS,
        values: [
          tenantId,
          query.groupBy,
          spans.map((span) => span.span),
          spans.map((span) => span.fromDay),
          spans.map((span) => span.toDay),
        ],
      }),
      client.query({ ...statements.edgeFigures, values: leads }),
      client.query({ ...statements.edgeSpeed, values: leads }),
      client.query({ ...DASHBOARD_DAYS, values: dayValues(tenantId, days) }),
    ]);
    await client.query('COMMIT');
    const tally = newRollupTally();
    for (const row of rollups.rows) addRollupRow(tally, row);
    for (const row of edgeFigures.rows) addRollupRow(tally, row);
    for (const row of edgeSpeed.rows) addSpeedRow(tally, row);
    const dayRows = counted.rows.map((row) =>
      dayRowOf(String(row.date), [[row.leads, ...COUNTS.map((c) => row[c])].map(Number)]),
    );
    return tallyDashboard(tally, days, dayRows);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function dayValues(tenantId: string, days: readonly PeriodDay[]): unknown[] {
  const quarters = days.map(dayQuarters);
  return [tenantId, ...[0, 1, 2, 3, 4].map((i) => quarters.map((day) => day[i]))];
}
