/**
 * Every statement the PostgreSQL store runs. Each has a name, so pg prepares it once per
 * connection and the server plans it once. Several writes go in one statement (data-modifying
 * CTEs): a round trip costs more than the statement on a local server.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
  /**
   * Its best plan depends on its values (a range over a backlog that may be large: the claims,
   * the prunes): planned as the server chooses even in a write transaction, whose other
   * statements run their generic plan (write-queue.ts, BEGIN).
   */
  readonly custom?: true;
}

/**
 * How long a pending effect another instance queued is left to it (effects.queued_by, migration
 * 14). Its own instance runs it next, in the process that holds its lead as last written
 * (known-leads.ts), when a slot of its lane frees, in a few milliseconds: taken by another
 * instance, the lead's next write there has no row to decide on and reads it locked, and its
 * lead moves from process to process. Three processes took two thirds of each other's effects so
 * (pg_lifecycle_cpu_ms_per_lead_3). Waited this long, it is any instance's: its own may be gone or
 * behind.
 */
export const TAKEOVER_MS = 500;
/** This connection's instance (pool.ts `instance`), null where it has none. */
const INSTANCE = `current_setting('prozvon.instance', true)`;
/** A pending effect this instance queued, or none did (rows from before migration 14). */
const QUEUED_HERE = `(queued_by IS NULL OR queued_by = ${INSTANCE})`;

const statement = (name: string, text: string, options: { custom?: true } = {}): Statement => ({
  name: `prozvon_${name}`,
  text,
  ...options,
});

/** statement(), for one whose best plan depends on its values (Statement `custom`). */
const ranged = (name: string, text: string): Statement => statement(name, text, { custom: true });

/**
 * Inserting rows of effects from parallel arrays $first… ($first+10 is their created_at; rows.ts
 * effectArrays) in the order given (WITH ORDINALITY), so identity ids follow creation order. A key
 * already queued is skipped, the first of a key twice in one write is the one kept. RETURNING the
 * ids, keys and statuses of what was written.
 *
 * With their caps ($caps, EffectClaim `cap`): one with a claim is stored `started` unless it has a
 * cap and its tenant has that many of its kind in flight (started, lease not run out at the
 * write's time), counting the claims before it in this write; then it is stored `pending`. The
 * caller holds the tenant's call lock (withCallLocks) before this statement, so two writes never
 * both see room. Nothing is counted for an effect without a cap (CASE: the count is not even run).
 * The count reads the tenant's own started effects of the kind (effects_started_by_tenant).
 *
 * With `decisions` (applyDecisions), two more arrays: the lead whose decision queued each effect,
 * and that decision's time, each row's own created_at and instant of the count; only the effects
 * of decisions written (CTE \`lead\`) are counted and inserted, the filter before the count so that
 * a decision not written takes no room from those after it. RETURNING the lead id too.
 */
/** effectRows' arrays of a batch of decisions (applyDecisions): each effect's lead decided on and time. */
interface Decisions {
  readonly decision: number;
  readonly madeAt: number;
}

const effectRows = (first: number, caps: number, decisions?: Decisions) => {
  const p = (i: number) => `$${first + i}`;
  // Of the decisions of a batch: each effect's creation time is its own decision's, and only the
  // effects of the decisions written (their lead in CTE \`lead\`) are counted and inserted.
  const inner = decisions ? 'u.made_at' : p(10);
  const outer = decisions ? 'e.made_at' : p(10);
  const columns = decisions ? ', decision, made_at' : '';
  const arrays = decisions ? `, $${decisions.decision}::text[], $${decisions.madeAt}::bigint[]` : '';
  const only = decisions ? '\n      WHERE u.decision IN (SELECT id FROM lead)' : '';
  return `
    INSERT INTO effects (key, lead_id, tenant_id, kind, paid, params, available_at, priority, status,
                         attempts, lease_owner, lease_until, created_at)
    SELECT e.key, e.lead_id, e.tenant_id, e.kind, e.paid, e.params::json, e.available_at, e.priority,
           CASE WHEN e.claimed THEN 'started' ELSE 'pending' END,
           CASE WHEN e.claimed THEN 1 ELSE 0 END,
           CASE WHEN e.claimed THEN e.owner END, CASE WHEN e.claimed THEN e.lease_until END, ${outer}
    FROM (
      SELECT u.*,
             u.owner IS NOT NULL AND CASE WHEN u.cap IS NULL THEN true ELSE
               (SELECT count(*) FROM effects x
                WHERE x.status = 'started' AND x.tenant_id = u.tenant_id AND x.kind = u.kind
                  AND x.lease_until > ${inner})
               + count(u.owner) OVER (PARTITION BY u.tenant_id, u.kind ORDER BY u.n
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
               < u.cap END AS claimed
      FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::boolean[],
                  ${p(5)}::text[], ${p(6)}::bigint[], ${p(7)}::bigint[], ${p(8)}::text[], ${p(9)}::bigint[],
                  $${caps}::int[]${arrays})
           WITH ORDINALITY AS u (key, lead_id, tenant_id, kind, paid, params, available_at, priority,
                                 owner, lease_until, cap${columns}, n)${only}) e
    ORDER BY e.n
    ON CONFLICT (key) DO NOTHING
    RETURNING id, key, status, lead_id`;
};

