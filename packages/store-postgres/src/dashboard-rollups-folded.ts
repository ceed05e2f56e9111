import { ROLLUP_COUNTS } from '@prozvon/sdk/stores';
import {
  bucketOf,
  CALLING,
  counted,
  currencyKey,
  marked,
  outcomeTest,
  PLACE,
  QUARTER,
  ROLLUPS_LOCK,
  rowKeyOf,
  SPANS,
} from './dashboard-rollups.js';

/**
 * Migration 15: the rollups (dashboard-rollups.ts) written once per transaction, not once per
 * lead.
 *
 * Until now each counted lead's write queued a deferred row trigger, and at the COMMIT each one
 * upserted the lead's four rollup rows and its quarter: a trigger call, two statements and five
 * new row versions (with their jsonb) per lead, while every lead of a shop's day writes the same
 * few rows. perf put that at 18 % of the server's CPU in a lifecycle (AfterTriggerFireDeferred).
 *
 * Now:
 * - a statement-level trigger per event (INSERT, UPDATE, DELETE) reads the statement's
 *   transition tables and stages what the statement changed in the counted leads: each lead's
 *   contribution taken away (-1, its old row) and added (+1, its new row), into a temporary table
 *   of the session (no WAL, emptied at every COMMIT). A statement that touched no counted lead
 *   returns at once, without a query (see arming below);
 * - at the COMMIT one deferred call folds everything staged: grouped by rollup row and by quarter,
 *   one upsert of each, under the rollups' lock as before (same key), so two committing
 *   transactions still never lock rollup rows in different orders.
 *
 * Arming: a deferred row trigger is the only way to run code at the COMMIT. Its WHEN (evaluated at
 * the write, not deferred) asks whether the write changes the rollups (the lead counted, entering
 * or leaving them, or one of their facts changed: what the staging stages), and then
 * `dashboard_arm_fold()`, which is true once per transaction and schema: it marks the
 * transaction in a transaction-local setting, so only one event is queued. A rolled-back savepoint
 * takes its event, its mark and its staged rows back together. The trigger is deferred, and must
 * stay so: a session that set it IMMEDIATE (SET CONSTRAINTS, which Prozvon never runs) would fold
 * before its statement staged, and lose what it staged.
 *
 * What each lead contributes is what it did under the row triggers: its counts, machine mark,
 * speed buckets and partner name (sticky: the greatest seen), and its order sum. A lead whose
 * place (tenant, submit time, partner, site, sum, currency) stays and that is counted before and
 * after leaves the sums untouched, so a total never drifts by adding and subtracting the same
 * float. The temporary table has the schema's name in each row, so a transaction that writes
 * leads of two schemas folds each into its own rollups.
 */

const COUNTS = ROLLUP_COUNTS;

/**
 * The transaction-local setting that says this schema's fold is queued: one per schema, since one
 * statement may write leads of two (a CTE naming both), whose rows are all written, and both
 * armed, before either's statement trigger looks.
 */
const MARK = `'prozvon.rollups_fold_' || md5(current_schema())`;
const ARMED = `current_setting(${MARK}, true) IS NOT DISTINCT FROM '1'`;

/** A lead's columns the rollups read, as staged. */
const FACTS = [...PLACE, ...CALLING];
const same = (columns: readonly string[], [o, n] = ['o', 'n']) =>
  columns.map((c) => `${o}.${c} IS NOT DISTINCT FROM ${n}.${c}`).join(' AND ');
/**
 * Whether an update changes the rollups: the lead enters or leaves them, or, counted, one of the
 * facts they hold changes. The update trigger's WHEN and the staging ask the same.
 */
const figuresChange = (o: string, n: string) =>
  `(${counted(o)} IS DISTINCT FROM ${counted(n)} OR (${counted(o)} AND NOT (${same(FACTS, [o, n])})))`;

const STAGED = 'pg_temp.dashboard_staged';

/**
 * How the staging and the fold are planned, whatever the write transaction set (write-queue.ts
 * turns seq scans off): the staged rows and the transition tables are read whole, with no index,
 * and a plan costed with seq scans off passes jit_above_cost, so every fold was compiled by LLVM
 * (seconds each) at the COMMIT.
 */
const PLANNED = `
    SET enable_seqscan = on
    SET jit = off`;

