import { BLOCK_DAYS, QUARTER_MS, ROLLUP_COUNTS, SPEED_BUCKET_LOWER } from '@prozvon/sdk/stores';

/**
 * The dashboard's rollups on PostgreSQL (migration 10): the SQLite store's tables, kept the same
 * way (the SDK's stores/sqlite/dashboard-rollups.ts says what each row holds), so that a year of a
 * million leads is a few thousand rows read instead of a million leads aggregated.
 *
 * - `dashboard_rollups`: per tenant, grouping (`dim` 'partner' | 'site'), span of UTC days (1, or
 *   32 on epoch days that are multiples of 32) and group key (`grp`: '' for none, '=' || the
 *   value): the leads, outcome counts, machine marks, the greatest partner name seen (sticky), the
 *   order sums as a jsonb object (currency key '=' || code, '-' without one → [leads, total]) and
 *   the speed-to-lead histograms as jsonb objects (bucket → leads).
 * - `dashboard_quarters`: per tenant and 15 minutes (UTC), the leads and outcome counts.
 * - `dashboard_speed_bucket(delay)`: a delay's bucket, the SDK's speedBucket as SQL (width_bucket
 *   over the same integer lower bounds: a binary search, the same bucket as JavaScript).
 *
 * Since migration 11 (COUNTED_ROLLUPS_PG_SQL, as SQLite's migration 21) they hold a lead only once
 * it is counted (an outcome, or finished); the leads in progress are read from the leads.
 *
 * The same events as SQLite's triggers: a lead inserted (or becoming counted) adds its
 * contribution; an update of its calling facts adds the difference (the sums untouched, so a total
 * never drifts by adding and subtracting the same float); an update that moves it (tenant, submit
 * time, partner, site, sum) takes its old contribution away and adds the new; a lead deleted (or
 * no longer counted) takes it away.
 *
 * Since migration 15 (dashboard-rollups-folded.ts) the triggers below are gone: what a transaction
 * changed is staged and folded into the same tables once, at its COMMIT. The functions here build
 * migrations 10 to 12 as they were.
 *
 * Unlike SQLite's, PostgreSQL's writers run at once, and every lead of a tenant's day writes the
 * same few rollup rows: updated as each lead is written, two write transactions of several leads
 * each would lock them in different orders and deadlock. So the triggers are constraint triggers,
 * deferred to the COMMIT, and each first takes one transaction-scoped advisory lock: the rollups
 * are written by one committing transaction at a time, which then waits for nothing else (it holds
 * every other lock it will take already). No extra statement is sent from Node: the work is in
 * the database, in the transaction of the write.
 */

export const DAY_MS = 86_400_000;
const COUNTS = ROLLUP_COUNTS;

/**
 * The row a statement reads: the trigger's NEW or OLD, the backfill's lead, or a row the fold
 * reads (dashboard-rollups-folded.ts).
 */
type Ref = string;

/** 1 when the lead's outcome is the count's (in_progress: none), else 0. */
export const outcomeTest = (r: Ref, column: (typeof COUNTS)[number]) =>
  column === 'in_progress'
    ? `(${r}.outcome IS NULL)::int`
    : `(${r}.outcome IS NOT DISTINCT FROM '${column}')::int`;
/** 1 for a machine outcome a seller marked as a person, else 0. */
export const marked = (r: Ref) =>
  `(${r}.outcome IS NOT DISTINCT FROM 'machine' AND ${r}.machine_person_at IS NOT NULL)::int`;
const dayOf = (r: Ref, span: number) => `((${r}.submitted_at / ${DAY_MS} / ${span}) * ${span})::int`;
const keyOf = (r: Ref, dim: 'partner' | 'site') => `COALESCE('=' || ${r}.${dim}, '')`;
export const currencyKey = (r: Ref) => `COALESCE('=' || ${r}.currency, '-')`;
/** A delay's bucket as text (a jsonb key), null when the fact is not set. */
export const bucketOf = (r: Ref, at: 'first_ring_at' | 'answered_at') =>
  `dashboard_speed_bucket(${r}.${at} - ${r}.submitted_at)::text`;

