import { SPEED_BUCKET_LOWER } from '../speed-buckets.js';

/**
 * The dashboard's rollups (migration 14): what a period's figures add up from, so that a year of
 * a million leads is a few thousand rows read instead of a million leads sorted and aggregated.
 * Plain SQL throughout (triggers, upserts, JSON objects), so a PostgreSQL store can keep the same
 * tables the same way (there: plpgsql trigger functions, `jsonb_set`, `INSERT … ON CONFLICT`).
 *
 * - `dashboard_rollups`: per tenant, grouping (`dim`: 'partner' | 'site'), span of UTC days
 *   (`span` 1, or 32 on epoch days that are multiples of 32) and group key (`grp`: '' for none,
 *   '=' || the value, so that the key can be in the primary key): the leads, outcome counts,
 *   machine marks, the greatest partner name seen (sticky: it only grows), the order sums as a
 *   JSON object (currency key '=' || code, '-' for a sum without currency → [leads, total]), and
 *   the speed-to-lead histograms as JSON objects (bucket number → leads; stores/speed-buckets.ts).
 * - `dashboard_quarters`: per tenant and 15 minutes (UTC), the leads and outcome counts: the chart's
 *   days in any zone whose offset is a multiple of 15 minutes are whole quarters; any other edge is
 *   read from the leads.
 * - `dashboard_speed_buckets`: the buckets' lower bounds, so SQL finds a delay's bucket with one
 *   index seek, the same bucket as JavaScript.
 *
 * Kept by triggers on `leads`, in the transaction of the write: a lead inserted adds its
 * contribution; an update of a dashboard column removes the old row's contribution and adds the
 * new one's (order sums are left alone when neither they nor the row's place changed, so a total
 * never drifts by adding and subtracting the same float); a lead deleted removes it. A row whose
 * contributions were all removed stays with zero leads and is skipped by the reads.
 */

const DAY_MS = 86_400_000;
export const QUARTER_MS = 900_000;
/** The coarse span of rollup rows, in days: a period's whole blocks are read at this grain. */
export const BLOCK_DAYS = 32;

const OUTCOMES = ['answered', 'machine', 'no_answer', 'invalid', 'manual'] as const;
const COUNTS = [...OUTCOMES, 'in_progress'] as const;

/** The row a statement reads: a trigger's NEW or OLD, or a table's alias. */
type Ref = string;

const outcomeTest = (r: Ref, column: (typeof COUNTS)[number]) =>
  column === 'in_progress' ? `(${r}.outcome IS NULL)` : `(${r}.outcome IS '${column}')`;

/** The bucket of a delay (ms), as SQL: the greatest lower bound not above it. */
export const bucketOf = (delay: string) =>
  `(SELECT bucket FROM dashboard_speed_buckets WHERE lower_ms <= ${delay} ORDER BY lower_ms DESC LIMIT 1)`;

/** A JSON object counter `column[key] += sign`, as SQL. */
const bump = (column: string, key: string, sign: number) =>
  `json_set(${column}, '$."' || ${key} || '"', COALESCE(json_extract(${column}, '$."' || ${key} || '"'), 0) + (${sign}))`;