/** Created by the first statement of a session that stages (a temporary table is per session). */
const ENSURE_STAGED = `
    IF to_regclass('${STAGED}') IS NULL THEN
      CREATE TEMPORARY TABLE dashboard_staged (
        schema_name text NOT NULL,
        sign integer NOT NULL,
        with_sum boolean NOT NULL,
        tenant_id text COLLATE "C" NOT NULL,
        submitted_at bigint NOT NULL,
        partner text COLLATE "C",
        site text COLLATE "C",
        order_sum double precision,
        currency text COLLATE "C",
        partner_name text COLLATE "C",
        first_ring_at bigint,
        answered_at bigint,
        outcome text COLLATE "C",
        machine_person_at bigint
      ) ON COMMIT DELETE ROWS;
    END IF;`;

const STAGED_COLUMNS = `schema_name, sign, with_sum, ${FACTS.join(', ')}`;

/** A statement-level trigger function: returns at once unless a counted lead was written. */
const stage = (name: string, insert: string) => `
  CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT${PLANNED} AS $$
  BEGIN
    IF NOT (${ARMED}) THEN RETURN NULL; END IF;
    ${ENSURE_STAGED}
    ${insert}
    RETURN NULL;
  END $$;`;

const STAGE_INSERT = stage(
  'dashboard_stage_insert',
  `INSERT INTO ${STAGED} (${STAGED_COLUMNS})
    SELECT current_schema(), 1, true, ${FACTS.map((c) => `n.${c}`).join(', ')}
    FROM new_leads AS n WHERE ${counted('n')};`,
);

const STAGE_DELETE = stage(
  'dashboard_stage_delete',
  `INSERT INTO ${STAGED} (${STAGED_COLUMNS})
    SELECT current_schema(), -1, true, ${FACTS.map((c) => `o.${c}`).join(', ')}
    FROM old_leads AS o WHERE ${counted('o')};`,
);

/**
 * An updated lead counted before or after, whose facts or counting changed: its old row taken
 * away (if it was counted), its new row added (if it is). The sums stay out of both when it is
 * counted on both sides in the same place.
 */
const STAGE_UPDATE = stage(
  'dashboard_stage_update',
  `INSERT INTO ${STAGED} (${STAGED_COLUMNS})
    SELECT current_schema(), v.sign, v.with_sum, ${FACTS.map((c) => `v.${c}`).join(', ')}
    FROM old_leads AS o JOIN new_leads AS n ON n.id = o.id,
      LATERAL (VALUES
        (-1, NOT (${counted('n')} AND ${same(PLACE)}), ${FACTS.map((c) => `o.${c}`).join(', ')}, ${counted('o')}),
        (1, NOT (${counted('o')} AND ${same(PLACE)}), ${FACTS.map((c) => `n.${c}`).join(', ')}, ${counted('n')})
      ) AS v (sign, with_sum, ${FACTS.join(', ')}, is_counted)
    WHERE v.is_counted AND ${figuresChange('o', 'n')};`,
);

const KEY = 'tenant_id, dim, span, day, grp';
const nonZero = (columns: readonly string[]) => columns.map((c) => `${c} <> 0`).join(' OR ');

/**
 * The fold: the staged rows of this schema taken out, the quarters' differences upserted, and the
 * rollup rows' (counts, name, and the sums' and histograms' differences as jsonb objects, entries
 * that net to nothing left out) upserted in key order. Differences that net to nothing at all
 * write nothing. A difference never creates a row of no leads: one that takes leads away from a
 * row that is gone (emptied in the same transaction, as the tests' reset does before the COMMIT
 * folds the leads it deleted) is dropped, as the row triggers' UPDATE of no row was. Under the
 * rollups' lock no other transaction creates the row meanwhile.
 */
