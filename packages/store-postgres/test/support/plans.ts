import pg from 'pg';
import { applyPgMigrations } from '../../src/index.js';

/** A node of `EXPLAIN (FORMAT JSON)`: what the plan tests read of it. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** A client on the fresh schema with every migration applied, for the plan tests' EXPLAINs. */
export async function migratedClient(db: { url: () => string; schema: () => string }): Promise<pg.Client> {
  const options = `-c search_path=${db.schema()}`;
  const pool = new pg.Pool({ connectionString: db.url(), max: 1, options });
  await applyPgMigrations(pool, { schema: db.schema() });
  await pool.end();
  const client = new pg.Client({ connectionString: db.url(), options });
  await client.connect();
  return client;
}