/**
 * The started effects of $kinds whose lease runs past $now, per tenant, through
 * effects_started_by_tenant (migration 16), as effectRows counts one tenant's.
 */
const inFlight = (now: string, kinds: string, tenants: string) => `
    SELECT tenant_id, count(*)::int AS n FROM effects
    WHERE status = 'started' AND kind = ANY(${kinds}) AND lease_until > ${now}${tenants}
    GROUP BY tenant_id`;

/**
 * Audit rows (one per run of entries of one lead) from parallel arrays $n, $n+1, in order; with
 * `when`, only if that holds; with `decision`, a third array ($decision: the lead whose decision
 * each row belongs to, as \`a.decision\`) for \`when\` to name.
 */
const auditRows = (first: number, when = 'true', decision?: number) => `
    INSERT INTO audit_log (lead_id, entries)
    SELECT a.lead_id, a.entries::json
    FROM unnest($${first}::text[], $${first + 1}::text[]${decision ? `, $${decision}::text[]` : ''})
         WITH ORDINALITY AS a (lead_id, entries${decision ? ', decision' : ''}, n)
    WHERE ${when}
    ORDER BY a.n`;

/**
 * A StoredLead's columns (rows.ts toStoredLead), as the reads name them: not the dashboard's facts,
 * the replay answers nor the body hash, which pg would otherwise parse into every row read. `of`:
 * the table's name before each; `snapshot`: how the snapshot is read.
 */
const leadColumns = (of = '', snapshot = `${of}snapshot`) =>
  [
    'id',
    'tenant_id',
    'ref',
    'crm_state',
    'call_state',
    'snapshot',
    'wake_at',
    'finished',
    'submitted_at',
    'updated_at',
    'version',
    'lease_owner',
    'lease_until',
  ]
    .map((column) => (column === 'snapshot' ? snapshot : `${of}${column}`))
    .join(', ');

/** applyDecision's new state of the lead ($2–$7, $26–$31), one version more, the lease given back. */
const DECISION_SET = `
       crm_state = $2, call_state = $3, snapshot = $4::json, wake_at = $5, finished = $6,
       updated_at = $7, version = version + 1, lease_owner = NULL, lease_until = NULL,
       partner_name = CASE WHEN $26::boolean THEN $27::text ELSE partner_name END,
       outcome = CASE WHEN $28::boolean THEN $29::text ELSE outcome END,
       first_ring_at = COALESCE(first_ring_at, $30::bigint),
       answered_at = COALESCE(answered_at, $31::bigint)`;

/** applyDecision's completion of an effect ($9–$12), with a condition of its own. */
const completeEffect = (when: string) => `
       UPDATE effects
       SET status = $10, result = $11::json, finished_at = $12, lease_owner = NULL, lease_until = NULL
       WHERE id = $9 AND lead_id = $1 AND status IN ('pending', 'started') AND ${when}
       RETURNING id`;