function rollupStatements(r: Ref, sign: 1 | -1, keepSums: string): string {
  const out: string[] = [];
  for (const span of [1, BLOCK_DAYS]) {
    for (const dim of ['partner', 'site'] as const) {
      const key = `${r}.tenant_id, '${dim}', ${span}, (${r}.submitted_at / ${DAY_MS} / ${span}) * ${span}, COALESCE('=' || ${r}.${dim}, '')`;
      const name =
        dim === 'partner' && sign > 0
          ? `CASE WHEN ${r}.partner_name IS NOT NULL AND (name IS NULL OR ${r}.partner_name > name) THEN ${r}.partner_name ELSE name END`
          : 'name';
      const currency = `COALESCE('=' || ${r}.currency, '-')`;
      const sumPath = `'$."' || ${currency} || '"'`;
      out.push(`
        INSERT INTO dashboard_rollups (tenant_id, dim, span, day, grp) VALUES (${key}) ON CONFLICT DO NOTHING;
        UPDATE dashboard_rollups SET
          name = ${name},
          leads = leads + (${sign}),
          ${COUNTS.map((c) => `${c} = ${c} + (${sign}) * ${outcomeTest(r, c)}`).join(',\n          ')},
          marked = marked + (${sign}) * (${r}.outcome IS 'machine' AND ${r}.machine_person_at IS NOT NULL),
          sums = CASE WHEN ${r}.order_sum IS NULL OR (${keepSums}) THEN sums ELSE json_set(sums, ${sumPath},
            json_array(COALESCE(json_extract(sums, ${sumPath} || '[0]'), 0) + (${sign}),
                       COALESCE(json_extract(sums, ${sumPath} || '[1]'), 0) + (${sign}) * ${r}.order_sum)) END,
          ring = CASE WHEN ${r}.first_ring_at IS NULL THEN ring
            ELSE ${bump('ring', bucketOf(`${r}.first_ring_at - ${r}.submitted_at`), sign)} END,
          answer = CASE WHEN ${r}.answered_at IS NULL THEN answer
            ELSE ${bump('answer', bucketOf(`${r}.answered_at - ${r}.submitted_at`), sign)} END
        WHERE (tenant_id, dim, span, day, grp) = (${key});`);
    }
  }
  const quarter = `${r}.tenant_id, (${r}.submitted_at / ${QUARTER_MS}) * ${QUARTER_MS}`;
  out.push(`
        INSERT INTO dashboard_quarters (tenant_id, quarter) VALUES (${quarter}) ON CONFLICT DO NOTHING;
        UPDATE dashboard_quarters SET leads = leads + (${sign}),
          ${COUNTS.map((c) => `${c} = ${c} + (${sign}) * ${outcomeTest(r, c)}`).join(', ')}
        WHERE (tenant_id, quarter) = (${quarter});`);
  return out.join('');
}

/** The columns the rollups read of a lead: an update of any other leaves them as they are. */
const ROLLED_UP = [
  'tenant_id',
  'submitted_at',
  'partner',
  'partner_name',
  'site',
  'order_sum',
  'currency',
  'first_ring_at',
  'answered_at',
  'outcome',
  'machine_person_at',
];

/** An update that leaves the lead's sum in the same rollup rows keeps the rows' sums untouched. */
const SAME_SUM_ROWS = `OLD.tenant_id IS NEW.tenant_id AND OLD.submitted_at / ${DAY_MS} = NEW.submitted_at / ${DAY_MS}
  AND OLD.partner IS NEW.partner AND OLD.site IS NEW.site AND OLD.order_sum IS NEW.order_sum
  AND OLD.currency IS NEW.currency`;

const COUNT_COLUMNS = `leads INTEGER NOT NULL DEFAULT 0,
  ${COUNTS.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n  ')}`;

const TABLES = `
  CREATE TABLE dashboard_speed_buckets (
    bucket INTEGER PRIMARY KEY,
    lower_ms INTEGER NOT NULL UNIQUE
  ) STRICT;
  INSERT INTO dashboard_speed_buckets (bucket, lower_ms) VALUES
    ${SPEED_BUCKET_LOWER.map((lower, bucket) => `(${bucket}, ${lower})`).join(', ')};

  CREATE TABLE dashboard_rollups (
    tenant_id TEXT NOT NULL,
    dim TEXT NOT NULL CHECK (dim IN ('partner', 'site')),
    span INTEGER NOT NULL,
    day INTEGER NOT NULL,
    grp TEXT NOT NULL,
    name TEXT,
    ${COUNT_COLUMNS},
    marked INTEGER NOT NULL DEFAULT 0,
    sums TEXT NOT NULL DEFAULT '{}',
    ring TEXT NOT NULL DEFAULT '{}',
    answer TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, dim, span, day, grp)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE dashboard_quarters (
    tenant_id TEXT NOT NULL,
    quarter INTEGER NOT NULL,
    ${COUNT_COLUMNS},
    PRIMARY KEY (tenant_id, quarter)
  ) STRICT, WITHOUT ROWID;
`;

const TRIGGERS = `
  CREATE TRIGGER leads_dashboard_insert AFTER INSERT ON leads BEGIN
    ${rollupStatements('NEW', 1, '0')}
  END;
  CREATE TRIGGER leads_dashboard_update AFTER UPDATE OF ${ROLLED_UP.join(', ')} ON leads
  WHEN ${ROLLED_UP.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')} BEGIN
    ${rollupStatements('OLD', -1, SAME_SUM_ROWS)}
    ${rollupStatements('NEW', 1, SAME_SUM_ROWS)}
  END;
  CREATE TRIGGER leads_dashboard_delete AFTER DELETE ON leads BEGIN
    ${rollupStatements('OLD', -1, '0')}
  END;
`;