/** The lead's four rollup rows (dim, span, day, grp), as VALUES rows. */
const ROLLUP_KEYS = (r: Ref) =>
  [1, BLOCK_DAYS]
    .flatMap((span) =>
      (['partner', 'site'] as const).map((dim) => `('${dim}', ${span}, ${dayOf(r, span)}, ${keyOf(r, dim)})`),
    )
    .join(',\n        ');

/** The row of `dashboard_rollups` matched to a key of `k` (a VALUES of ROLLUP_KEYS). */
const MATCH_KEY = (r: Ref) =>
  `r.tenant_id = ${r}.tenant_id AND r.dim = k.dim AND r.span = k.span AND r.day = k.day AND r.grp = k.grp`;

/** Lead `r`'s quarter of an hour (dashboard_quarters). */
export const QUARTER = (r: Ref) => `(${r}.submitted_at / ${QUARTER_MS}) * ${QUARTER_MS}`;

/** Adds a lead's contribution: one upsert of its four rollup rows and one of its quarter. */
function addLead(r: Ref): string {
  const sum = `CASE WHEN ${r}.order_sum IS NULL THEN '{}'::jsonb
      ELSE jsonb_build_object(${currencyKey(r)}, jsonb_build_array(1, ${r}.order_sum)) END`;
  const histogram = (at: 'first_ring_at' | 'answered_at') =>
    `CASE WHEN ${r}.${at} IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(${bucketOf(r, at)}, 1) END`;
  return `
    INSERT INTO dashboard_rollups AS r (tenant_id, dim, span, day, grp, name, leads, ${COUNTS.join(', ')},
      marked, sums, ring, answer)
    SELECT ${r}.tenant_id, k.dim, k.span, k.day, k.grp,
      CASE WHEN k.dim = 'partner' THEN ${r}.partner_name END, 1,
      ${COUNTS.map((c) => outcomeTest(r, c)).join(', ')}, ${marked(r)},
      ${sum}, ${histogram('first_ring_at')}, ${histogram('answered_at')}
    FROM (VALUES ${ROLLUP_KEYS(r)}) AS k (dim, span, day, grp)
    ON CONFLICT (tenant_id, dim, span, day, grp) DO UPDATE SET
      name = CASE WHEN excluded.name IS NOT NULL AND (r.name IS NULL OR excluded.name > r.name)
             THEN excluded.name ELSE r.name END,
      leads = r.leads + 1,
      ${COUNTS.map((c) => `${c} = r.${c} + excluded.${c}`).join(', ')},
      marked = r.marked + excluded.marked,
      sums = dashboard_add_sum(r.sums, ${currencyKey(r)}, ${r}.order_sum, 1),
      ring = dashboard_bump(r.ring, ${bucketOf(r, 'first_ring_at')}, 1),
      answer = dashboard_bump(r.answer, ${bucketOf(r, 'answered_at')}, 1);
    INSERT INTO dashboard_quarters AS q (tenant_id, quarter, leads, ${COUNTS.join(', ')})
    VALUES (${r}.tenant_id, ${QUARTER(r)}, 1, ${COUNTS.map((c) => outcomeTest(r, c)).join(', ')})
    ON CONFLICT (tenant_id, quarter) DO UPDATE SET leads = q.leads + 1,
      ${COUNTS.map((c) => `${c} = q.${c} + excluded.${c}`).join(', ')};`;
}

/** Takes a lead's contribution away (its rows exist: the lead was added to them). */
function removeLead(r: Ref): string {
  return `
    UPDATE dashboard_rollups AS r SET
      leads = r.leads - 1,
      ${COUNTS.map((c) => `${c} = r.${c} - ${outcomeTest(r, c)}`).join(', ')},
      marked = r.marked - ${marked(r)},
      sums = dashboard_add_sum(r.sums, ${currencyKey(r)}, ${r}.order_sum, -1),
      ring = dashboard_bump(r.ring, ${bucketOf(r, 'first_ring_at')}, -1),
      answer = dashboard_bump(r.answer, ${bucketOf(r, 'answered_at')}, -1)
    FROM (VALUES ${ROLLUP_KEYS(r)}) AS k (dim, span, day, grp)
    WHERE ${MATCH_KEY(r)};
    UPDATE dashboard_quarters AS q SET leads = q.leads - 1,
      ${COUNTS.map((c) => `${c} = q.${c} - ${outcomeTest(r, c)}`).join(', ')}
    WHERE q.tenant_id = ${r}.tenant_id AND q.quarter = ${QUARTER(r)};`;
}

