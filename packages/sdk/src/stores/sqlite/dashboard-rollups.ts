import { BLOCK_DAYS, QUARTER_MS } from '../dashboard-rollup-sums.js';
import { SPEED_BUCKET_LOWER } from '../speed-buckets.js';

/**
 * The dashboard's rollups (migration 14): what a period's figures add up from, so that a year of
 * a million leads is a few thousand rows read instead of a million leads sorted and aggregated.
 * Plain SQL throughout (triggers, upserts, JSONB objects), so a PostgreSQL store can keep the same
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
 * Kept by triggers on `leads`, in the transaction of the write, for the leads that have an
 * outcome or are finished (since migration 21; the leads in progress are read from the leads): a
 * lead counted adds its contribution (one upsert per row); an update of its calling facts (the engine's: outcome, first
 * ring, pick-up, partner name, machine mark) adds the difference to the same rows (one UPDATE
 * each, the sums untouched, so a total never drifts by adding and subtracting the same float); an
 * update that moves it (tenant, submit time, partner, site, sum: nothing Prozvon does) takes its
 * old contribution away and adds the new; a lead deleted takes it away. A row whose leads were all
 * taken away stays with zero leads and is skipped by the reads.
 */

const DAY_MS = 86_400_000;

/** The leads not in the rollups (counted's negation), exactly as leads_dashboard_open's WHERE. */
export const OPEN_LEADS = 'outcome IS NULL AND finished = 0';

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
const bump = (column: string, key: string, sign: string) =>
  `jsonb_set(${column}, '$."' || ${key} || '"', COALESCE(json_extract(${column}, '$."' || ${key} || '"'), 0) + (${sign}))`;

const SPANS = [1, BLOCK_DAYS] as const;
const DIMS = ['partner', 'site'] as const;
type Dim = (typeof DIMS)[number];

/** A lead's rollup row at one span and grouping, as the primary key's values. */
const rowKey = (r: Ref, span: number, dim: Dim) =>
  `${r}.tenant_id, '${dim}', ${span}, (${r}.submitted_at / ${DAY_MS} / ${span}) * ${span}, COALESCE('=' || ${r}.${dim}, '')`;
const ROW_KEY = '(tenant_id, dim, span, day, grp)';
const quarterKey = (r: Ref) => `${r}.tenant_id, (${r}.submitted_at / ${QUARTER_MS}) * ${QUARTER_MS}`;

const marked = (r: Ref) => `(${r}.outcome IS 'machine' AND ${r}.machine_person_at IS NOT NULL)`;
const currencyKey = (r: Ref) => `COALESCE('=' || ${r}.currency, '-')`;
const ringBucket = (r: Ref) => bucketOf(`${r}.first_ring_at - ${r}.submitted_at`);
const answerBucket = (r: Ref) => bucketOf(`${r}.answered_at - ${r}.submitted_at`);

/** The greatest partner name seen: a name only ever replaces a lesser one. */
const stickyName = (r: Ref, dim: Dim) =>
  dim === 'partner'
    ? `CASE WHEN ${r}.partner_name IS NOT NULL AND (name IS NULL OR ${r}.partner_name > name) THEN ${r}.partner_name ELSE name END`
    : 'name';

/** The order sums with a lead's sum added (sign 1) or taken away (−1). */
function sumsWith(r: Ref, sign: string): string {
  const path = `'$."' || ${currencyKey(r)} || '"'`;
  return `CASE WHEN ${r}.order_sum IS NULL THEN sums ELSE jsonb_set(sums, ${path},
    jsonb_array(COALESCE(json_extract(sums, ${path} || '[0]'), 0) + (${sign}),
               COALESCE(json_extract(sums, ${path} || '[1]'), 0) + (${sign}) * ${r}.order_sum)) END`;
}

/** A histogram with a lead's delay (at `column` of the lead) counted (sign 1) or taken away. */
const histogramWith = (histogram: string, r: Ref, column: string, bucket: string, sign: string) =>
  `CASE WHEN ${r}.${column} IS NULL THEN ${histogram} ELSE ${bump(histogram, bucket, sign)} END`;