const FOLD = `
  CREATE FUNCTION dashboard_fold() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT${PLANNED}
    SET extra_float_digits = 1 AS $$
  BEGIN
    IF to_regclass('${STAGED}') IS NULL
       OR NOT EXISTS (SELECT 1 FROM ${STAGED} WHERE schema_name = current_schema()) THEN
      RETURN NULL;
    END IF;
    ${ROLLUPS_LOCK}
    WITH staged AS (
      DELETE FROM ${STAGED} WHERE schema_name = current_schema() RETURNING *
    ),
    quarters AS (
      INSERT INTO dashboard_quarters AS q (tenant_id, quarter, leads, ${COUNTS.join(', ')})
      SELECT d.* FROM (
        SELECT s.tenant_id, ${QUARTER('s')} AS quarter, SUM(s.sign) AS leads,
          ${COUNTS.map((c) => `SUM(s.sign * ${outcomeTest('s', c)}) AS ${c}`).join(', ')}
        FROM staged AS s GROUP BY 1, 2) AS d
      WHERE (${nonZero(['d.leads', ...COUNTS.map((c) => `d.${c}`)])})
        AND (d.leads > 0 OR EXISTS (SELECT 1 FROM dashboard_quarters AS e
                                    WHERE e.tenant_id = d.tenant_id AND e.quarter = d.quarter))
      ORDER BY 1, 2
      ON CONFLICT (tenant_id, quarter) DO UPDATE SET leads = q.leads + excluded.leads,
        ${COUNTS.map((c) => `${c} = q.${c} + excluded.${c}`).join(', ')}
    ),
    facts AS (
      SELECT s.tenant_id, k.dim, k.span, ${rowKeyOf('s', 'k')},
        CASE WHEN k.dim = 'partner' AND s.sign > 0 THEN s.partner_name END AS name,
        s.sign, s.outcome, s.machine_person_at,
        CASE WHEN s.with_sum THEN s.order_sum END AS order_sum, ${currencyKey('s')} AS currency,
        ${bucketOf('s', 'first_ring_at')} AS ring,
        ${bucketOf('s', 'answered_at')} AS answer
      FROM staged AS s, ${SPANS} AS k (dim, span)
    ),
    totals AS (
      SELECT ${KEY}, MAX(f.name) AS name, SUM(f.sign) AS leads,
        ${COUNTS.map((c) => `SUM(f.sign * ${outcomeTest('f', c)}) AS ${c}`).join(', ')},
        SUM(f.sign * ${marked('f')}) AS marked
      FROM facts AS f GROUP BY ${KEY}
    ),
    sums AS (
      SELECT ${KEY}, jsonb_object_agg(currency, jsonb_build_array(n, total)) AS sums
      FROM (SELECT ${KEY}, currency, SUM(sign) AS n, SUM(sign * order_sum) AS total
            FROM facts WHERE order_sum IS NOT NULL GROUP BY ${KEY}, currency
            HAVING SUM(sign) <> 0 OR SUM(sign * order_sum) <> 0) AS c
      GROUP BY ${KEY}
    ),${['ring', 'answer']
      .map(
        (kind) => `
    ${kind} AS (
      SELECT ${KEY}, jsonb_object_agg(${kind}, n) AS histogram
      FROM (SELECT ${KEY}, ${kind}, SUM(sign) AS n FROM facts WHERE ${kind} IS NOT NULL
            GROUP BY ${KEY}, ${kind} HAVING SUM(sign) <> 0) AS b
      GROUP BY ${KEY}
    )`,
      )
      .join(',')}
    INSERT INTO dashboard_rollups AS r (${KEY}, name, leads, ${COUNTS.join(', ')}, marked, sums, ring, answer)
    SELECT ${KEY}, c.name, c.leads, ${COUNTS.map((k) => `c.${k}`).join(', ')}, c.marked,
      COALESCE(sums.sums, '{}'), COALESCE(ring.histogram, '{}'), COALESCE(answer.histogram, '{}')
    FROM totals AS c
      LEFT JOIN sums USING (${KEY}) LEFT JOIN ring USING (${KEY}) LEFT JOIN answer USING (${KEY})
    WHERE (${nonZero(['c.leads', ...COUNTS.map((k) => `c.${k}`), 'c.marked'])} OR c.name IS NOT NULL
        OR sums.sums IS NOT NULL OR ring.histogram IS NOT NULL OR answer.histogram IS NOT NULL)
      AND (c.leads > 0 OR EXISTS (SELECT 1 FROM dashboard_rollups AS e
                                  WHERE (e.tenant_id, e.dim, e.span, e.day, e.grp)
                                      = (c.tenant_id, c.dim, c.span, c.day, c.grp)))
    ORDER BY ${KEY}
    ON CONFLICT (${KEY}) DO UPDATE SET
      name = CASE WHEN excluded.name IS NOT NULL AND (r.name IS NULL OR excluded.name > r.name)
             THEN excluded.name ELSE r.name END,
      leads = r.leads + excluded.leads,
      ${COUNTS.map((c) => `${c} = r.${c} + excluded.${c}`).join(', ')},
      marked = r.marked + excluded.marked,
      sums = dashboard_merge_sums(r.sums, excluded.sums),
      ring = dashboard_merge_counts(r.ring, excluded.ring),
      answer = dashboard_merge_counts(r.answer, excluded.answer);
    RETURN NULL;
  END $$;`;