/** A lead's calling facts changed in place: its rows get the difference, the sums untouched. */
function changeLead(): string {
  const histogram = (column: string, at: 'first_ring_at' | 'answered_at') =>
    `CASE WHEN OLD.${at} IS NOT DISTINCT FROM NEW.${at} THEN r.${column}
       ELSE dashboard_bump(dashboard_bump(r.${column}, ${bucketOf('OLD', at)}, -1), ${bucketOf('NEW', at)}, 1) END`;
  const difference = (c: (typeof COUNTS)[number]) => `${outcomeTest('NEW', c)} - ${outcomeTest('OLD', c)}`;
  return `
    UPDATE dashboard_rollups AS r SET
      name = CASE WHEN r.dim = 'partner' AND NEW.partner_name IS NOT NULL
                   AND (r.name IS NULL OR NEW.partner_name > r.name) THEN NEW.partner_name ELSE r.name END,
      ${COUNTS.map((c) => `${c} = r.${c} + ${difference(c)}`).join(', ')},
      marked = r.marked + ${marked('NEW')} - ${marked('OLD')},
      ring = ${histogram('ring', 'first_ring_at')},
      answer = ${histogram('answer', 'answered_at')}
    FROM (VALUES ${ROLLUP_KEYS('NEW')}) AS k (dim, span, day, grp)
    WHERE ${MATCH_KEY('NEW')};
    IF OLD.outcome IS DISTINCT FROM NEW.outcome THEN
      UPDATE dashboard_quarters AS q SET
        ${COUNTS.map((c) => `${c} = q.${c} + ${difference(c)}`).join(', ')}
      WHERE q.tenant_id = NEW.tenant_id AND q.quarter = ${QUARTER('NEW')};
    END IF;`;
}

/** A lead's columns that place it in the rollups' rows, and those of its call they count. */
export const PLACE = ['tenant_id', 'submitted_at', 'partner', 'site', 'order_sum', 'currency'];
export const CALLING = ['partner_name', 'first_ring_at', 'answered_at', 'outcome', 'machine_person_at'];
const SAME_PLACE = PLACE.map((c) => `OLD.${c} IS NOT DISTINCT FROM NEW.${c}`).join(' AND ');

/**
 * One committing transaction at a time writes the rollups (see above). The key is the schema's,
 * so stores in other schemas of the database (the tests') do not wait for each other.
 */
export const ROLLUPS_LOCK = 'PERFORM pg_advisory_xact_lock(1887007281, hashtext(current_schema()));';

const COUNT_COLUMNS = `leads integer NOT NULL DEFAULT 0,
    ${COUNTS.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(',\n    ')}`;