/**
 * The rollups of the leads stored before: each lead's contribution computed once into a temp
 * table, then each rollup row as one GROUP BY over it (counts, then the sums' and histograms' JSON
 * objects).
 */
const BACKFILL = `
  CREATE TEMP TABLE dashboard_facts AS
    SELECT l.tenant_id AS tenant_id, s.dim AS dim, s.span AS span,
      (l.submitted_at / ${DAY_MS} / s.span) * s.span AS day,
      COALESCE('=' || CASE s.dim WHEN 'partner' THEN l.partner ELSE l.site END, '') AS grp,
      CASE s.dim WHEN 'partner' THEN l.partner_name END AS name,
      l.outcome AS outcome, l.machine_person_at AS machine_person_at,
      l.order_sum AS order_sum, COALESCE('=' || l.currency, '-') AS currency,
      CASE WHEN l.first_ring_at IS NOT NULL THEN ${bucketOf('l.first_ring_at - l.submitted_at')} END AS ring,
      CASE WHEN l.answered_at IS NOT NULL THEN ${bucketOf('l.answered_at - l.submitted_at')} END AS answer
    FROM leads AS l,
      (SELECT 'partner' AS dim, 1 AS span UNION ALL SELECT 'site', 1
       UNION ALL SELECT 'partner', ${BLOCK_DAYS} UNION ALL SELECT 'site', ${BLOCK_DAYS}) AS s;

  INSERT INTO dashboard_rollups (tenant_id, dim, span, day, grp, name, leads,
    ${COUNTS.join(', ')}, marked)
  SELECT tenant_id, dim, span, day, grp, MAX(name), COUNT(*),
    ${COUNTS.map((c) => `SUM(${outcomeTest('f', c)})`).join(', ')},
    SUM(outcome IS 'machine' AND machine_person_at IS NOT NULL)
  FROM temp.dashboard_facts AS f GROUP BY tenant_id, dim, span, day, grp;

  UPDATE dashboard_rollups SET sums = agg.sums FROM (
    SELECT tenant_id, dim, span, day, grp, json_group_object(currency, json_array(n, total)) AS sums
    FROM (SELECT tenant_id, dim, span, day, grp, currency, COUNT(*) AS n, SUM(order_sum) AS total
          FROM temp.dashboard_facts WHERE order_sum IS NOT NULL
          GROUP BY tenant_id, dim, span, day, grp, currency)
    GROUP BY tenant_id, dim, span, day, grp) AS agg
  WHERE (dashboard_rollups.tenant_id, dashboard_rollups.dim, dashboard_rollups.span,
         dashboard_rollups.day, dashboard_rollups.grp) = (agg.tenant_id, agg.dim, agg.span, agg.day, agg.grp);

  ${['ring', 'answer']
    .map(
      (kind) => `
  UPDATE dashboard_rollups SET ${kind} = agg.histogram FROM (
    SELECT tenant_id, dim, span, day, grp, json_group_object(CAST(${kind} AS TEXT), n) AS histogram
    FROM (SELECT tenant_id, dim, span, day, grp, ${kind}, COUNT(*) AS n
          FROM temp.dashboard_facts WHERE ${kind} IS NOT NULL
          GROUP BY tenant_id, dim, span, day, grp, ${kind})
    GROUP BY tenant_id, dim, span, day, grp) AS agg
  WHERE (dashboard_rollups.tenant_id, dashboard_rollups.dim, dashboard_rollups.span,
         dashboard_rollups.day, dashboard_rollups.grp) = (agg.tenant_id, agg.dim, agg.span, agg.day, agg.grp);`,
    )
    .join('')}

  INSERT INTO dashboard_quarters (tenant_id, quarter, leads, ${COUNTS.join(', ')})
  SELECT tenant_id, (submitted_at / ${QUARTER_MS}) * ${QUARTER_MS} AS q, COUNT(*),
    ${COUNTS.map((c) => `SUM(${outcomeTest('leads', c)})`).join(', ')}
  FROM leads GROUP BY tenant_id, q;

  DROP TABLE temp.dashboard_facts;
`;

/** Migration 14's SQL: the tables, the rollups of the leads stored so far, then the triggers. */
export const DASHBOARD_ROLLUPS_SQL = `${TABLES}${BACKFILL}${TRIGGERS}`;