/**
 * jsonb differences added entry by entry (histograms: bucket → leads; sums: currency → [n, total]),
 * a few entries each. PL/pgSQL, whose statements are planned once per session: as SQL functions
 * (a subquery keeps them from being inlined) each call was planned afresh, 2 % of the server's CPU.
 */
const MERGES = `
  CREATE FUNCTION dashboard_merge_counts(histogram jsonb, delta jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
  DECLARE bucket text;
  BEGIN
    FOR bucket IN SELECT jsonb_object_keys(delta) LOOP
      histogram := jsonb_set(histogram, ARRAY[bucket],
        to_jsonb(COALESCE((histogram ->> bucket)::integer, 0) + (delta ->> bucket)::integer));
    END LOOP;
    RETURN histogram;
  END $$;

  CREATE FUNCTION dashboard_merge_sums(sums jsonb, delta jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
  DECLARE currency text;
  BEGIN
    FOR currency IN SELECT jsonb_object_keys(delta) LOOP
      sums := jsonb_set(sums, ARRAY[currency], jsonb_build_array(
        COALESCE((sums -> currency ->> 0)::integer, 0) + (delta -> currency ->> 0)::integer,
        COALESCE((sums -> currency ->> 1)::double precision, 0) + (delta -> currency ->> 1)::double precision));
    END LOOP;
    RETURN sums;
  END $$;
`;

/** True once per transaction and schema: the first counted write queues the fold, no other. */
const ARM = `
  CREATE FUNCTION dashboard_arm_fold() RETURNS boolean LANGUAGE plpgsql VOLATILE
    SET search_path FROM CURRENT AS $$
  BEGIN
    IF ${ARMED} THEN RETURN false; END IF;
    PERFORM set_config(${MARK}, '1', true);
    RETURN true;
  END $$;`;

export const FOLDED_ROLLUPS_PG_SQL = `
  DROP TRIGGER leads_dashboard_insert ON leads;
  DROP TRIGGER leads_dashboard_change ON leads;
  DROP TRIGGER leads_dashboard_move ON leads;
  DROP TRIGGER leads_dashboard_enter ON leads;
  DROP TRIGGER leads_dashboard_leave ON leads;
  DROP TRIGGER leads_dashboard_delete ON leads;
  DROP FUNCTION dashboard_leads_insert(), dashboard_leads_change(), dashboard_leads_move(),
    dashboard_leads_delete();
  ${MERGES}
  ${ARM}
  ${STAGE_INSERT}
  ${STAGE_UPDATE}
  ${STAGE_DELETE}
  ${FOLD}

  -- A row trigger's WHEN is evaluated as the row is written, before the statement's triggers run:
  -- by then the transaction is armed if the statement wrote a counted lead.
  CREATE CONSTRAINT TRIGGER leads_dashboard_arm_insert AFTER INSERT ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (${counted('NEW')} AND dashboard_arm_fold())
    EXECUTE FUNCTION dashboard_fold();
  CREATE CONSTRAINT TRIGGER leads_dashboard_arm_update AFTER UPDATE ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (${figuresChange('OLD', 'NEW')} AND dashboard_arm_fold())
    EXECUTE FUNCTION dashboard_fold();
  CREATE CONSTRAINT TRIGGER leads_dashboard_arm_delete AFTER DELETE ON leads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (${counted('OLD')} AND dashboard_arm_fold())
    EXECUTE FUNCTION dashboard_fold();
  CREATE TRIGGER leads_dashboard_stage_insert AFTER INSERT ON leads
    REFERENCING NEW TABLE AS new_leads FOR EACH STATEMENT EXECUTE FUNCTION dashboard_stage_insert();
  CREATE TRIGGER leads_dashboard_stage_update AFTER UPDATE ON leads
    REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
    FOR EACH STATEMENT EXECUTE FUNCTION dashboard_stage_update();
  CREATE TRIGGER leads_dashboard_stage_delete AFTER DELETE ON leads
    REFERENCING OLD TABLE AS old_leads FOR EACH STATEMENT EXECUTE FUNCTION dashboard_stage_delete();
`;