const TABLES = `
  CREATE FUNCTION dashboard_speed_bucket(delay bigint) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT width_bucket(delay, '{${SPEED_BUCKET_LOWER.slice(1).join(',')}}'::bigint[]) $$;

  -- A histogram's bucket (a jsonb key) counted by, or left as it is for no bucket (null).
  CREATE FUNCTION dashboard_bump(histogram jsonb, bucket text, by integer) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN bucket IS NULL THEN histogram
      ELSE jsonb_set(histogram, ARRAY[bucket], to_jsonb(COALESCE((histogram ->> bucket)::integer, 0) + by)) END $$;

  -- The order sums with a lead's sum added (sign 1) or taken away (-1), in double precision as
  -- SQLite's are; nothing for a lead without a sum. The total goes into jsonb through the float's
  -- shortest exact text (extra_float_digits > 0, which the trigger functions set).
  CREATE FUNCTION dashboard_add_sum(sums jsonb, currency text, amount double precision, sign integer)
    RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN amount IS NULL THEN sums
      ELSE jsonb_set(sums, ARRAY[currency], jsonb_build_array(
        COALESCE((sums -> currency ->> 0)::integer, 0) + sign,
        COALESCE((sums -> currency ->> 1)::double precision, 0) + sign * amount)) END $$;

  CREATE TABLE dashboard_rollups (
    tenant_id text COLLATE "C" NOT NULL,
    dim text NOT NULL CHECK (dim IN ('partner', 'site')),
    span integer NOT NULL,
    day integer NOT NULL,
    grp text COLLATE "C" NOT NULL,
    name text COLLATE "C",
    ${COUNT_COLUMNS},
    marked integer NOT NULL DEFAULT 0,
    sums jsonb NOT NULL DEFAULT '{}',
    ring jsonb NOT NULL DEFAULT '{}',
    answer jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, dim, span, day, grp)
  ) WITH (fillfactor = 80);

  CREATE TABLE dashboard_quarters (
    tenant_id text COLLATE "C" NOT NULL,
    quarter bigint NOT NULL,
    ${COUNT_COLUMNS},
    PRIMARY KEY (tenant_id, quarter)
  ) WITH (fillfactor = 80);
`;

/**
 * A trigger function. Its search_path is the migration's (the store's schema): a write on a
 * connection with another (an admin's DELETE naming the schema) still finds the rollups.
 */
const fn = (name: string, body: string, settings = '') => `
  CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT${settings} AS $$
  BEGIN
    ${ROLLUPS_LOCK}
    ${body}
    RETURN NULL;
  END $$;`;
// The functions that add or take away a sum write a float into jsonb (dashboard_add_sum).
const FLOATS = '\n    SET extra_float_digits = 1';

const TRIGGERS = `
  ${fn('dashboard_leads_insert', addLead('NEW'), FLOATS)}
  ${fn('dashboard_leads_change', changeLead())}
  ${fn('dashboard_leads_move', `${removeLead('OLD')}${addLead('NEW')}`, FLOATS)}
  ${fn('dashboard_leads_delete', removeLead('OLD'), FLOATS)}

  CREATE CONSTRAINT TRIGGER leads_dashboard_insert AFTER INSERT ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dashboard_leads_insert();
  CREATE CONSTRAINT TRIGGER leads_dashboard_change AFTER UPDATE OF ${CALLING.join(', ')} ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN ((${SAME_PLACE}) AND (${CALLING.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')}))
    EXECUTE FUNCTION dashboard_leads_change();
  CREATE CONSTRAINT TRIGGER leads_dashboard_move AFTER UPDATE OF ${PLACE.join(', ')} ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NOT (${SAME_PLACE}))
    EXECUTE FUNCTION dashboard_leads_move();
  CREATE CONSTRAINT TRIGGER leads_dashboard_delete AFTER DELETE ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dashboard_leads_delete();
`;

/** Each lead's four rollup rows, as a VALUES of (dim, span) to join to its leads (rowKeyOf). */
export const SPANS = `(VALUES ('partner', 1), ('site', 1), ('partner', ${BLOCK_DAYS}), ('site', ${BLOCK_DAYS}))`;

/** The day and the group of lead `r`'s row of SPANS row `k`: with them, the rollup row's key. */
export const rowKeyOf = (
  r: Ref,
  k: Ref,
) => `((${r}.submitted_at / ${DAY_MS} / ${k}.span) * ${k}.span)::int AS day,
    COALESCE('=' || CASE ${k}.dim WHEN 'partner' THEN ${r}.partner ELSE ${r}.site END, '') AS grp`;

/**
 * The rollups of the leads stored before: each lead's contribution to its four rollup rows, then
 * each row as one GROUP BY (counts, the sums' and the histograms' objects), and the quarters.
 */
