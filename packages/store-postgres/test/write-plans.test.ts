import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL, type Statement } from '../src/statements.js';
import { WRITE_PLAN_SETTINGS } from '../src/write-queue.js';
import { migratedClient, type PlanNode } from './support/plans.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

// A write transaction runs its statements' generic plans (write-queue.ts, BEGIN), so those plans
// must find a lead by its id and an effect by its id, whatever the table's statistics. A table
// never analyzed (a new install; this host runs without autovacuum) is the case that showed it:
// applyDecisionIf's generic plan walked leads_dashboard by the tenant and the submit time it also
// compares, filtering the tenant's leads of that instant, instead of taking the primary key; and
// applyDecisions', finding a turn's leads by `id = ANY`, walked the whole table (200 rows, a few
// pages) unless seq scans are off (WRITE_PLAN_SETTINGS).
const db = useFreshSchema();

/** The statements that count a shop's calls in flight, with their parameters' number. */
const COUNTING = [
  [SQL.insertLeads, 34],
  [SQL.applyDecisions, 45],
  [SQL.claimCapped, 9],
  [SQL.lockCallTenants, 8],
] as const;

/** Each scan of `relation` in the plan: its index (a bitmap scan's, of its index scan), or 'Seq Scan'. */
function scansOf(node: PlanNode, relation: string): string[] {
  if (node['Relation Name'] === relation && node['Node Type'] === 'Bitmap Heap Scan') {
    return (node.Plans ?? []).map((child) => child['Index Name'] ?? child['Node Type']);
  }
  const own =
    node['Relation Name'] === relation && /Scan/.test(node['Node Type'])
      ? [node['Index Name'] ?? node['Node Type']]
      : [];
  return [...own, ...(node.Plans ?? []).flatMap((child) => scansOf(child, relation))];
}

describe.skipIf(!postgres.found)('PostgreSQL generic plans of the write statements', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = await migratedClient(db);
    // One tenant's leads of one instant, never analyzed.
    await client.query(`INSERT INTO leads (id, tenant_id, crm_state, call_state, snapshot, finished,
                                           submitted_at, updated_at, version)
      SELECT 'lead-' || i, 'shop', 'crm.new', 'call.idle', '{}', false, 1000, 1000, 1
      FROM generate_series(1, 200) AS i`);
    await client.query(`INSERT INTO effects (key, lead_id, tenant_id, kind, paid, params, available_at, priority,
                                             status, created_at)
      SELECT 'effect-' || i, 'lead-' || (i % 200 + 1), 'shop', 'sms', false, '{}', 1000, 0, 'done', 1000
      FROM generate_series(1, 4000) AS i`);
    for (const setting of WRITE_PLAN_SETTINGS) await client.query(`SET ${setting}`);
  });
  afterAll(async () => {
    await client?.end();
  });

  const generic = async (statement: Statement, parameters: number) => {
    await client.query(`PREPARE ${statement.name} AS ${statement.text}`);
    const nulls = Array.from({ length: parameters }, () => 'NULL').join(', ');
    const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE ${statement.name} (${nulls})`);
    await client.query(`DEALLOCATE ${statement.name}`);
    const plan = (rows[0]?.['QUERY PLAN'] as { Plan: PlanNode }[] | undefined)?.[0]?.Plan;
    if (!plan) throw new Error('no plan');
    return plan;
  };

  it("applies a turn's decisions on the leads as last written through the leads' primary key", async () => {
    const plan = await generic(SQL.applyDecisions, 45);
    expect(scansOf(plan, 'leads')).toEqual(['leads_pkey']);
    expect(scansOf(plan, 'effects')).not.toContain('Seq Scan');
  });

  it('applies a decision on the locked lead, and reads it, through the primary key', async () => {
    expect(scansOf(await generic(SQL.applyDecision, 32), 'leads')).toEqual(['leads_pkey']);
    expect(scansOf(await generic(SQL.lockLead, 1), 'leads')).toEqual(['leads_pkey']);
  });

  it("completes a turn's effects through their ids", async () => {
    const scans = scansOf(await generic(SQL.finishEffects, 7), 'effects');
    expect(scans.length).toBeGreaterThan(0);
    expect(scans).not.toContain('Seq Scan');
  });

  it("hands a call's slot on by the tenant's pending effects in claim order, not a sort of them all", async () => {
    // claimCapped in a write transaction (EffectHandOff): planned on a table never analyzed, its
    // pick had read every pending effect and sorted them (8 ms behind 10,000 pending dials).
    const scans = scansOf(await generic(SQL.claimCapped, 9), 'effects');
    expect(scans).toContain('effects_pending_by_tenant');
    expect(scans).not.toContain('effects_pending_available');
    expect(scans).not.toContain('Seq Scan');
  });

  it("counts a shop's calls in flight through its own started effects, by a plain index scan", async () => {
    // Through the lease indexes the count read every effect started within a lease, of every
    // shop, by a bitmap scan, which never marks the entries of rows since finished as dead: the
    // heap was read for each, every count (1.5 ms behind 300 leads a second, twice a dial).
    for (const [statement, parameters] of COUNTING) {
      const plan = await generic(statement, parameters);
      const scans = scansOf(plan, 'effects');
      expect(scans, statement.name).toContain('effects_started_by_tenant');
      expect(scans, statement.name).not.toContain('effects_started_lease');
      expect(scans, statement.name).not.toContain('effects_started_paid_lease');
      expect(nodesOf(plan, 'effects_started_by_tenant'), statement.name).not.toContain('Bitmap Index Scan');
    }
  });

  it('reads the partial indexes of a busy shop by plain index scans, never bitmap scans', async () => {
    // A shop's dials started and finished: their entries stay in the partial indexes until a
    // VACUUM. A bitmap scan reads the heap for every such entry, every time (mid-run: 3,907 pages
    // for one count of calls in flight); a plain index scan marks them dead as it passes them.
    await client.query(`INSERT INTO effects (key, lead_id, tenant_id, kind, paid, params, available_at, priority,
                                             status, lease_owner, lease_until, attempts, created_at)
      SELECT 'dial-' || i, 'lead-' || (i % 200 + 1), 'shop', 'dial', true, '{}', 1000, 0, 'pending', NULL, NULL,
             0, 1000
      FROM generate_series(1, 20000) AS i`);
    await client.query(`UPDATE effects SET status = 'started', lease_owner = 'w', lease_until = 40000
      WHERE kind = 'dial'`);
    await client.query(`UPDATE effects SET status = 'done', finished_at = 2000 WHERE kind = 'dial'`);
    for (const [statement, parameters] of COUNTING) {
      const bitmaps = nodeTypes(await generic(statement, parameters)).filter((type) =>
        type.startsWith('Bitmap'),
      );
      expect(bitmaps, statement.name).toEqual([]);
    }
  });
});

/** The node types that read `index`. */
function nodesOf(node: PlanNode, index: string): string[] {
  const own = node['Index Name'] === index ? [node['Node Type']] : [];
  return [...own, ...(node.Plans ?? []).flatMap((child) => nodesOf(child, index))];
}

/** Every node type of the plan. */
function nodeTypes(node: PlanNode): string[] {
  return [node['Node Type'], ...(node.Plans ?? []).flatMap(nodeTypes)];
}
