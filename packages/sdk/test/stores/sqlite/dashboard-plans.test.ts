import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_SQL } from '../../../src/stores/sqlite/dashboard-sql.js';
import { applyMigrations } from '../../../src/stores/sqlite/migrations.js';

// The dashboard reads a tenant's period of up to a million leads: it must read ranges of the
// rollups' primary keys, and of leads only ranges of the covering index leads_dashboard, never
// the table (whose rows carry the snapshots), with no sort of the rows it reads; the leads in
// progress from the covering index leads_dashboard_open.
describe('SQLite query plans of the dashboard', () => {
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
  const RANGE =
    'SEARCH leads USING COVERING INDEX leads_dashboard (tenant_id=? AND submitted_at>? AND submitted_at<?)';
  const BUCKET = /^SEARCH dashboard_speed_buckets USING COVERING INDEX \S+ \(lower_ms<\?\)$/;
  /** The leads in progress (not in the rollups yet), from their own covering index. */
  const OPEN =
    'SEARCH leads USING COVERING INDEX leads_dashboard_open (tenant_id=? AND submitted_at>? AND submitted_at<?)';
  const otherReadsOfLeads = (lines: readonly string[], range = RANGE) =>
    lines.filter((line) => /^(SCAN|SEARCH) leads\b/.test(line) && line !== range);

  it('reads whole days from one range of the rollups’ primary key', () => {
    const lines = plan(DASHBOARD_SQL.rollups, {
      tenantId: 't',
      dim: 'partner',
      span: 32,
      fromDay: 0,
      toDay: 1,
    });
    expect(lines).toEqual([
      'SEARCH dashboard_rollups USING PRIMARY KEY (tenant_id=? AND dim=? AND span=? AND day>? AND day<?)',
    ]);
  });

  it('reads the parts of days at the period’s ends from one range of leads_dashboard', () => {
    const period = { tenantId: 't', from: 0, to: 1 };
    for (const groupBy of ['partner', 'site'] as const) {
      const figures = plan(DASHBOARD_SQL.edgeFigures(groupBy), period);
      expect(figures).toContain(RANGE);
      expect(otherReadsOfLeads(figures)).toEqual([]);
      const speed = plan(DASHBOARD_SQL.edgeSpeed(groupBy), period);
      expect(speed.filter((line) => line === RANGE)).toHaveLength(2);
      expect(otherReadsOfLeads(speed)).toEqual([]);
      expect(speed.filter((line) => line.includes('dashboard_speed_buckets'))).toSatisfy(
        (lines: string[]) => lines.length === 2 && lines.every((line) => BUCKET.test(line)),
      );
    }
  });

  it('reads the whole days’ leads in progress from one range of leads_dashboard_open', () => {
    const period = { tenantId: 't', from: 0, to: 1 };
    for (const groupBy of ['partner', 'site'] as const) {
      const figures = plan(DASHBOARD_SQL.edgeFigures(groupBy, true), period);
      expect(figures).toContain(OPEN);
      expect(otherReadsOfLeads(figures, OPEN)).toEqual([]);
      const speed = plan(DASHBOARD_SQL.edgeSpeed(groupBy, true), period);
      expect(speed.filter((line) => line === OPEN)).toHaveLength(2);
      expect(otherReadsOfLeads(speed, OPEN)).toEqual([]);
    }
  });

  it('counts each day with range seeks of dashboard_quarters, leads_dashboard and the leads in progress', () => {
    const lines = plan(DASHBOARD_SQL.days, { tenantId: 't', days: '[["2026-01-01", 0, 0, 1, 1]]' });
    expect(lines.filter((line) => /leads\b/.test(line))).toEqual([RANGE, OPEN, RANGE]);
    expect(lines).toContain(
      'SEARCH dashboard_quarters USING PRIMARY KEY (tenant_id=? AND quarter>? AND quarter<?)',
    );
    expect(lines.filter((line) => line.includes('TEMP B-TREE'))).toEqual([]);
  });
});