/** Adds a lead's contribution: one upsert per rollup row and one for its quarter. */
function addLead(r: Ref): string {
  const out: string[] = [];
  for (const span of SPANS) {
    for (const dim of DIMS) {
      out.push(`
        INSERT INTO dashboard_rollups (tenant_id, dim, span, day, grp, name, leads, ${COUNTS.join(', ')},
          marked, sums, ring, answer)
        VALUES (${rowKey(r, span, dim)}, ${dim === 'partner' ? `${r}.partner_name` : 'NULL'}, 1,
          ${COUNTS.map((c) => outcomeTest(r, c)).join(', ')}, ${marked(r)},
          CASE WHEN ${r}.order_sum IS NULL THEN jsonb('{}')
               ELSE jsonb_object(${currencyKey(r)}, jsonb_array(1, ${r}.order_sum)) END,
          CASE WHEN ${r}.first_ring_at IS NULL THEN jsonb('{}') ELSE jsonb_object(CAST(${ringBucket(r)} AS TEXT), 1) END,
          CASE WHEN ${r}.answered_at IS NULL THEN jsonb('{}') ELSE jsonb_object(CAST(${answerBucket(r)} AS TEXT), 1) END)
        ON CONFLICT DO UPDATE SET
          name = ${stickyName(r, dim)},
          leads = leads + 1,
          ${COUNTS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')},
          marked = marked + excluded.marked,
          sums = ${sumsWith(r, '1')},
          ring = ${histogramWith('ring', r, 'first_ring_at', ringBucket(r), '1')},
          answer = ${histogramWith('answer', r, 'answered_at', answerBucket(r), '1')};`);
    }
  }
  out.push(`
        INSERT INTO dashboard_quarters (tenant_id, quarter, leads, ${COUNTS.join(', ')})
        VALUES (${quarterKey(r)}, 1, ${COUNTS.map((c) => outcomeTest(r, c)).join(', ')})
        ON CONFLICT DO UPDATE SET leads = leads + 1, ${COUNTS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};`);
  return out.join('');
}

/** Takes a lead's contribution away (its rows exist: the lead was added to them). */
function removeLead(r: Ref): string {
  const out: string[] = [];
  for (const span of SPANS) {
    for (const dim of DIMS) {
      out.push(`
        UPDATE dashboard_rollups SET
          leads = leads - 1,
          ${COUNTS.map((c) => `${c} = ${c} - ${outcomeTest(r, c)}`).join(', ')},
          marked = marked - ${marked(r)},
          sums = ${sumsWith(r, '-1')},
          ring = ${histogramWith('ring', r, 'first_ring_at', ringBucket(r), '-1')},
          answer = ${histogramWith('answer', r, 'answered_at', answerBucket(r), '-1')}
        WHERE ${ROW_KEY} = (${rowKey(r, span, dim)});`);
    }
  }
  out.push(`
        UPDATE dashboard_quarters SET leads = leads - 1, ${COUNTS.map((c) => `${c} = ${c} - ${outcomeTest(r, c)}`).join(', ')}
        WHERE (tenant_id, quarter) = (${quarterKey(r)});`);
  return out.join('');
}

/**
 * A lead's calling facts changed in place (same tenant, day, partner, site and sum: the engine's
 * updates): its rows get the difference, one UPDATE each, the sums untouched.
 */
function changeLead(): string {
  const histogram = (column: string, at: string, bucket: (r: Ref) => string) =>
    `CASE WHEN OLD.${at} IS NEW.${at} THEN ${column}
          ELSE ${histogramWith(histogramWith(column, 'OLD', at, bucket('OLD'), '-1'), 'NEW', at, bucket('NEW'), '1')} END`;
  const out: string[] = [];
  for (const span of SPANS) {
    for (const dim of DIMS) {
      out.push(`
        UPDATE dashboard_rollups SET
          name = ${stickyName('NEW', dim)},
          ${COUNTS.map((c) => `${c} = ${c} + ${outcomeTest('NEW', c)} - ${outcomeTest('OLD', c)}`).join(', ')},
          marked = marked + ${marked('NEW')} - ${marked('OLD')},
          ring = ${histogram('ring', 'first_ring_at', ringBucket)},
          answer = ${histogram('answer', 'answered_at', answerBucket)}
        WHERE ${ROW_KEY} = (${rowKey('NEW', span, dim)});`);
    }
  }
  out.push(`
        UPDATE dashboard_quarters SET
          ${COUNTS.map((c) => `${c} = ${c} + ${outcomeTest('NEW', c)} - ${outcomeTest('OLD', c)}`).join(', ')}
        WHERE (tenant_id, quarter) = (${quarterKey('NEW')}) AND OLD.outcome IS NOT NEW.outcome;`);
  return out.join('');
}

/** The columns that place a lead in its rollup rows and give its sum. */
const PLACE = ['tenant_id', 'submitted_at', 'partner', 'site', 'order_sum', 'currency'];
/** The calling facts the rollups count, which the engine's updates change. */
const CALLING = ['partner_name', 'first_ring_at', 'answered_at', 'outcome', 'machine_person_at'];

/** Whether an update leaves the lead in the same rollup rows with the same sum. */
const SAME_PLACE = `OLD.tenant_id IS NEW.tenant_id AND OLD.submitted_at IS NEW.submitted_at
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
    sums BLOB NOT NULL DEFAULT x'0c',
    ring BLOB NOT NULL DEFAULT x'0c',
    answer BLOB NOT NULL DEFAULT x'0c',
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
    ${addLead('NEW')}
  END;
  CREATE TRIGGER leads_dashboard_change AFTER UPDATE OF ${CALLING.join(', ')} ON leads
  WHEN (${SAME_PLACE}) AND (${CALLING.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')}) BEGIN
    ${changeLead()}
  END;
  CREATE TRIGGER leads_dashboard_move AFTER UPDATE OF ${PLACE.join(', ')} ON leads
  WHEN NOT (${SAME_PLACE}) BEGIN
    ${removeLead('OLD')}
    ${addLead('NEW')}
  END;
  CREATE TRIGGER leads_dashboard_delete AFTER DELETE ON leads BEGIN
    ${removeLead('OLD')}
  END;
`;

