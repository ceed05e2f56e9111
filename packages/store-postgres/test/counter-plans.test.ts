import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from '../src/statements.js';
import { migratedClient, type PlanNode } from './support/plans.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

// countHits runs for every lead (the per-phone guard), and the counters table holds a row per
// phone and window: its statements must find their rows by index, whatever plan the server
// keeps. A prepared statement is planned generically after a few runs when that looks no dearer,
// so the check is on the generic plan (plan_cache_mode), with a table big enough for a scan to
// show. Before, the purge of dead counters (a statement of its own then) was a scan of the whole
// table once generic, at every count; the totals' update, a join with the arrays, was one too on
// a table of a thousand rows or so.
const db = useFreshSchema();

function seqScans(node: PlanNode): string[] {
  const own = node['Node Type'] === 'Seq Scan' ? [String(node['Relation Name'])] : [];
  return [...own, ...(node.Plans ?? []).flatMap(seqScans)];
}

describe.skipIf(!postgres.found)('PostgreSQL query plans of the abuse counters', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = await migratedClient(db);
    await client.query(`INSERT INTO counters (key, total, until)
      SELECT 'phone:' || i, 1, 1000 + i FROM generate_series(1, 5000) AS i`);
    await client.query('ANALYZE counters');
    await client.query('SET plan_cache_mode = force_generic_plan');
  });
  afterAll(async () => {
    await client?.end();
  });

  const generic = async (statement: { name: string; text: string }, values: string) => {
    await client.query(`PREPARE ${statement.name} AS ${statement.text}`);
    const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE ${statement.name} ${values}`);
    await client.query(`DEALLOCATE ${statement.name}`);
    const plan = (rows[0]?.['QUERY PLAN'] as { Plan: PlanNode }[] | undefined)?.[0]?.Plan;
    if (!plan) throw new Error('no plan');
    return plan;
  };

  it('locks the counters and purges dead ones by index', async () => {
    const plan = await generic(SQL.lockCounters, `('{phone:1,phone:2}', '{9000,9000}', 2000)`);
    expect(seqScans(plan)).toEqual([]);
  });

  it('sets the totals by index', async () => {
    const plan = await generic(SQL.setCounters, `('{phone:1,phone:2}', '{2,3}', '{9000,9000}')`);
    expect(seqScans(plan)).toEqual([]);
  });
});
