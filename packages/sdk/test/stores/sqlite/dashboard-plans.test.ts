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

  const plan = (sql: string, params: Record<string, string | number | null>) =>
    db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(params)
      .map((row) => String(row.detail));
  const period = { tenantId: 't', from: 0, to: 1 };
  const RANGE =
    'SEARCH leads USING COVERING INDEX leads_dashboard (tenant_id=? AND submitted_at>? AND submitted_at<?)';

  it('counts the groups, the speed of the period and its currencies over one range of leads_dashboard', () => {
    const statements = [
      [DASHBOARD_SQL.currencies, {}],
      [DASHBOARD_SQL.speed, {}],
      [DASHBOARD_SQL.groups('partner', 2), { c0: 'RUB', c1: null }],
      [DASHBOARD_SQL.groups('partner', 1), { c0: 'RUB' }],
      [DASHBOARD_SQL.groups('site', 0), {}],
    ] as const;
    for (const [sql, extra] of statements) {
      const lines = plan(sql, { ...period, ...extra });
      expect(lines).toContain(RANGE);
      expect(lines.filter((line) => /^(SCAN|SEARCH) leads\b/.test(line) && line !== RANGE)).toEqual([]);
    }
  });

  it('counts each day with a range seek of leads_dashboard', () => {
    const lines = plan(DASHBOARD_SQL.days, { tenantId: 't', days: '[["2026-01-01", 0, 1]]' });
    expect(lines.filter((line) => /leads\b/.test(line))).toEqual([RANGE]);
    expect(lines.filter((line) => line.includes('TEMP B-TREE'))).toEqual([]);
  });
});