/**
 * The rollups of the leads stored before: each lead's contribution computed once into a temp
 * table, then each rollup row as one GROUP BY over it (counts, then the sums' and histograms' JSON
 * objects).
 */
const backfill = (counted: (r: Ref) => string) => `
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
       UNION ALL SELECT 'partner', ${BLOCK_DAYS} UNION ALL SELECT 'site', ${BLOCK_DAYS}) AS s
    WHERE ${counted('l')};

  INSERT INTO dashboard_rollups (tenant_id, dim, span, day, grp, name, leads,
    ${COUNTS.join(', ')}, marked)
  SELECT tenant_id, dim, span, day, grp, MAX(name), COUNT(*),
    ${COUNTS.map((c) => `SUM(${outcomeTest('f', c)})`).join(', ')},
    SUM(outcome IS 'machine' AND machine_person_at IS NOT NULL)
  FROM temp.dashboard_facts AS f GROUP BY tenant_id, dim, span, day, grp;

  UPDATE dashboard_rollups SET sums = agg.sums FROM (
    SELECT tenant_id, dim, span, day, grp, jsonb_group_object(currency, jsonb_array(n, total)) AS sums
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
    SELECT tenant_id, dim, span, day, grp, jsonb_group_object(CAST(${kind} AS TEXT), n) AS histogram
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
  FROM leads WHERE ${counted('leads')} GROUP BY tenant_id, q;

  DROP TABLE temp.dashboard_facts;
`;

/** Migration 14's SQL: the tables, the rollups of the leads stored so far, then the triggers. */
export const DASHBOARD_ROLLUPS_SQL = `${TABLES}${backfill(() => '1')}${TRIGGERS}`;

/**
 * Whether a lead is in the rollups (migration 21): once it has an outcome or is finished. Until
 * then its figures change with nearly every step of its call (first ring, pick-up, outcome), and
 * keeping four rollup rows and a quarter in step with each cost a fifth of a lifecycle's CPU: a
 * lead in progress is read from the covering index leads_dashboard_open instead (a few hundred per
 * shop, more while a shop's leads are parked), and enters the rollups once, its facts nearly all
 * known.
 */
const counted = (r: Ref) => `(${r}.outcome IS NOT NULL OR ${r}.finished = 1)`;

/** The facts and moves that change a counted lead's rollups, and a lead entering or leaving them. */
const COUNTED_TRIGGERS = `
  CREATE TRIGGER leads_dashboard_insert AFTER INSERT ON leads WHEN ${counted('NEW')} BEGIN
    ${addLead('NEW')}
  END;
  CREATE TRIGGER leads_dashboard_change AFTER UPDATE OF ${CALLING.join(', ')} ON leads
  WHEN ${counted('OLD')} AND ${counted('NEW')} AND (${SAME_PLACE})
    AND (${CALLING.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')}) BEGIN
    ${changeLead()}
  END;
  CREATE TRIGGER leads_dashboard_move AFTER UPDATE OF ${PLACE.join(', ')} ON leads
  WHEN ${counted('OLD')} AND ${counted('NEW')} AND NOT (${SAME_PLACE}) BEGIN
    ${removeLead('OLD')}
    ${addLead('NEW')}
  END;
  CREATE TRIGGER leads_dashboard_enter AFTER UPDATE OF outcome, finished ON leads
  WHEN NOT ${counted('OLD')} AND ${counted('NEW')} BEGIN
    ${addLead('NEW')}
  END;
  CREATE TRIGGER leads_dashboard_leave AFTER UPDATE OF outcome, finished ON leads
  WHEN ${counted('OLD')} AND NOT ${counted('NEW')} BEGIN
    ${removeLead('OLD')}
  END;
  CREATE TRIGGER leads_dashboard_delete AFTER DELETE ON leads WHEN ${counted('OLD')} BEGIN
    ${removeLead('OLD')}
  END;
`;

/**
 * Migration 21's SQL: the rollups rebuilt from the counted leads alone, the triggers that keep
 * them so, and the index the dashboard reads the leads in progress from.
 */
export const COUNTED_ROLLUPS_SQL = `
  DROP TRIGGER leads_dashboard_insert;
  DROP TRIGGER leads_dashboard_change;
  DROP TRIGGER leads_dashboard_move;
  DROP TRIGGER leads_dashboard_delete;
  DELETE FROM dashboard_rollups;
  DELETE FROM dashboard_quarters;
  ${backfill(counted)}
  ${COUNTED_TRIGGERS}
  -- Covering, as leads_dashboard: a shop whose leads wait for long (suspended, parked) may have
  -- thousands in progress, read without their rows (and their snapshots' overflow pages).
  CREATE INDEX leads_dashboard_open ON leads (tenant_id, submitted_at, partner, site, currency, order_sum,
    first_ring_at, answered_at, machine_person_at, partner_name, outcome, finished) WHERE ${OPEN_LEADS};
`;
