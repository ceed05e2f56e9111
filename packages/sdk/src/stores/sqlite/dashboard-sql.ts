import type { StatementSync } from 'node:sqlite';
import type { Dashboard, DashboardGroupBy, DashboardQuery, OutcomeCounts } from '../../ports/dashboard.js';
import { periodDays } from '../dashboard-days.js';
import { assembleDashboard, type DashboardCell, type DayRow, type SpeedRow } from '../dashboard-figures.js';

/**
 * The dashboard's statements. Each reads one tenant's period as one range of leads_dashboard,
 * which holds every column they name, so none reads the table (checked with EXPLAIN QUERY PLAN in
 * test/stores/sqlite/query-plans.test.ts). The group column is spelled into the text (a bound
 * value cannot name a column): one prepared statement per grouping.
 */

const PERIOD = 'tenant_id = :tenantId AND submitted_at >= :from AND submitted_at < :to';

const OUTCOME_COUNTS = `
  TOTAL(outcome = 'answered') AS answered, TOTAL(outcome = 'machine') AS machine,
  TOTAL(outcome = 'no_answer') AS no_answer, TOTAL(outcome = 'invalid') AS invalid,
  TOTAL(outcome = 'manual') AS manual, TOTAL(outcome IS NULL) AS in_progress`;

/** Counts per (group, currency): the groups and the total are added up from these few rows. */
function cellsSql(groupBy: DashboardGroupBy): string {
  const name = groupBy === 'partner' ? 'MAX(partner_name)' : 'NULL';
  return `
    SELECT ${groupBy} AS grp, ${name} AS name, currency, COUNT(*) AS leads, ${OUTCOME_COUNTS},
      TOTAL(outcome = 'machine' AND machine_person_at IS NOT NULL) AS marked,
      COUNT(order_sum) AS sum_leads, TOTAL(order_sum) AS sum_total
    FROM leads WHERE ${PERIOD}
    GROUP BY grp, currency`;
}

/**
 * Nearest-rank median and p90 of `column - submitted_at` per group (group null: the whole period,
 * one partition): the rows numbered in order within their group, and the ones at rank ⌈n·p⌉
 * (integer arithmetic: (n·p + 99) / 100) picked. One sort of the period's rows that reached the
 * instant; no value leaves SQLite but the picked ones.
 */
function speedSql(group: DashboardGroupBy | null, column: 'first_ring_at' | 'answered_at'): string {
  return `
    WITH ranked AS (
      SELECT ${group ?? 'NULL'} AS grp, ${column} - submitted_at AS ms,
             ROW_NUMBER() OVER (PARTITION BY ${group ?? 'NULL'} ORDER BY ${column} - submitted_at) AS rn,
             COUNT(*) OVER (PARTITION BY ${group ?? 'NULL'}) AS n
      FROM leads WHERE ${PERIOD} AND ${column} IS NOT NULL)
    SELECT grp, n,
           MIN(CASE WHEN rn = (n * 50 + 99) / 100 THEN ms END) AS p50,
           MIN(CASE WHEN rn = (n * 90 + 99) / 100 THEN ms END) AS p90
    FROM ranked GROUP BY grp`;
}

/** Per day of the tenant's zone: `:days` is a JSON array of [date, from, to], one range seek each. */
const DAYS_SQL = `
  SELECT json_extract(day.value, '$[0]') AS date, COUNT(leads.submitted_at) AS leads, ${OUTCOME_COUNTS}
  FROM json_each(:days) AS day
  LEFT JOIN leads ON leads.tenant_id = :tenantId
    AND leads.submitted_at >= json_extract(day.value, '$[1]')
    AND leads.submitted_at < json_extract(day.value, '$[2]')
  GROUP BY day.key
  ORDER BY day.key`;

export const DASHBOARD_SQL = {
  cells: { partner: cellsSql('partner'), site: cellsSql('site') },
  speed: {
    partner: { firstRing: speedSql('partner', 'first_ring_at'), answer: speedSql('partner', 'answered_at') },
    site: { firstRing: speedSql('site', 'first_ring_at'), answer: speedSql('site', 'answered_at') },
    total: { firstRing: speedSql(null, 'first_ring_at'), answer: speedSql(null, 'answered_at') },
  },
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
  const cells = stmt(DASHBOARD_SQL.cells[query.groupBy])
    .all(period)
    .map(
      (row): DashboardCell => ({
        key: textOrNull(row.grp),
        name: textOrNull(row.name),
        currency: textOrNull(row.currency),
        leads: Number(row.leads),
        outcomes: outcomesOf(row),
        marked: Number(row.marked),
        sumLeads: Number(row.sum_leads),
        sumTotal: Number(row.sum_total),
      }),
    );
  const speeds: SpeedRow[] = [];
  for (const metric of ['firstRing', 'answer'] as const) {
    for (const row of stmt(DASHBOARD_SQL.speed[query.groupBy][metric]).all(period)) {
      speeds.push({ key: textOrNull(row.grp), metric, figures: speedFigures(row) });
    }
    const total = stmt(DASHBOARD_SQL.speed.total[metric]).get(period);
    if (total !== undefined) speeds.push({ key: undefined, metric, figures: speedFigures(total) });
  }
  const dayRows = stmt(DASHBOARD_SQL.days)
    .all({ tenantId, days: JSON.stringify(days.map((day) => [day.date, day.from, day.to])) })
    .map((row): DayRow => ({ date: String(row.date), leads: Number(row.leads), outcomes: outcomesOf(row) }));
  return assembleDashboard(cells, speeds, days, dayRows);
}

function outcomesOf(row: Row): OutcomeCounts {
  return {
    answered: Number(row.answered),
    machine: Number(row.machine),
    no_answer: Number(row.no_answer),
    invalid: Number(row.invalid),
    manual: Number(row.manual),
    in_progress: Number(row.in_progress),
  };
}

function speedFigures(row: Row) {
  return {
    leads: Number(row.n),
    medianMs: row.p50 === null ? null : Number(row.p50),
    p90Ms: row.p90 === null ? null : Number(row.p90),
  };
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
