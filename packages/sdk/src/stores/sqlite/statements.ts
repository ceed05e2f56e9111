/**
 * Every statement the SQLite store runs, prepared once per connection. Named parameters
 * (`:now`) are bound from plain objects. The scheduler statements are written so that SQLite
 * walks one partial index in order and stops at the limit (checked with EXPLAIN QUERY PLAN in
 * test/stores/sqlite/query-plans.test.ts).
 */
/**
 * The columns a StoredLead is made of (rows.ts toStoredLead), not `*`: a lead row holds as many
 * again (the dashboard's facts, the replay answer), and node:sqlite builds an object of every
 * column read. Half the columns halved the read's CPU, and the engine reads a lead at every write.
 */
const LEAD_COLUMNS = `id, tenant_id, ref, crm_state, call_state, snapshot, wake_at, finished, submitted_at,
  updated_at, version, lease_owner, lease_until`;

export const SQL = {
  /** The states it is stored with are its answer, should its request be replayed. */
  insertLead: `
    INSERT INTO leads (id, tenant_id, ref, crm_state, call_state, snapshot, wake_at, finished,
                       submitted_at, updated_at, version, body_hash, answer_crm_state, answer_call_state,
                       adopted_crm_lead_id, partner, partner_name, site, order_sum, currency,
                       first_ring_at, answered_at, outcome)
    VALUES (:id, :tenantId, :ref, :crmState, :callState, :snapshot, :wakeAt, :finished,
            :submittedAt, :submittedAt, 1, :bodyHash, :crmState, :callState, :adoptedCrmLeadId,
            :partner, :partnerName, :site, :orderSum, :currency, :firstRingAt, :answeredAt, :outcome)`,

  /** The adoption rule: the tenant's lead of this CRM lead, through leads_adopted_crm_lead. */
  adoptedLead: `
    SELECT id, crm_state, call_state FROM leads
    WHERE tenant_id = :tenantId AND adopted_crm_lead_id = :crmLeadId AND adopted_crm_lead_id IS NOT NULL`,

  /**
   * The replay rule: the newest lead of the ref submitted after :since with the same body, walking
   * leads_by_ref backwards from the newest (a ref has few leads; the hash is checked on each).
   */
  replayOf: `
    SELECT id, answer_crm_state, answer_call_state FROM leads
    WHERE tenant_id = :tenantId AND ref = :ref AND ref IS NOT NULL AND submitted_at > :since
      AND body_hash = :bodyHash
    ORDER BY submitted_at DESC
    LIMIT 1`,

  /** The ref rule, read through the partial unique index inside the insert's transaction. */
  unfinishedWithRef: `
    SELECT id FROM leads WHERE tenant_id = :tenantId AND ref = :ref AND finished = 0 AND ref IS NOT NULL`,

  getLead: `SELECT ${LEAD_COLUMNS} FROM leads WHERE id = ?`,

  /**
   * A page of a tenant's leads, newest first, walking leads_by_tenant backwards from the cursor
   * (a row-value bound; no cursor is `(:to, '')`) and stopping at :limit. `:states` is a JSON
   * array or null (every state).
   */
  listLeads: `
    SELECT ${LEAD_COLUMNS} FROM leads
    WHERE tenant_id = :tenantId AND submitted_at >= :from
      AND (submitted_at, id) < (:beforeAt, :beforeId)
      AND (:states IS NULL
           OR crm_state IN (SELECT value FROM json_each(:states))
           OR call_state IN (SELECT value FROM json_each(:states)))
    ORDER BY submitted_at DESC, id DESC
    LIMIT :limit`,

  getLeadFacts: `
    SELECT tenant_id, partner, partner_name, site, order_sum, currency, first_ring_at, answered_at,
           outcome, machine_person_at, machine_person_by
    FROM leads WHERE id = ?`,

  markMachinePerson: `
    UPDATE leads SET machine_person_at = :at, machine_person_by = :by WHERE id = :id`,

  /** A key already queued is ignored: a decision replayed after a crash queues nothing twice. */
  insertEffect: `
    INSERT INTO effects (key, lead_id, tenant_id, kind, paid, params, available_at, priority, status, created_at)
    VALUES (:key, :leadId, :tenantId, :kind, :paid, :params, :availableAt, :priority, 'pending', :createdAt)
    ON CONFLICT (key) DO NOTHING`,

  /** An effect claimed as it is queued (NewEffect `claim`): as startEffects would leave it. */
  insertClaimedEffect: `
    INSERT INTO effects (key, lead_id, tenant_id, kind, paid, params, available_at, priority, status,
                         attempts, lease_owner, lease_until, created_at)
    VALUES (:key, :leadId, :tenantId, :kind, :paid, :params, :availableAt, :priority, 'started',
            1, :owner, :leaseUntil, :createdAt)
    ON CONFLICT (key) DO NOTHING
    RETURNING id`,

  /** The entries of one write of one lead (rows.ts: auditRowParams). */
  insertAudit: `
    INSERT INTO audit_log (lead_id, entries) VALUES (:leadId, :entries)`,

  /** Only an unfinished effect of this lead: the first outcome recorded wins. */
  completeEffect: `
    UPDATE effects
    SET status = :status, result = :result, finished_at = :at, lease_owner = NULL, lease_until = NULL
    WHERE id = :effectId AND lead_id = :leadId AND status IN ('pending', 'started')`,

  /**
   * graphile-worker's getJobs in SQLite: one UPDATE whose sub-select walks `leads_due` in
   * (wake_at, submitted_at) order, skips live leases and stops at the limit. No SKIP LOCKED is
   * needed: the IMMEDIATE transaction holds the database's single write lock.
   */
  claimDueLeads: `
    UPDATE leads SET lease_owner = :owner, lease_until = :leaseUntil
    WHERE id IN (
      SELECT id FROM leads
      WHERE finished = 0 AND wake_at IS NOT NULL AND wake_at <= :now
        AND (lease_until IS NULL OR lease_until <= :now)
      ORDER BY wake_at, submitted_at
      LIMIT :limit)
    RETURNING ${LEAD_COLUMNS}`,

  /** Effects in flight (InFlightCaps): started, their lease not run out; through both lease indexes. */
  inFlight: `
    SELECT tenant_id, kind FROM effects WHERE status = 'started' AND paid = 1 AND lease_until > :now
    UNION ALL
    SELECT tenant_id, kind FROM effects WHERE status = 'started' AND paid = 0 AND lease_until > :now`,

  /** The first pending effects in claim order; effect-picker.ts filters them. */
  pendingWalk: `
    SELECT id, priority, kind, tenant_id FROM effects
    WHERE status = 'pending' AND available_at <= :now
    ORDER BY priority, id
    LIMIT :scan`,

  /** Whether any idempotent effect's lease ran out: the cheap question before the walk below. */
  anyAbandoned: `
    SELECT 1 AS found FROM effects
    WHERE status = 'started' AND paid = 0 AND lease_until <= :now
    LIMIT 1`,

  /** Abandoned idempotent effects in claim order, a page after (:afterPriority, :afterId). */
  startedWalk: `
    SELECT id, priority, kind, tenant_id FROM effects
    WHERE status = 'started' AND paid = 0 AND lease_until <= :now
      AND (priority, id) > (:afterPriority, :afterId)
    ORDER BY priority, id
    LIMIT :scan`,

  /** A skip-scan over `effects_pending_group`: one index seek per (kind, tenant) with pending rows. */
  firstGroup: `
    SELECT kind, tenant_id FROM effects WHERE status = 'pending' ORDER BY kind, tenant_id LIMIT 1`,

  /** Not `(kind, tenant_id) > (…)`: SQLite seeks that row value on `kind` only and scans the rest. */
  nextTenant: `
    SELECT kind, tenant_id FROM effects
    WHERE status = 'pending' AND kind = :kind AND tenant_id > :tenantId
    ORDER BY tenant_id LIMIT 1`,

  nextKind: `
    SELECT kind, tenant_id FROM effects
    WHERE status = 'pending' AND kind > :kind
    ORDER BY kind, tenant_id LIMIT 1`,

  groupTop: `
    SELECT id, priority, kind, tenant_id FROM effects
    WHERE status = 'pending' AND kind = :kind AND tenant_id = :tenantId AND available_at <= :now
    ORDER BY priority, id
    LIMIT :limit`,

  /**
   * The claim itself, on the ids effect-picker.ts chose inside the same IMMEDIATE transaction. Not
   * graphile-worker's single UPDATE with a sub-select as for leads: the tenant and kind filters
   * need the two-path search above to stay cheap in a herd, measured at 6.9 ms per claim for a
   * single statement with 10,000 pending dials of a saturated tenant.
   */
  startEffects: `
    UPDATE effects
    SET status = 'started', lease_owner = :owner, lease_until = :leaseUntil, attempts = attempts + 1
    WHERE id IN (SELECT value FROM json_each(:ids)) AND status IN ('pending', 'started')
    RETURNING *`,

  releaseEffect: `
    UPDATE effects
    SET status = 'pending', available_at = :availableAt, result = :note, lease_owner = NULL, lease_until = NULL
    WHERE id = :effectId AND lease_owner = :owner AND status = 'started'`,

  /** A stop's queued dials and texts (LeadUpdate `cancelEffects`), in the decision's transaction. */
  cancelPending: `
    UPDATE effects SET status = 'failed', result = '{"cancelled":true}', finished_at = :at
    WHERE lead_id = :leadId AND status = 'pending' AND kind IN (SELECT value FROM json_each(:kinds))`,

  anyOrphan: `
    SELECT 1 AS found FROM effects WHERE status = 'started' AND paid = 1 AND lease_until <= :now LIMIT 1`,

  /** Paid effects whose worker's lease ran out, through effects_started_paid_lease: to be closed. */
  claimOrphans: `
    UPDATE effects SET lease_owner = :owner, lease_until = :leaseUntil
    WHERE id IN (
      SELECT id FROM effects
      WHERE status = 'started' AND paid = 1 AND lease_until <= :now
      ORDER BY lease_until
      LIMIT :limit)
    RETURNING *`,

  renewEffectLease: `
    UPDATE effects SET lease_until = :leaseUntil
    WHERE id = :effectId AND lease_owner = :owner AND status = 'started'`,

  /** nextDueAt of an abandoned idempotent effect: the first entry of effects_started_lease. */
  nextLeaseExpiry: `
    SELECT lease_until AS due FROM effects
    WHERE status = 'started' AND paid = 0 AND lease_until > :after
    ORDER BY lease_until LIMIT 1`,

  /** nextDueAt of an orphaned paid effect: the first entry of effects_started_paid_lease. */
  nextOrphanExpiry: `
    SELECT lease_until AS due FROM effects
    WHERE status = 'started' AND paid = 1 AND lease_until > :after
    ORDER BY lease_until LIMIT 1`,

  /** nextDueAt of the leads: the first entry of leads_due after :after. */
  nextWakeAt: `
    SELECT wake_at AS due FROM leads
    WHERE finished = 0 AND wake_at IS NOT NULL AND wake_at > :after
    ORDER BY wake_at LIMIT 1`,

  /** nextDueAt of the effects: the first entry of effects_pending_available after :after. */
  nextAvailableAt: `
    SELECT available_at AS due FROM effects
    WHERE status = 'pending' AND available_at > :after
    ORDER BY available_at LIMIT 1`,

  getAudit: 'SELECT id, lead_id, entries FROM audit_log WHERE lead_id = ? ORDER BY id',

  /** An id recordAudit was given that names no lead has its trail here alone. */
  getStrayAudit: 'SELECT * FROM stray_audit WHERE lead_id = ? ORDER BY id',

  insertStrayAudit: `
    INSERT INTO stray_audit (lead_id, at, type, key, detail) VALUES (:leadId, :at, :type, :key, :detail)`,

  leadExists: 'SELECT 1 AS found FROM leads WHERE id = ?',

  getEffects: 'SELECT * FROM effects WHERE lead_id = ? ORDER BY id',

  /** For ops, not the hot path: a scan of the unfinished leads. */
  statsByState: `
    SELECT crm_state, call_state, COUNT(*) AS count, SUM(wake_at IS NOT NULL) AS waiting
    FROM leads WHERE finished = 0
    GROUP BY crm_state, call_state
    ORDER BY crm_state, call_state`,

  pendingEffects: `SELECT COUNT(*) AS count FROM effects WHERE status = 'pending'`,

  /** A call saved again under its id (a dial started again) replaces the row. */
  savePendingCall: `
    INSERT OR REPLACE INTO pending_calls (call_id, key, lead_id, attempt, phone, caller_id, customer_name,
                                          scenario_id, created_at, session_id)
    VALUES (:callId, :key, :leadId, :attempt, :phone, :callerId, :customerName, :scenarioId, :createdAt,
            :sessionId)`,

  /** The TTL, applied on every save through pending_calls_by_age. */
  prunePendingCalls: 'DELETE FROM pending_calls WHERE created_at < :cutoff',

  getPendingCall: 'SELECT * FROM pending_calls WHERE call_id = ?',

  setPendingCallSession: 'UPDATE pending_calls SET session_id = :sessionId WHERE call_id = :callId',

  /** A counter's total, 0 once its window ended (a dead row is purged later, or overwritten). */
  counterTotal: `SELECT CASE WHEN until > :now THEN total ELSE 0 END AS total FROM counters WHERE key = :key`,

  /**
   * Adds a hit if it keeps the counter within :limit, answering the new total; no row when it
   * would pass it (nothing written). A live counter keeps its window; a dead one starts a new one.
   */
  addToCounterWithin: `
    INSERT INTO counters (key, total, until) VALUES (:key, :by, :until)
    ON CONFLICT (key) DO UPDATE SET
      total = CASE WHEN until > :now THEN total + :by ELSE :by END,
      until = CASE WHEN until > :now THEN until ELSE :until END
    WHERE CASE WHEN until > :now THEN total + :by ELSE :by END <= :limit
    RETURNING total`,

  /** Takes back a hit added by the same transaction (a later hit of the call was refused). */
  takeFromCounter: 'UPDATE counters SET total = total - :by WHERE key = :key',

  /** Whether any counter is dead, through counters_until: a seek, where the DELETE below costs ~80 µs. */
  anyDeadCounter: 'SELECT 1 AS found FROM counters WHERE until <= :now LIMIT 1',

  /** A few dead counters at a time, through counters_until: a count never pays for an hour's. */
  purgeCounters: `
    DELETE FROM counters WHERE key IN (SELECT key FROM counters WHERE until <= :now LIMIT :limit)`,

  countRefusal: `
    INSERT INTO refusals (tenant_id, reason, count) VALUES (:tenantId, :reason, 1)
    ON CONFLICT (tenant_id, reason) DO UPDATE SET count = count + 1`,

  refusals: 'SELECT tenant_id, reason, count FROM refusals ORDER BY tenant_id, reason',

  /**
   * deleteTenant, one batch: a page of the tenant's lead ids through leads_by_tenant, then their
   * rows by lead (effects_by_lead, audit_log_by_lead, stray_audit_by_lead; pending_calls has no
   * index by lead, but it holds two days of calls at most).
   */
  tenantLeadIds: 'SELECT id FROM leads WHERE tenant_id = :tenantId LIMIT :limit',
  deleteEffectsOf: 'DELETE FROM effects WHERE lead_id IN (SELECT value FROM json_each(:ids))',
  deleteAuditOf: 'DELETE FROM audit_log WHERE lead_id IN (SELECT value FROM json_each(:ids))',
  deleteStrayAuditOf: 'DELETE FROM stray_audit WHERE lead_id IN (SELECT value FROM json_each(:ids))',
  deletePendingCallsOf: 'DELETE FROM pending_calls WHERE lead_id IN (SELECT value FROM json_each(:ids))',
  deleteLeads: 'DELETE FROM leads WHERE id IN (SELECT value FROM json_each(:ids))',
  deleteRefusalsOf: 'DELETE FROM refusals WHERE tenant_id = :tenantId',
  prunableLeadIds: `SELECT id FROM leads INDEXED BY leads_prunable
    WHERE finished = 1 AND pruned = 0 AND submitted_at < :before ORDER BY submitted_at LIMIT :limit`,
  markPruned: 'UPDATE leads SET pruned = 1 WHERE id IN (SELECT value FROM json_each(:ids))',
} as const;

