import type { Dashboard, DashboardGroupBy, DashboardQuery, OutcomeCounts, SpeedFigures } from '@prozvon/sdk';
import {
  assembleDashboard,
  bucketedDelay,
  type DayRow,
  type FiguresRow,
  type GroupRow,
  type PeriodDay,
  periodDays,
} from '@prozvon/sdk/stores';
import type pg from 'pg';

/**
 * The dashboard on PostgreSQL: three statements over one tenant's period, read in one snapshot.
 * Each reads one range of leads_dashboard (tenant_id, submitted_at), which includes every column
 * they name. The days are the SDK's (periodDays), not PostgreSQL's time zones, so that every store
 * cuts a day at the same instant; the answer is put together by the SDK's assembleDashboard.
 *
 * The groups and the period's total come from one GROUP BY with GROUPING SETS ((group), ()): the
 * total's row is the one where GROUPING(grp) is 1, so its percentiles are over the whole period, not
 * made up from its groups'.
 */

const OUTCOMES = ['answered', 'machine', 'no_answer', 'invalid', 'manual'] as const;

/** The period's leads as the statements read them ($1 tenant, [$2, $3)), grouped by `grp`. */
const periodOf = (groupBy: DashboardGroupBy) => `
  SELECT ${groupBy} AS grp, partner_name, outcome, machine_person_at, currency, order_sum,
         first_ring_at - submitted_at AS ring_ms, answered_at - submitted_at AS answer_ms
  FROM leads
  WHERE tenant_id = $1 AND submitted_at >= $2 AND submitted_at < $3`;

const OUTCOME_COUNTS = `${OUTCOMES.map((outcome) => `COUNT(*) FILTER (WHERE outcome = '${outcome}') AS ${outcome}`).join(',\n      ')},
      COUNT(*) FILTER (WHERE outcome IS NULL) AS in_progress`;

/**
 * The percent-th percentile of a sorted array of delays, as SQLite's percentile_disc and the SDK's
 * percentileOf take it: the element at 0-based index ⌊p·(n−1)⌋ (integer division, 1-based array).
 * PostgreSQL's own percentile_disc takes the ⌈p·n⌉-th, another element for most n. Null for no
 * delays (a null array).
 */
const percentile = (sorted: string, percent: number) =>
  `${sorted}[(${percent} * (cardinality(${sorted}) - 1)) / 100 + 1]`;

/** Everything a group (or the total) shows but its sums per currency. */
const groupsSql = (groupBy: DashboardGroupBy) => `
  SELECT total, grp, name, leads, ${OUTCOMES.join(', ')}, in_progress, marked,
    cardinality(ring) AS rung, ${percentile('ring', 50)} AS ring_p50, ${percentile('ring', 90)} AS ring_p90,
    cardinality(answer) AS picked_up, ${percentile('answer', 50)} AS answer_p50,
    ${percentile('answer', 90)} AS answer_p90
  FROM (
    SELECT GROUPING(grp) = 1 AS total, grp,
      ${groupBy === 'partner' ? 'MAX(partner_name)' : 'NULL'} AS name,
      COUNT(*) AS leads,
      ${OUTCOME_COUNTS},
      COUNT(*) FILTER (WHERE outcome = 'machine' AND machine_person_at IS NOT NULL) AS marked,
      array_agg(ring_ms ORDER BY ring_ms) FILTER (WHERE ring_ms IS NOT NULL) AS ring,
      array_agg(answer_ms ORDER BY answer_ms) FILTER (WHERE answer_ms IS NOT NULL) AS answer
    FROM (${periodOf(groupBy)}) AS period
    GROUP BY GROUPING SETS ((grp), ())
  ) AS figures`;

/** The order sums per group and currency, and per currency over the period (total). */
const sumsSql = (groupBy: DashboardGroupBy) => `
  SELECT GROUPING(grp) = 1 AS total, grp, currency, COUNT(*) AS leads, SUM(order_sum) AS sum
  FROM (${periodOf(groupBy)}) AS period
  WHERE order_sum IS NOT NULL
  GROUP BY GROUPING SETS ((grp, currency), (currency))`;

/**
 * Per day ($2 dates, [$3, $4) their bounds): a range of leads_dashboard each. Days without leads
 * have no row; assembleDashboard gives them zeros.
 */