const facts = (where: string) => `
  SELECT l.tenant_id, s.dim, s.span, ${rowKeyOf('l', 's')},
    CASE s.dim WHEN 'partner' THEN l.partner_name END AS name,
    l.outcome, l.machine_person_at, l.order_sum, ${currencyKey('l')} AS currency,
    ${bucketOf('l', 'first_ring_at')} AS ring,
    ${bucketOf('l', 'answered_at')} AS answer
  FROM leads AS l,
    ${SPANS} AS s (dim, span)${where}`;

const ROW = 'tenant_id, dim, span, day, grp';

const countOf = (c: (typeof COUNTS)[number], alias = '') =>
  c === 'in_progress'
    ? `COUNT(*) FILTER (WHERE ${alias}outcome IS NULL)`
    : `COUNT(*) FILTER (WHERE ${alias}outcome = '${c}')`;

/** The rollups built from the leads, every one or those `only` says. */
const backfill = (only?: (r: Ref) => string) => {
  const where = (r: Ref) => (only === undefined ? '' : ` WHERE ${only(r)}`);
  return `
  SET LOCAL extra_float_digits = 1;
  CREATE TEMP TABLE dashboard_facts AS ${facts(where('l'))};

  INSERT INTO dashboard_rollups (${ROW}, name, leads, ${COUNTS.join(', ')}, marked, sums, ring, answer)
  SELECT ${ROW}, c.name, c.leads, ${COUNTS.map((k) => `c.${k}`).join(', ')}, c.marked,
    COALESCE(sums.sums, '{}'), COALESCE(ring.histogram, '{}'), COALESCE(answer.histogram, '{}')
  FROM (
    SELECT ${ROW}, MAX(name) AS name, COUNT(*) AS leads,
      ${COUNTS.map((k) => `${countOf(k)} AS ${k}`).join(', ')},
      COUNT(*) FILTER (WHERE outcome = 'machine' AND machine_person_at IS NOT NULL) AS marked
    FROM dashboard_facts GROUP BY ${ROW}) AS c
  LEFT JOIN (
    SELECT ${ROW}, jsonb_object_agg(currency, jsonb_build_array(n, total)) AS sums
    FROM (SELECT ${ROW}, currency, COUNT(*) AS n, SUM(order_sum) AS total
          FROM dashboard_facts WHERE order_sum IS NOT NULL GROUP BY ${ROW}, currency) AS s
    GROUP BY ${ROW}) AS sums USING (${ROW})${['ring', 'answer']
      .map(
        (kind) => `
  LEFT JOIN (
    SELECT ${ROW}, jsonb_object_agg(${kind}, n) AS histogram
    FROM (SELECT ${ROW}, ${kind}, COUNT(*) AS n
          FROM dashboard_facts WHERE ${kind} IS NOT NULL GROUP BY ${ROW}, ${kind}) AS b
    GROUP BY ${ROW}) AS ${kind} USING (${ROW})`,
      )
      .join('')};

  INSERT INTO dashboard_quarters (tenant_id, quarter, leads, ${COUNTS.join(', ')})
  SELECT tenant_id, (submitted_at / ${QUARTER_MS}) * ${QUARTER_MS} AS q, COUNT(*),
    ${COUNTS.map((k) => countOf(k)).join(', ')}
  FROM leads${where('leads')} GROUP BY tenant_id, q;

  DROP TABLE dashboard_facts;
`;
};

/** Migration 10's SQL: the tables, the rollups of the leads stored so far, then the triggers. */
export const DASHBOARD_ROLLUPS_PG_SQL = `${TABLES}${backfill()}${TRIGGERS}`;

/**
 * Whether a lead is in the rollups (migration 11, as the SQLite store's migration 21): once it has
 * an outcome or is finished. Until then nearly every step of its call (first ring, pick-up, the
 * outcome) changes its figures, and each change was a deferred trigger call at the COMMIT, under
 * the rollups' lock, updating four rollup rows: server CPU on every write of a lifecycle. A lead
 * in progress is read from the covering partial index leads_dashboard_open instead (a few hundred
 * per shop, more while a shop's leads wait), and enters the rollups once, its facts nearly all
 * known.
 */
export const counted = (r: Ref) => `(${r}.outcome IS NOT NULL OR ${r}.finished)`;

