import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_SQL } from '../../../src/stores/sqlite/dashboard-sql.js';
import { applyMigrations } from '../../../src/stores/sqlite/migrations.js';

// The dashboard reads a tenant's period of up to a million leads: each statement must read one
// range of the covering index leads_dashboard, never the table (whose rows carry the snapshots).
describe('SQLite query plans of the dashboard', () => {
  let db: DatabaseSync;
  beforeAll(() => {
    db = new DatabaseSync(':memory:');
    applyMigrations(db);
  });
  afterAll(() => db.close());

  const plan = (sql: string, params: Record<string, string | number>) =>
    db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(params)
      .map((row) => String(row.detail));
  const period = { tenantId: 't', from: 0, to: 1 };
  const RANGE =
    'SEARCH leads USING COVERING INDEX leads_dashboard (tenant_id=? AND submitted_at>? AND submitted_at<?)';

  it('counts the cells and ranks the speeds over one range of leads_dashboard', () => {
    const statements = [
      DASHBOARD_SQL.cells.partner,
      DASHBOARD_SQL.cells.site,
      DASHBOARD_SQL.speed.partner.firstRing,
      DASHBOARD_SQL.speed.site.answer,
      DASHBOARD_SQL.speed.total.firstRing,
      DASHBOARD_SQL.speed.total.answer,
    ];
    for (const sql of statements) {
      const lines = plan(sql, period);
      expect(lines).toContain(RANGE);
      expect(lines.filter((line) => /^(SCAN|SEARCH) leads\b/.test(line) && line !== RANGE)).toEqual([]);
    }
  });

  it('counts each day with a range seek of leads_dashboard', () => {
    const lines = plan(DASHBOARD_SQL.days, { tenantId: 't', days: '[["2026-01-01", 0, 1]]' });
    expect(lines.filter((line) => /leads\b/.test(line))).toEqual([`${RANGE} LEFT-JOIN`]);
  });
});