/** Which of a lead's indexed or costly columns a decision changes (applyDecisionSql). */
export interface DecisionChanges {
  readonly wakeAt: boolean;
  readonly finished: boolean;
  /** The lead was leased: the lease is given back. */
  readonly lease: boolean;
  /** The dashboard facts the decision brings (LeadFactsUpdate's keys). */
  readonly facts: {
    readonly partnerName?: unknown;
    readonly outcome?: unknown;
    readonly firstRingAt?: unknown;
    readonly answeredAt?: unknown;
  };
}

/** The statements made so far, by the bits of their changes (one call per decision: no strings). */
const decisionSql = new Map<number, string>();

/**
 * A decision applied: new state, one version more, the lease given back — in one UPDATE whose SET
 * names only the columns it changes. SQLite rewrites an index (and runs an `UPDATE OF` trigger)
 * whenever its statement assigns a column the index holds or filters on, changed or not: wake_at
 * and finished feed leads_due, leads_unfinished_ref and leads_prunable, the facts leads_dashboard
 * and the dashboard's triggers, and most decisions change none of them. Facts: the two instants
 * keep their first value. At most 128 statements, each prepared once; a run uses a dozen.
 */
export function applyDecisionSql(changes: DecisionChanges): string {
  const { facts } = changes;
  const has = (key: keyof DecisionChanges['facts']) => facts[key] !== undefined;
  const key =
    Number(changes.wakeAt) |
    (Number(changes.finished) << 1) |
    (Number(changes.lease) << 2) |
    (Number(has('partnerName')) << 3) |
    (Number(has('outcome')) << 4) |
    (Number(has('firstRingAt')) << 5) |
    (Number(has('answeredAt')) << 6);
  let sql = decisionSql.get(key);
  if (sql === undefined) {
    const set = [
      'crm_state = :crmState',
      'call_state = :callState',
      'snapshot = :snapshot',
      'updated_at = :updatedAt',
      'version = version + 1',
      ...(changes.wakeAt ? ['wake_at = :wakeAt'] : []),
      ...(changes.finished ? ['finished = :finished'] : []),
      ...(changes.lease ? ['lease_owner = NULL', 'lease_until = NULL'] : []),
      ...(has('partnerName') ? ['partner_name = :partnerName'] : []),
      ...(has('outcome') ? ['outcome = :outcome'] : []),
      ...(has('firstRingAt') ? ['first_ring_at = COALESCE(first_ring_at, :firstRingAt)'] : []),
      ...(has('answeredAt') ? ['answered_at = COALESCE(answered_at, :answeredAt)'] : []),
    ];
    sql = `UPDATE leads SET ${set.join(', ')} WHERE id = :id`;
    decisionSql.set(key, sql);
  }
  return sql;
}