const DAYS_SQL = `
  SELECT day.date, COUNT(*) AS leads,
      ${OUTCOME_COUNTS}
  FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS day (date, from_at, to_at)
  JOIN leads ON tenant_id = $1 AND submitted_at >= day.from_at AND submitted_at < day.to_at
  GROUP BY day.date`;

/**
 * Named per grouping: the column is spelled into the text (a bound value cannot name one). Their
 * plans are checked in test/dashboard-plans.test.ts.
 */
export const DASHBOARD_STATEMENTS = {
  partner: {
    groups: { name: 'prozvon_dashboard_groups_partner', text: groupsSql('partner') },
    sums: { name: 'prozvon_dashboard_sums_partner', text: sumsSql('partner') },
  },
  site: {
    groups: { name: 'prozvon_dashboard_groups_site', text: groupsSql('site') },
    sums: { name: 'prozvon_dashboard_sums_site', text: sumsSql('site') },
  },
} as const;

export const DASHBOARD_DAYS = { name: 'prozvon_dashboard_days', text: DAYS_SQL };

type Row = Record<string, unknown>;

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
  const period = [tenantId, query.from, query.to];
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    // Sent together (the pool pipelines): one round trip's wait, not three.
    const [groups, sums, counted] = await Promise.all([
      client.query({ ...statements.groups, values: period }),
      client.query({ ...statements.sums, values: period }),
      client.query({ ...DASHBOARD_DAYS, values: dayValues(tenantId, days) }),
    ]);
    await client.query('COMMIT');
    return assembled(groups.rows, sums.rows, days, counted.rows.map(toDayRow));
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function dayValues(tenantId: string, days: readonly PeriodDay[]): unknown[] {
  return [tenantId, days.map((day) => day.date), days.map((day) => day.from), days.map((day) => day.to)];
}

function assembled(groupRows: Row[], sumRows: Row[], days: readonly PeriodDay[], dayRows: DayRow[]) {
  const sumsOf = (total: boolean, key: string | null) =>
    sumRows
      .filter((row) => row.total === total && (total || textOrNull(row.grp) === key))
      .map((row) => ({
        currency: textOrNull(row.currency),
        leads: Number(row.leads),
        total: Number(row.sum),
      }));
  let total: FiguresRow | undefined;
  const groups: GroupRow[] = [];
  for (const row of groupRows) {
    const key = textOrNull(row.grp);
    const figures: FiguresRow = {
      leads: Number(row.leads),
      outcomes: outcomesOf(row),
      marked: Number(row.marked),
      sums: sumsOf(row.total === true, key),
      speed: {
        firstRing: speedOf(row.rung, row.ring_p50, row.ring_p90),
        answer: speedOf(row.picked_up, row.answer_p50, row.answer_p90),
      },
    };
    if (row.total === true) total = figures;
    else groups.push({ key, name: textOrNull(row.name), ...figures });
  }
  return assembleDashboard(total ?? EMPTY, groups, days, dayRows);
}

/** The total of a period without leads (its GROUPING SETS row is there anyway; a guard). */
const EMPTY: FiguresRow = {
  leads: 0,
  outcomes: { answered: 0, machine: 0, no_answer: 0, invalid: 0, manual: 0, in_progress: 0 },
  marked: 0,
  sums: [],
  speed: {
    firstRing: { leads: 0, medianMs: null, p90Ms: null },
    answer: { leads: 0, medianMs: null, p90Ms: null },
  },
};

/**
 * The percentiles as every store reports them (ports/dashboard.ts): the lower bound of the speed
 * bucket holding the exact value, which is what SQLite's rollups can sum. This store computes the
 * exact value, then rounds it down to its bucket.
 */
function speedOf(n: unknown, p50: unknown, p90: unknown): SpeedFigures {
  return { leads: Number(n ?? 0), medianMs: bucketed(p50), p90Ms: bucketed(p90) };
}

function bucketed(value: unknown): number | null {
  const exact = numberOrNull(value);
  return exact === null ? null : bucketedDelay(exact);
}

function toDayRow(row: Row): DayRow {
  return { date: String(row.date), leads: Number(row.leads), outcomes: outcomesOf(row) };
}

function outcomesOf(row: Row): OutcomeCounts {
  return {
    answered: Number(row.answered ?? 0),
    machine: Number(row.machine ?? 0),
    no_answer: Number(row.no_answer ?? 0),
    invalid: Number(row.invalid ?? 0),
    manual: Number(row.manual ?? 0),
    in_progress: Number(row.in_progress ?? 0),
  };
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
