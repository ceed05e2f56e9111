/**
 * Every statement the SQLite store runs, prepared once per connection. Named parameters
 * (`:now`) are bound from plain objects. The scheduler statements are written so that SQLite
 * walks one partial index in order and stops at the limit (checked with EXPLAIN QUERY PLAN in
 * test/stores/sqlite/query-plans.test.ts).
 */
export const SQL = {
  insertLead: `
    INSERT INTO leads (id, tenant_id, ref, crm_state, call_state, snapshot, wake_at, finished,
                       submitted_at, updated_at, version)
    VALUES (:id, :tenantId, :ref, :crmState, :callState, :snapshot, :wakeAt, :finished,
            :submittedAt, :submittedAt, 1)`,

  /** The ref rule, read through the partial unique index inside the insert's transaction. */
  unfinishedWithRef: `
    SELECT id FROM leads WHERE tenant_id = :tenantId AND ref = :ref AND finished = 0 AND ref IS NOT NULL`,

  getLead: 'SELECT * FROM leads WHERE id = ?',

  /** A decision applied: new state, one version more, the lease given back. */
  applyDecision: `
    UPDATE leads
    SET crm_state = :crmState, call_state = :callState, snapshot = :snapshot, wake_at = :wakeAt,
        finished = :finished, updated_at = :updatedAt, version = version + 1,
        lease_owner = NULL, lease_until = NULL
    WHERE id = :id
    RETURNING *`,

  /** A key already queued is ignored: a decision replayed after a crash queues nothing twice. */
  insertEffect: `
    INSERT INTO effects (key, lead_id, tenant_id, kind, paid, params, available_at, priority, status, created_at)
    VALUES (:key, :leadId, :tenantId, :kind, :paid, :params, :availableAt, :priority, 'pending', :createdAt)
    ON CONFLICT (key) DO NOTHING`,

  insertAudit: `
    INSERT INTO audit (lead_id, at, type, key, detail) VALUES (:leadId, :at, :type, :key, :detail)`,

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
    RETURNING *`,

  /**
   * Two ordered, limited walks — pending effects by `effects_pending`, abandoned idempotent ones
   * by `effects_started_idempotent` — merged and cut to the limit. One OR over both statuses
   * would make SQLite scan and sort. Exclusions and kind filters come as JSON arrays (`:only`
   * NULL for every kind) so the statement stays one prepared statement whatever their length.
   */
  claimEffects: `
    UPDATE effects
    SET status = 'started', lease_owner = :owner, lease_until = :leaseUntil, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM (
        SELECT id, priority FROM (
          SELECT id, priority FROM effects
          WHERE status = 'pending' AND available_at <= :now
            AND NOT (tenant_id IN (SELECT value FROM json_each(:tenants))
                     AND kind IN (SELECT value FROM json_each(:kinds)))
            AND (:only IS NULL OR kind IN (SELECT value FROM json_each(:only)))
            AND kind NOT IN (SELECT value FROM json_each(:except))
          ORDER BY priority, id
          LIMIT :limit)
        UNION ALL
        SELECT id, priority FROM (
          SELECT id, priority FROM effects
          WHERE status = 'started' AND paid = 0 AND lease_until <= :now
            AND NOT (tenant_id IN (SELECT value FROM json_each(:tenants))
                     AND kind IN (SELECT value FROM json_each(:kinds)))
            AND (:only IS NULL OR kind IN (SELECT value FROM json_each(:only)))
            AND kind NOT IN (SELECT value FROM json_each(:except))
          ORDER BY priority, id
          LIMIT :limit))
      ORDER BY priority, id
      LIMIT :limit)
    RETURNING *`,

  releaseEffect: `
    UPDATE effects
    SET status = 'pending', available_at = :availableAt, result = :note, lease_owner = NULL, lease_until = NULL
    WHERE id = :effectId AND lease_owner = :owner AND status = 'started'`,

  /** Each side is the first entry of a partial index; MIN of two rows. */
  nextDueAt: `
    SELECT MIN(due) AS due FROM (
      SELECT due FROM (
        SELECT wake_at AS due FROM leads
        WHERE finished = 0 AND wake_at IS NOT NULL
        ORDER BY wake_at LIMIT 1)
      UNION ALL
      SELECT due FROM (
        SELECT available_at AS due FROM effects
        WHERE status = 'pending'
        ORDER BY available_at LIMIT 1))`,

  getAudit: 'SELECT * FROM audit WHERE lead_id = ? ORDER BY id',

  getEffects: 'SELECT * FROM effects WHERE lead_id = ? ORDER BY id',

  /** For ops, not the hot path: a scan of the unfinished leads. */
  statsByState: `
    SELECT crm_state, call_state, COUNT(*) AS count, SUM(wake_at IS NOT NULL) AS waiting
    FROM leads WHERE finished = 0
    GROUP BY crm_state, call_state
    ORDER BY crm_state, call_state`,

  pendingEffects: `SELECT COUNT(*) AS count FROM effects WHERE status = 'pending'`,
} as const;
