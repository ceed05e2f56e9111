import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_DAYS, DASHBOARD_ROLLUPS, DASHBOARD_STATEMENTS } from '../src/dashboard.js';
import { migratedClient, type PlanNode } from './support/plans.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

// The dashboard reads a tenant's period from its rollups (ranges of their primary keys) and the
// leads of its partial days: each statement must read those leads as ranges of leads_dashboard
// alone (an index-only scan), never the table, whose rows carry the snapshots; and the leads in
// progress of its whole days (not in the rollups) as ranges of leads_dashboard_open alone.
// Sequential and bitmap scans are switched off for the check: on a test's few rows the planner
// would rightly read the table, and what is checked is that the index can answer alone.
const db = useFreshSchema();

function scansOf(node: PlanNode, table: string): PlanNode[] {
  const own = node['Relation Name'] === table ? [node] : [];
  return [...own, ...(node.Plans ?? []).flatMap((child) => scansOf(child, table))];
}

describe.skipIf(!postgres.found)('PostgreSQL query plans of the dashboard', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = await migratedClient(db);
    await client.query('SET enable_seqscan = off; SET enable_bitmapscan = off');
  });
  afterAll(async () => {
    await client?.end();
  });

  const scans = async (text: string, values: unknown[], table = 'leads') => {
    const { rows } = await client.query({ text: `EXPLAIN (FORMAT JSON) ${text}`, values });
    const plan = (rows[0]?.['QUERY PLAN'] as { Plan: PlanNode }[] | undefined)?.[0]?.Plan;
    if (!plan) throw new Error('no plan');
    return scansOf(plan, table).map((node) => `${node['Node Type']} using ${node['Index Name']}`);
  };
  const ONLY_INDEX = 'Index Only Scan using leads_dashboard';
  /** The leads in progress (not in the rollups): their own covering partial index. */
  const OPEN = 'Index Only Scan using leads_dashboard_open';

  it('counts the partial days’ groups, sums and speed over leads_dashboard alone', async () => {
    for (const groupBy of ['partner', 'site'] as const) {
      for (const statement of Object.values(DASHBOARD_STATEMENTS[groupBy])) {
        const found = await scans(statement.text, ['t', [0, 5], [1, 6], [], []]);
        expect(found).toContain(ONLY_INDEX);
        expect(found.filter((scan) => scan !== ONLY_INDEX && scan !== OPEN)).toEqual([]);
      }
    }
  });

  it('reads the whole days’ leads in progress from leads_dashboard_open alone', async () => {
    for (const groupBy of ['partner', 'site'] as const) {
      for (const statement of Object.values(DASHBOARD_STATEMENTS[groupBy])) {
        const found = await scans(statement.text, ['t', [0], [1], [86_400_000], [172_800_000]]);
        expect(found).toEqual([ONLY_INDEX, OPEN]);
      }
    }
  });

  it('reads the rollups of whole days as ranges of their primary key', async () => {
    const found = await scans(
      DASHBOARD_ROLLUPS.text,
      ['t', 'partner', [32, 1], [0, 64], [32, 70]],
      'dashboard_rollups',
    );
    expect(found).toEqual(['Index Scan using dashboard_rollups_pkey']);
  });

  it('counts each day from its quarters, their open leads and the leads at its ends, by their indexes', async () => {
    const values = ['t', ['2026-01-01'], [0], [900_000], [1_800_000], [2_000_000]];
    expect(await scans(DASHBOARD_DAYS.text, values)).toEqual([ONLY_INDEX, OPEN, ONLY_INDEX]);
    expect(await scans(DASHBOARD_DAYS.text, values, 'dashboard_quarters')).toEqual([
      'Index Scan using dashboard_quarters_pkey',
    ]);
  });
});