export const SQL = {
  /** A ref or an adopted CRM lead, taken for the insert's transaction: identical inserts queue. */
  lockKey: statement('lock_key', 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))'),

  /** The adoption rule: the tenant's lead of this CRM lead, through leads_adopted_crm_lead. */
  adoptedLead: statement(
    'adopted_lead',
    `SELECT id, crm_state, call_state FROM leads
     WHERE tenant_id = $1 AND adopted_crm_lead_id = $2`,
  ),

  /**
   * The replay rule, then the ref rule, in one round trip: the newest lead of the ref with the same
   * body submitted after $4 (replay), else an unfinished lead of the ref ($5: asked at all).
   */
  refRules: statement(
    'ref_rules',
    `(SELECT id, answer_crm_state, answer_call_state, true AS replay FROM leads
      WHERE tenant_id = $1 AND ref = $2 AND $3::text IS NOT NULL AND body_hash = $3 AND submitted_at > $4
      ORDER BY submitted_at DESC LIMIT 1)
     UNION ALL
     (SELECT id, NULL, NULL, false FROM leads
      WHERE $5::boolean AND tenant_id = $1 AND ref = $2 AND NOT finished)`,
  ),

  /**
   * The new leads of one turn of a write transaction (coalesced.ts), after their rules
   * (insertLead): each with its first effects and audit, in one statement. Each lead's columns
   * ($1–$11, as arrays), then its facts ($12–$19); their audit ($20, $21) and effects ($22–$31,
   * caps $32, $33 the lead of each, $34 its submit time: effectRows, counting the claims before
   * each in the statement). The states a lead is stored with are its answer, should its request
   * be replayed. The answer: each effect written (id, key, status, its lead).
   */
  insertLeads: statement(
    'insert_leads',
    `WITH lead AS (
       INSERT INTO leads (id, tenant_id, ref, crm_state, call_state, snapshot, wake_at, finished,
                          submitted_at, updated_at, version, body_hash, answer_crm_state, answer_call_state,
                          adopted_crm_lead_id, partner, partner_name, site, order_sum, currency,
                          first_ring_at, answered_at, outcome)
       SELECT l.id, l.tenant_id, l.ref, l.crm_state, l.call_state, l.snapshot::json, l.wake_at, l.finished,
              l.submitted_at, l.submitted_at, 1, l.body_hash, l.crm_state, l.call_state, l.adopted_crm_lead_id,
              l.partner, l.partner_name, l.site, l.order_sum, l.currency, l.first_ring_at, l.answered_at,
              l.outcome
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
                   $8::boolean[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[],
                   $14::text[], $15::float8[], $16::text[], $17::bigint[], $18::bigint[], $19::text[])
            WITH ORDINALITY AS l (id, tenant_id, ref, crm_state, call_state, snapshot, wake_at, finished,
                                  submitted_at, body_hash, adopted_crm_lead_id, partner, partner_name, site,
                                  order_sum, currency, first_ring_at, answered_at, outcome, n)
       ORDER BY l.n
       RETURNING id),
     audit AS (${auditRows(20)} RETURNING 1),
     effect AS (${effectRows(22, 32, { decision: 33, madeAt: 34 })})
     SELECT id, key, status, lead_id FROM effect`,
  ),

  /**
   * getLead, of the calls of one turn (coalesced.ts): the leads of $1 (an id given twice is one
   * row), the snapshot as its text, parsed for each caller so that none shares another's objects.
   */
  getLeads: statement(
    'get_leads',
    `SELECT ${leadColumns('', 'snapshot::text AS snapshot')} FROM leads
     WHERE id = ANY($1::text[])`,
  ),

  /** The lead, locked for the rest of the transaction: no other writer changes it under decide. */
  lockLead: statement('lock_lead', `SELECT ${leadColumns()} FROM leads WHERE id = $1 FOR UPDATE`),

  /**
   * A decision applied: new state, one version more, the lease given back; with it the effect it
   * completes (only an unfinished one of this lead: the first outcome wins), its audit rows and its
   * new effects. One statement, one round trip.
   *
   * Its dashboard facts (LeadFactsUpdate, $26–$31): the partner's name and the outcome written when
   * the decision sets them ($26, $28), the first ring and the pick-up kept once set (COALESCE), as
   * SQLite's applyFacts does. A decision that sets none leaves every value as it was.
   */
  applyDecision: statement(
    'apply_decision',
    `WITH lead AS (
       UPDATE leads SET ${DECISION_SET}
       WHERE id = $1 AND $8::boolean
       RETURNING id),
     done AS (${completeEffect('true')}),
     audit AS (${auditRows(13)} RETURNING 1),
     effect AS (${effectRows(15, 32)})
     SELECT id, key, status FROM effect`,
  ),

  /**
   * The decisions of one turn of a write transaction (coalesced.ts), each taken on its lead as this
   * store last wrote it (known-leads.ts), without reading it first: one statement for them all.
   * Each lead ($1, no id twice) is updated as applyDecision does ($2–$13, a decision's values in
   * its place of the arrays) only if every column of its row is still what was decided on
   * ($14–$24, knownValues' in their order); the completions ($25–$29), the audit ($30, $31; $32
   * the lead whose decision each row is) and the effects ($33–$42, caps $43, $44 the lead
   * deciding, $45 its time: effectRows) of the leads updated are
   * written, those of a lead not updated not at all: the caller reads that lead locked and
   * decides again, so each decision stays one atomic write. The update waits for another
   * transaction's lock on a row and then checks its newest version. The answer: each effect
   * written (id, key, status, its lead), then a row with id null for each lead updated.
   *
   * The snapshot is the one column not compared: only a decision writes it (applyDecision and this
   * statement), and each writes a new version, so the version says whether the snapshot is the one
   * decided on. Sent back as a condition, it was the statement's largest array: the server parses
   * array text character by character (array_in, 9 % of its CPU in a lifecycle with the new
   * snapshots'), and Node escaped it for it.
   *
   * The rows found by `id = ANY`, the arrays joined to them: a plan never walks the table for
   * them (test/write-plans.test.ts). The tenant and the submit time (never null) are compared
   * with IS NOT DISTINCT FROM, which no index serves: a generic plan once walked leads_dashboard
   * by those two instead of taking the primary key.
   */
  applyDecisions: statement(
    'apply_decisions',
    `WITH lead AS (
       UPDATE leads
       SET crm_state = d.crm_state, call_state = d.call_state, snapshot = d.snapshot::json,
           wake_at = d.wake_at, finished = d.finished, updated_at = d.updated_at,
           version = leads.version + 1, lease_owner = NULL, lease_until = NULL,
           partner_name = CASE WHEN d.sets_partner THEN d.partner_name ELSE leads.partner_name END,
           outcome = CASE WHEN d.sets_outcome THEN d.outcome ELSE leads.outcome END,
           first_ring_at = COALESCE(leads.first_ring_at, d.first_ring_at),
           answered_at = COALESCE(leads.answered_at, d.answered_at)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::boolean[],
                   $7::bigint[], $8::boolean[], $9::text[], $10::boolean[], $11::text[], $12::bigint[],
                   $13::bigint[], $14::int[], $15::text[], $16::text[], $17::bigint[], $18::boolean[],
                   $19::bigint[], $20::text[], $21::bigint[], $22::text[], $23::text[], $24::bigint[])
            AS d (id, crm_state, call_state, snapshot, wake_at, finished, updated_at, sets_partner,
                  partner_name, sets_outcome, outcome, first_ring_at, answered_at, was_version,
                  was_crm_state, was_call_state, was_wake_at, was_finished, was_updated_at,
                  was_lease_owner, was_lease_until, was_tenant_id, was_ref, was_submitted_at)
       WHERE leads.id = ANY($1::text[]) AND leads.id = d.id
         AND leads.version = d.was_version AND leads.crm_state = d.was_crm_state
         AND leads.call_state = d.was_call_state
         AND leads.wake_at IS NOT DISTINCT FROM d.was_wake_at AND leads.finished = d.was_finished
         AND leads.updated_at = d.was_updated_at
         AND leads.lease_owner IS NOT DISTINCT FROM d.was_lease_owner
         AND leads.lease_until IS NOT DISTINCT FROM d.was_lease_until
         AND leads.tenant_id IS NOT DISTINCT FROM d.was_tenant_id
         AND leads.ref IS NOT DISTINCT FROM d.was_ref
         AND leads.submitted_at IS NOT DISTINCT FROM d.was_submitted_at
       RETURNING leads.id),
     done AS (
       UPDATE effects
       SET status = ($27::text[])[array_position($26::bigint[], id)],
           result = (($28::text[])[array_position($26::bigint[], id)])::json,
           finished_at = ($29::bigint[])[array_position($26::bigint[], id)],
           lease_owner = NULL, lease_until = NULL
       WHERE id = ANY($26::bigint[]) AND lead_id = ($25::text[])[array_position($26::bigint[], id)]
         AND status IN ('pending', 'started') AND lead_id IN (SELECT id FROM lead)
       RETURNING id),
     audit AS (${auditRows(30, 'a.decision IN (SELECT id FROM lead)', 32)} RETURNING 1),
     effect AS (${effectRows(33, 43, { decision: 44, madeAt: 45 })})
     SELECT id, key, status, lead_id FROM effect
     UNION ALL SELECT NULL, NULL, NULL, id FROM lead`,
  ),

  /** The lead's dashboard columns, and its tenant (markMachinePerson checks it). */
  getLeadFacts: statement(
    'get_lead_facts',
    `SELECT tenant_id, partner, partner_name, site, order_sum, currency, first_ring_at, answered_at,
            outcome, machine_person_at, machine_person_by
     FROM leads WHERE id = $1`,
  ),

  /** The same, locked: two marks of one lead at once, and the second finds the first's. */
  lockLeadFacts: statement(
    'lock_lead_facts',
    `SELECT tenant_id, outcome, machine_person_at, machine_person_by FROM leads WHERE id = $1 FOR UPDATE`,
  ),

  /** "It was a person": the mark and its audit row, one statement. */
  markMachinePerson: statement(
    'mark_machine_person',
    `WITH lead AS (UPDATE leads SET machine_person_at = $2, machine_person_by = $3 WHERE id = $1)
     ${auditRows(4)}`,
  ),

  /** A stop's queued dials and texts (LeadUpdate `cancelEffects`), in the decision's transaction. */
  cancelPending: statement(
    'cancel_pending',
    `UPDATE effects SET status = 'failed', result = '{"cancelled":true}', finished_at = $3
     WHERE lead_id = $1 AND status = 'pending' AND kind = ANY($2::text[]) AND id IS DISTINCT FROM $4::bigint`,
  ),

  /**
   * finishEffect, of the writes of one turn of a transaction (coalesced.ts): each effect ($2, of
   * lead $1, no id twice) completed with its status, result and time ($3–$5) unless it is already,
   * and the audit filed ($6, $7), without touching the leads. Each row found by the effects' key
   * (= ANY) and its values by its place in the arrays: a join with the arrays would be planned,
   * once generic, as a scan of the whole table.
   */
  finishEffects: statement(
    'finish_effects',
    `WITH done AS (
       UPDATE effects
       SET status = ($3::text[])[array_position($2::bigint[], id)],
           result = (($4::text[])[array_position($2::bigint[], id)])::json,
           finished_at = ($5::bigint[])[array_position($2::bigint[], id)],
           lease_owner = NULL, lease_until = NULL
       WHERE id = ANY($2::bigint[]) AND lead_id = ($1::text[])[array_position($2::bigint[], id)]
         AND status IN ('pending', 'started')
       RETURNING id)
     ${auditRows(6)}`,
  ),

  /**
   * graphile-worker's getJobs, for leads: one statement whose CTE walks leads_due in claim order,
   * skips rows another transaction holds (SKIP LOCKED: two instances never wait for, nor take, each
   * other's leads) and live leases, and stops at the limit; the UPDATE leases what it locked.
   */
  claimDueLeads: ranged(
    'claim_due_leads',
    `WITH due AS (
       SELECT id FROM leads
       WHERE NOT finished AND wake_at IS NOT NULL AND wake_at <= $1
         AND (lease_until IS NULL OR lease_until <= $1)
       ORDER BY wake_at, submitted_at
       LIMIT $2
       FOR UPDATE SKIP LOCKED)
     UPDATE leads SET lease_owner = $3, lease_until = $4
     FROM due WHERE leads.id = due.id
     RETURNING ${leadColumns('leads.')}`,
  ),

  /**
   * The same for effects: pending ones available now and idempotent started ones whose lease ran
   * out (their worker died), in (priority, id) order, with the tenant exclusion ($5 tenants for $6
   * kinds) and the kind filters ($7 only, null for every kind; $8 except) in the WHERE. Another
   * instance's pending effect only once it has waited TAKEOVER_MS (its own instance serves it
   * first: see there).
   */
  claimEffects: ranged(
    'claim_effects',
    `WITH picked AS (
       SELECT id FROM effects
       WHERE ((status = 'pending' AND available_at <= $1 AND (${QUEUED_HERE} OR available_at <= $1 - ${TAKEOVER_MS}))
              OR (status = 'started' AND NOT paid AND lease_until <= $1))
         AND ($7::text[] IS NULL OR kind = ANY($7::text[]))
         AND NOT (kind = ANY($8::text[]))
         AND NOT (kind = ANY($6::text[]) AND tenant_id = ANY($5::text[]))
       ORDER BY priority, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED)
     UPDATE effects
     SET status = 'started', lease_owner = $3, lease_until = $4, attempts = attempts + 1
     FROM picked WHERE effects.id = picked.id
     RETURNING effects.*`,
  ),

  /**
   * The tenants a write claims capped effects of (EffectClaim `cap`), locked for its transaction
   * where no other holds them: never waited for, so a write that holds lead locks never waits on
   * a claim (no deadlock); a tenant another transaction holds gets its effects stored pending.
   */
  tryLockCallTenants: statement(
    'try_lock_call_tenants',
    `SELECT t AS tenant_id FROM unnest($1::text[]) AS t
     WHERE pg_try_advisory_xact_lock(hashtextextended('calls:' || t, 0))`,
  ),

  /**
   * A capped claim's first step (claimEffects with InFlightCaps), in a transaction of its own that
   * holds nothing else: the tenants of the first $2 pending effects of $3 that the counts as of now
   * leave room for (a tenant at its cap skipped in the walk, so its backlog never hides another's;
   * a tenant's rows beyond its room skipped within the first 4 × $2 rows of the others),
   * locked in tenant order, waiting for a write or claim that holds one. $4/$5: the caller's
   * exclusion; $6/$7 the caps by tenant, $8 the others' cap.
   */
  lockCallTenants: statement(
    'lock_call_tenants',
    `WITH started AS (${inFlight('$1', '$3::text[]', '')}),
     caps AS (SELECT * FROM unnest($6::text[], $7::int[]) AS c (tenant_id, cap)),
     at_cap AS (
       SELECT s.tenant_id FROM started s LEFT JOIN caps c USING (tenant_id)
       WHERE s.n >= COALESCE(c.cap, $8)),
     head AS (
       SELECT tenant_id, priority, id FROM effects
       WHERE status = 'pending' AND available_at <= $1 AND kind = ANY($3::text[])
         AND NOT (kind = ANY($5::text[]) AND tenant_id = ANY($4::text[]))
         AND tenant_id NOT IN (SELECT tenant_id FROM at_cap)
       ORDER BY priority, id
       LIMIT 4 * $2),
     ranked AS (
       SELECT h.tenant_id, h.priority, h.id,
              row_number() OVER (PARTITION BY h.tenant_id ORDER BY h.priority, h.id) AS rn,
              COALESCE(c.cap, $8) - COALESCE(s.n, 0) AS room
       FROM head h LEFT JOIN caps c USING (tenant_id) LEFT JOIN started s USING (tenant_id)),
     candidates AS (
       SELECT DISTINCT tenant_id FROM (
         SELECT tenant_id FROM ranked WHERE rn <= room ORDER BY priority, id LIMIT $2) roomy)
     SELECT o.tenant_id, pg_advisory_xact_lock(hashtextextended('calls:' || o.tenant_id, 0))::text AS locked
     FROM (SELECT tenant_id FROM candidates ORDER BY tenant_id) o`,
  ),

  /**
   * The capped claim itself, once lockCallTenants holds $6's locks (a statement of its own, so it
   * counts what every earlier holder committed): each locked tenant's first pending effects of $5
   * up to its room, then the first $2 of those in claim order. Whichever instance queued them: a
   * shop's cap is shared, so a slot freed anywhere serves its first waiting call at once (not
   * after TAKEOVER_MS, as claimEffects does with the rest).
   */
  claimCapped: statement(
    'claim_capped',
    `WITH started AS (${inFlight('$1', '$5::text[]', ' AND tenant_id = ANY($6::text[])')}),
     room AS (
       SELECT l.tenant_id, GREATEST(COALESCE(c.cap, $9) - COALESCE(s.n, 0), 0) AS room
       FROM unnest($6::text[]) AS l (tenant_id)
       LEFT JOIN unnest($7::text[], $8::int[]) AS c (tenant_id, cap) USING (tenant_id)
       LEFT JOIN started s USING (tenant_id)),
     picked AS (
       SELECT e.id FROM room r
       CROSS JOIN LATERAL (
         SELECT id, priority FROM effects
         WHERE status = 'pending' AND available_at <= $1 AND kind = ANY($5::text[]) AND tenant_id = r.tenant_id
         ORDER BY priority, id
         LIMIT r.room
         FOR UPDATE SKIP LOCKED) e
       ORDER BY e.priority, e.id
       LIMIT $2)
     UPDATE effects
     SET status = 'started', lease_owner = $3, lease_until = $4, attempts = attempts + 1
     FROM picked WHERE effects.id = picked.id
     RETURNING effects.*`,
  ),

  anyOrphan: statement(
    'any_orphan',
    `SELECT 1 AS found FROM effects WHERE status = 'started' AND paid AND lease_until <= $1 LIMIT 1`,
  ),

  /** Paid effects whose worker's lease ran out, through effects_started_paid_lease: to be closed. */
  claimOrphans: ranged(
    'claim_orphans',
    `WITH orphan AS (
       SELECT id FROM effects
       WHERE status = 'started' AND paid AND lease_until <= $1
       ORDER BY lease_until
       LIMIT $2
       FOR UPDATE SKIP LOCKED)
     UPDATE effects SET lease_owner = $3, lease_until = $4
     FROM orphan WHERE effects.id = orphan.id
     RETURNING effects.*`,
  ),

  renewEffectLease: statement(
    'renew_effect_lease',
    `UPDATE effects SET lease_until = $3 WHERE id = $1 AND lease_owner = $2 AND status = 'started'`,
  ),

  releaseEffect: statement(
    'release_effect',
    `UPDATE effects
     SET status = 'pending', available_at = $3, result = $4::json, lease_owner = NULL, lease_until = NULL,
         queued_by = ${INSTANCE}
     WHERE id = $1 AND lease_owner = $2 AND status = 'started'`,
  ),

  /**
   * nextDueAt in one round trip: the first entry after $1 of each index (LEAST skips nulls). $2
   * asks for the leads, $3 for the effects. A pending effect is due here when it is available if
   * this instance queued it (or none did), TAKEOVER_MS later if another did (those of the last
   * TAKEOVER_MS walked in time, this instance's own passed over).
   */
  nextDueAt: statement(
    'next_due_at',
    `SELECT LEAST(
       (SELECT wake_at FROM leads WHERE $2::boolean AND NOT finished AND wake_at IS NOT NULL AND wake_at > $1
        ORDER BY wake_at LIMIT 1),
       (SELECT available_at FROM effects WHERE $3::boolean AND status = 'pending' AND available_at > $1
          AND queued_by = ${INSTANCE} ORDER BY available_at LIMIT 1),
       (SELECT available_at FROM effects WHERE $3::boolean AND status = 'pending' AND available_at > $1
          AND queued_by IS NULL ORDER BY available_at LIMIT 1),
       (SELECT available_at + ${TAKEOVER_MS} FROM effects WHERE $3::boolean AND status = 'pending'
          AND available_at > $1 - ${TAKEOVER_MS} AND queued_by <> ${INSTANCE} ORDER BY available_at LIMIT 1),
       (SELECT lease_until FROM effects WHERE $3::boolean AND status = 'started' AND NOT paid AND lease_until > $1
        ORDER BY lease_until LIMIT 1),
       (SELECT lease_until FROM effects WHERE $3::boolean AND status = 'started' AND paid AND lease_until > $1
        ORDER BY lease_until LIMIT 1)
     ) AS due`,
  ),

  /**
   * A page of a tenant's leads, newest first, walking leads_by_tenant backwards from the cursor (a
   * row-value bound) and stopping at $6. `$5` is the states to keep, or null for every state.
   */
  listLeads: statement(
    'list_leads',
    `SELECT ${leadColumns()} FROM leads
     WHERE tenant_id = $1 AND submitted_at >= $2 AND (submitted_at, id) < ($3, $4)
       AND ($5::text[] IS NULL OR crm_state = ANY($5::text[]) OR call_state = ANY($5::text[]))
     ORDER BY submitted_at DESC, id DESC
     LIMIT $6`,
  ),

  existingLeads: statement('existing_leads', 'SELECT id FROM leads WHERE id = ANY($1::text[])'),

  insertAudit: statement('insert_audit', auditRows(1)),

  insertStrayAudit: statement(
    'insert_stray_audit',
    `INSERT INTO stray_audit (lead_id, at, type, key, detail)
     SELECT s.lead_id, s.at, s.type, s.key, s.detail::json
     FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[])
          WITH ORDINALITY AS s (lead_id, at, type, key, detail, n)
     ORDER BY s.n`,
  ),

  getAudit: statement(
    'get_audit',
    'SELECT id, lead_id, entries FROM audit_log WHERE lead_id = $1 ORDER BY id',
  ),

  getStrayAudit: statement('get_stray_audit', 'SELECT * FROM stray_audit WHERE lead_id = $1 ORDER BY id'),

  getEffects: statement('get_effects', 'SELECT * FROM effects WHERE lead_id = $1 ORDER BY id'),

  /** For ops, not the hot path: a scan of the unfinished leads. */
  statsByState: statement(
    'stats_by_state',
    `SELECT crm_state, call_state, COUNT(*) AS count, COUNT(wake_at) AS waiting
     FROM leads WHERE NOT finished
     GROUP BY crm_state, call_state
     ORDER BY crm_state, call_state`,
  ),

  pendingEffects: statement(
    'pending_effects',
    `SELECT COUNT(*) AS count FROM effects WHERE status = 'pending'`,
  ),

  /**
   * deleteTenant, one batch in one statement: a page of the tenant's leads, locked, then their rows
   * and themselves (the foreign keys are checked at the statement's end, children gone by then).
   * The refusal counts go with the batch that finds no lead left.
   */
  deleteTenantBatch: ranged(
    'delete_tenant_batch',
    `WITH ids AS (SELECT id FROM leads WHERE tenant_id = $1 LIMIT $2 FOR UPDATE),
     effect AS (DELETE FROM effects WHERE lead_id IN (SELECT id FROM ids)),
     audit AS (DELETE FROM audit_log WHERE lead_id IN (SELECT id FROM ids)),
     stray AS (DELETE FROM stray_audit WHERE lead_id IN (SELECT id FROM ids)),
     call AS (DELETE FROM pending_calls WHERE lead_id IN (SELECT id FROM ids)),
     refusal AS (DELETE FROM refusals WHERE tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM ids)),
     lead AS (DELETE FROM leads WHERE id IN (SELECT id FROM ids) RETURNING 1)
     SELECT count(*) AS deleted FROM lead`,
  ),

  /**
   * pruneFinished, one batch in one statement: the oldest finished leads not yet pruned submitted
   * before $1, through leads_prunable, at most $2, locked (SKIP LOCKED: a lead another transaction
   * holds waits for the next batch, and two instances pruning at once take different leads); their
   * outbox rows and audit trail deleted, the leads marked pruned and kept.
   */
  pruneFinishedBatch: ranged(
    'prune_finished_batch',
    `WITH ids AS (
       SELECT id FROM leads
       WHERE finished AND NOT pruned AND submitted_at < $1
       ORDER BY submitted_at
       LIMIT $2
       FOR UPDATE SKIP LOCKED),
     effect AS (DELETE FROM effects WHERE lead_id IN (SELECT id FROM ids)),
     audit AS (DELETE FROM audit_log WHERE lead_id IN (SELECT id FROM ids)),
     lead AS (UPDATE leads SET pruned = true WHERE id IN (SELECT id FROM ids) RETURNING 1)
     SELECT count(*) AS pruned FROM lead`,
  ),

  refusals: statement('refusals', 'SELECT tenant_id, reason, count FROM refusals ORDER BY tenant_id, reason'),

  countRefusal: statement(
    'count_refusal',
    `INSERT INTO refusals (tenant_id, reason, count) VALUES ($1, $2, 1)
     ON CONFLICT (tenant_id, reason) DO UPDATE SET count = refusals.count + 1`,
  ),

  /**
   * Each counter of a countHits call, locked (inserted at 0 if new, restarted at 0 if its window
   * ended) in key order so two calls never deadlock: its total as it stands, before this call adds.
   * With it, a few dead counters deleted (not this call's: a row is changed once a statement),
   * found through counters_until whatever the plan, so a count never pays for an hour's nor scans
   * the table.
   */
  lockCounters: statement(
    'lock_counters',
    `WITH purge AS (
       DELETE FROM counters WHERE key = ANY(ARRAY(
         SELECT key FROM counters WHERE until <= $3 AND NOT (key = ANY($1::text[]))
         ORDER BY until LIMIT 32 FOR UPDATE SKIP LOCKED)))
     INSERT INTO counters (key, total, until)
     SELECT c.key, 0, c.until FROM unnest($1::text[], $2::bigint[]) AS c (key, until) ORDER BY c.key
     ON CONFLICT (key) DO UPDATE SET
       total = CASE WHEN counters.until > $3 THEN counters.total ELSE 0 END,
       until = CASE WHEN counters.until > $3 THEN counters.until ELSE excluded.until END
     RETURNING key, total, until`,
  ),

  /**
   * The counters' new totals and windows ($2, $3), computed from what lockCounters read (their rows
   * are locked; counts.ts). Each row found by counters' key (= ANY): a join with the arrays would
   * be planned, once generic, as a scan of the whole table.
   */
  setCounters: statement(
    'set_counters',
    `UPDATE counters SET total = ($2::bigint[])[array_position($1::text[], key)],
                         until = ($3::bigint[])[array_position($1::text[], key)]
     WHERE key = ANY($1::text[])`,
  ),

  /** A call saved again under its id (a dial started again) replaces the row. */
  savePendingCall: statement(
    'save_pending_call',
    `INSERT INTO pending_calls (call_id, key, lead_id, attempt, phone, caller_id, customer_name, scenario_id,
                                created_at, session_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (call_id) DO UPDATE SET
       key = excluded.key, lead_id = excluded.lead_id, attempt = excluded.attempt, phone = excluded.phone,
       caller_id = excluded.caller_id, customer_name = excluded.customer_name,
       scenario_id = excluded.scenario_id, created_at = excluded.created_at, session_id = excluded.session_id`,
  ),

  /** The TTL, applied on every save through pending_calls_by_age. */
  prunePendingCalls: ranged('prune_pending_calls', 'DELETE FROM pending_calls WHERE created_at < $1'),

  getPendingCall: statement('get_pending_call', 'SELECT * FROM pending_calls WHERE call_id = $1'),

  setPendingCallSession: statement(
    'set_pending_call_session',
    'UPDATE pending_calls SET session_id = $2 WHERE call_id = $1',
  ),
} as const;