/** The leads not in the rollups (counted's negation), exactly as leads_dashboard_open's WHERE. */
export const OPEN_LEADS = 'outcome IS NULL AND NOT finished';

/**
 * The triggers of migration 11. Each names in its WHEN whether the lead is counted before or
 * after the write, so a write of a lead in progress queues no event at all (a constraint
 * trigger's WHEN is evaluated at the write, not deferred). A lead entering the rollups is added
 * as an inserted one is, one leaving (its outcome taken back: nothing Prozvon does) taken away as
 * a deleted one is: the same functions. At most one of them fires for a row's write.
 */
const COUNTED_TRIGGERS = `
  CREATE CONSTRAINT TRIGGER leads_dashboard_insert AFTER INSERT ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (${counted('NEW')})
    EXECUTE FUNCTION dashboard_leads_insert();
  CREATE CONSTRAINT TRIGGER leads_dashboard_change AFTER UPDATE OF ${CALLING.join(', ')} ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (${counted('OLD')} AND ${counted('NEW')} AND (${SAME_PLACE})
      AND (${CALLING.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')}))
    EXECUTE FUNCTION dashboard_leads_change();
  CREATE CONSTRAINT TRIGGER leads_dashboard_move AFTER UPDATE OF ${PLACE.join(', ')} ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (${counted('OLD')} AND ${counted('NEW')} AND NOT (${SAME_PLACE}))
    EXECUTE FUNCTION dashboard_leads_move();
  CREATE CONSTRAINT TRIGGER leads_dashboard_enter AFTER UPDATE OF outcome, finished ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NOT ${counted('OLD')} AND ${counted('NEW')})
    EXECUTE FUNCTION dashboard_leads_insert();
  CREATE CONSTRAINT TRIGGER leads_dashboard_leave AFTER UPDATE OF outcome, finished ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (${counted('OLD')} AND NOT ${counted('NEW')})
    EXECUTE FUNCTION dashboard_leads_delete();
  CREATE CONSTRAINT TRIGGER leads_dashboard_delete AFTER DELETE ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (${counted('OLD')})
    EXECUTE FUNCTION dashboard_leads_delete();
`;

/**
 * Migration 11's SQL: the triggers replaced (DROP TRIGGER locks leads until the COMMIT, so no
 * write runs between), the rollups rebuilt from the counted leads alone, and the index the
 * dashboard reads the leads in progress from.
 */
export const COUNTED_ROLLUPS_PG_SQL = `
  DROP TRIGGER leads_dashboard_insert ON leads;
  DROP TRIGGER leads_dashboard_change ON leads;
  DROP TRIGGER leads_dashboard_move ON leads;
  DROP TRIGGER leads_dashboard_delete ON leads;
  TRUNCATE dashboard_rollups, dashboard_quarters;
  ${backfill(counted)}
  ${COUNTED_TRIGGERS}
  -- Covering, as leads_dashboard: a shop whose leads wait long (suspended, parked) may have
  -- thousands in progress, read without the table's rows (and their snapshots).
  CREATE INDEX leads_dashboard_open ON leads (tenant_id, submitted_at)
    INCLUDE (partner, site, currency, order_sum, outcome, first_ring_at, answered_at,
             machine_person_at, partner_name)
    WHERE ${OPEN_LEADS};
`;

/**
 * Migration 12: the two jsonb helpers of the rollups' upserts declared STABLE, as what they call
 * is (to_jsonb, jsonb_build_array; dashboard_add_sum's text follows extra_float_digits).
 * Declared IMMUTABLE, PostgreSQL never inlined them (an immutable SQL function whose body is
 * not), so every trigger call ran each of them as a SQL function of its own, parsed and planned
 * afresh for each statement: 5 % of the server's CPU in a lifecycle. Inlined, they are a few
 * expressions of the statement that calls them, planned with it once.
 */
export const STABLE_ROLLUP_HELPERS_PG_SQL = `
  ALTER FUNCTION dashboard_bump(jsonb, text, integer) STABLE;
  ALTER FUNCTION dashboard_add_sum(jsonb, text, double precision, integer) STABLE;
`;
