import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../src/stores/sqlite/migrations.js';
import { SQL } from '../../../src/stores/sqlite/statements.js';

// The scheduler's statements must walk a partial index, never scan a table: with a million
// waiting leads a scan would cost a second per claim. EXPLAIN QUERY PLAN names what SQLite does.
describe('SQLite query plans of the hot statements', () => {
  let db: DatabaseSync;
  beforeAll(() => {
    db = new DatabaseSync(':memory:');
    applyMigrations(db);
  });
  afterAll(() => db.close());

  const plan = (sql: string, params: Record<string, string | number | null>) =>
    db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(params)
      .map((row) => String(row.detail));
  /** A scan of a whole table (an index walk reads `SCAN t USING … INDEX`). */
  const tableScans = (lines: string[]) => lines.filter((line) => /^SCAN (leads|effects|audit)$/.test(line));
  const claim = { now: 1, limit: 10, owner: 'w', leaseUntil: 2 };

  it('claimDueLeads walks leads_due in order: no scan, no sort', () => {
    const lines = plan(SQL.claimDueLeads, claim);
    expect(lines).toEqual(
      expect.arrayContaining([expect.stringMatching(/^SEARCH leads USING INDEX leads_due /)]),
    );
    expect(tableScans(lines)).toEqual([]);
    expect(lines.filter((line) => line.includes('TEMP B-TREE'))).toEqual([]);
  });

  it('nextDueAt reads the first entry of leads_due and effects_pending_available', () => {
    expect(plan(SQL.nextWakeAt, { after: 0 })).toEqual([
      'SEARCH leads USING COVERING INDEX leads_due (wake_at>?)',
    ]);
    expect(plan(SQL.nextAvailableAt, { after: 0 })).toEqual([
      'SEARCH effects USING COVERING INDEX effects_pending_available (available_at>?)',
    ]);
  });

  it('claimEffects reads only partial indexes, whichever path it takes', () => {
    const plans = [
      plan(SQL.pendingWalk, { now: 1, scan: 74 }),
      plan(SQL.startedWalk, { now: 1, scan: 74, afterPriority: 0, afterId: 0 }),
      plan(SQL.firstGroup, {}),
      plan(SQL.nextTenant, { kind: 'dial', tenantId: 't' }),
      plan(SQL.nextKind, { kind: 'dial' }),
      plan(SQL.groupTop, { kind: 'dial', tenantId: 't', now: 1, limit: 10 }),
    ];
    expect(plans).toEqual([
      // Walked in (priority, id) order and cut at the limit: no sort.
      ['SCAN effects USING INDEX effects_pending'],
      ['SEARCH effects USING INDEX effects_started_idempotent (priority>?)'],
      // The skip-scan: one seek per (kind, tenant) group.
      ['SCAN effects USING COVERING INDEX effects_pending_group'],
      ['SEARCH effects USING COVERING INDEX effects_pending_group (kind=? AND tenant_id>?)'],
      ['SEARCH effects USING COVERING INDEX effects_pending_group (kind>?)'],
      ['SEARCH effects USING INDEX effects_pending_group (kind=? AND tenant_id=?)'],
    ]);
    for (const lines of plans) {
      expect(tableScans(lines)).toEqual([]);
      expect(lines.filter((line) => line.includes('TEMP B-TREE'))).toEqual([]);
    }
  });

  it('listLeads walks leads_by_tenant backwards from the cursor: no scan, no sort', () => {
    const lines = plan(SQL.listLeads, {
      tenantId: 't',
      from: 0,
      beforeAt: 10,
      beforeId: 'x',
      states: '["crm.manual"]',
      limit: 51,
    });
    expect(lines[0]).toBe(
      'SEARCH leads USING INDEX leads_by_tenant (tenant_id=? AND submitted_at>? AND (submitted_at,id)<(?,?))',
    );
    expect(tableScans(lines)).toEqual([]);
    expect(lines.filter((line) => line.includes('TEMP B-TREE'))).toEqual([]);
  });

  it('claimEffects asks whether any lease ran out with one seek of effects_started_lease', () => {
    expect(plan(SQL.anyAbandoned, { now: 1 })).toEqual([
      'SEARCH effects USING COVERING INDEX effects_started_lease (lease_until<?)',
    ]);
  });

  it('the abuse counters look for a dead counter with one seek of counters_until before purging', () => {
    expect(plan(SQL.anyDeadCounter, { now: 1 })).toEqual([
      'SEARCH counters USING COVERING INDEX counters_until (until<?)',
    ]);
  });

  it('orphaned paid effects and the leases nextDueAt watches are one seek of a partial index each', () => {
    expect(plan(SQL.anyOrphan, { now: 1 })).toEqual([
      'SEARCH effects USING COVERING INDEX effects_started_paid_lease (lease_until<?)',
    ]);
    expect(plan(SQL.nextOrphanExpiry, { after: 1 })).toEqual([
      'SEARCH effects USING COVERING INDEX effects_started_paid_lease (lease_until>?)',
    ]);
    expect(plan(SQL.nextLeaseExpiry, { after: 1 })).toEqual([
      'SEARCH effects USING COVERING INDEX effects_started_lease (lease_until>?)',
    ]);
  });

  it('claimEffects takes the chosen ids by primary key', () => {
    expect(plan(SQL.startEffects, { ids: '[1]', owner: 'w', leaseUntil: 2 })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^SEARCH effects USING INTEGER PRIMARY KEY/)]),
    );
  });

  it('the ref rule, getEffects and getAudit search their indexes', () => {
    expect(plan(SQL.unfinishedWithRef, { tenantId: 't', ref: 'r' })).toEqual([
      'SEARCH leads USING INDEX leads_unfinished_ref (tenant_id=? AND ref=?)',
    ]);
    // The replay rule: the newest lead of the ref within the window, by leads_by_ref, no sort.
    expect(plan(SQL.replayOf, { tenantId: 't', ref: 'r', bodyHash: 'h', since: 0 })).toEqual([
      'SEARCH leads USING INDEX leads_by_ref (tenant_id=? AND ref=? AND submitted_at>?)',
    ]);
    // The adoption rule: one seek of its unique index, however many leads the tenant has.
    expect(plan(SQL.adoptedLead, { tenantId: 't', crmLeadId: '42' })).toEqual([
      'SEARCH leads USING INDEX leads_adopted_crm_lead (tenant_id=? AND adopted_crm_lead_id=?)',
    ]);
    expect(
      db
        .prepare(`EXPLAIN QUERY PLAN ${SQL.getEffects}`)
        .all('l1')
        .map((r) => r.detail),
    ).toEqual(['SEARCH effects USING INDEX effects_by_lead (lead_id=?)']);
    expect(
      db
        .prepare(`EXPLAIN QUERY PLAN ${SQL.getAudit}`)
        .all('l1')
        .map((r) => r.detail),
    ).toEqual(['SEARCH audit_log USING INDEX audit_log_by_lead (lead_id=?)']);
    expect(
      db
        .prepare(`EXPLAIN QUERY PLAN ${SQL.getStrayAudit}`)
        .all('l1')
        .map((r) => r.detail),
    ).toEqual(['SEARCH stray_audit USING INDEX stray_audit_by_lead (lead_id=?)']);
  });

  it('a pending call is read by its key, and the prune on every save seeks pending_calls_by_age', () => {
    expect(plan(SQL.prunePendingCalls, { cutoff: 0 })).toEqual([
      'SEARCH pending_calls USING INDEX pending_calls_by_age (created_at<?)',
    ]);
    expect(plan(SQL.setPendingCallSession, { callId: 'c', sessionId: 's' })).toEqual([
      'SEARCH pending_calls USING PRIMARY KEY (call_id=?)',
    ]);
  });

  it('deleteTenant finds a batch through leads_by_tenant and each lead’s rows through their index', () => {
    expect(plan(SQL.tenantLeadIds, { tenantId: 't', limit: 500 }).join('\n')).toMatch(
      /SEARCH leads USING (COVERING )?INDEX leads_by_tenant \(tenant_id=\?\)/,
    );
    const ids = { ids: '["l1"]' };
    for (const [sql, index] of [
      [SQL.deleteEffectsOf, 'effects_by_lead'],
      [SQL.deleteAuditOf, 'audit_log_by_lead'],
      [SQL.deleteStrayAuditOf, 'stray_audit_by_lead'],
    ] as const) {
      expect(plan(sql, ids).join('\n')).toContain(`INDEX ${index} (lead_id=?)`);
    }
    expect(tableScans(plan(SQL.deleteLeads, ids))).toEqual([]);
    expect(plan(SQL.deleteLeads, ids).join('\n')).toContain('sqlite_autoindex_leads_1 (id=?)');
  });
});
