import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLead } from '../../sdk/test/stores/lead-store-fixtures.js';
import { PostgresLeadStore } from '../src/index.js';
import { postgres } from './support/postgres-schema.js';

// The rollups are staged in a temporary table per connection (migration 15): a role that may not
// create one is refused at start, with the grant it needs, instead of failing every write of a
// lead with an outcome. A database of its own, since TEMPORARY is revoked from everyone there.
describe.skipIf(!postgres.found)('PostgreSQL lead store: the privileges it needs', () => {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const database = `prozvon_privileges_${suffix}`;
  const role = `prozvon_role_${suffix}`;
  const admin = () => new pg.Client({ connectionString: postgres.found ? postgres.url : '' });
  /** The server's URL as the role, on the database. */
  const urlAs = () => {
    const url = new URL(postgres.found ? postgres.url : '');
    url.username = role;
    url.password = '';
    url.pathname = `/${database}`;
    return url.toString();
  };
  const run = async (...statements: string[]) => {
    const client = admin();
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await run(
      `CREATE DATABASE ${database}`,
      `REVOKE TEMPORARY ON DATABASE ${database} FROM PUBLIC`,
      `CREATE ROLE ${role} LOGIN`,
      `GRANT CREATE ON DATABASE ${database} TO ${role}`,
    );
  });
  afterAll(async () => {
    await run(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, `DROP ROLE IF EXISTS ${role}`);
  });

  it('refuses a role that may not create temporary tables, naming the grant; works once granted', async () => {
    await expect(PostgresLeadStore.open({ url: urlAs(), schema: 'shop' })).rejects.toThrow(
      `may not create temporary tables in the database ${database}, where Prozvon stages the dashboard's figures of each write; grant it: GRANT TEMPORARY ON DATABASE ${database} TO ${role}`,
    );
    await run(`GRANT TEMPORARY ON DATABASE ${database} TO ${role}`);
    const store = await PostgresLeadStore.open({ url: urlAs(), schema: 'shop' });
    try {
      // A lead with an outcome: its write stages it (the temporary table made), its COMMIT folds it.
      await store.insertLead(newLead('l1', { facts: { outcome: 'answered' } }), [], []);
      const client = new pg.Client({ connectionString: urlAs() });
      await client.connect();
      const { rows } = await client.query(
        `SELECT leads, answered FROM shop.dashboard_rollups WHERE dim = 'partner' AND span = 1`,
      );
      await client.end();
      expect(rows).toEqual([{ leads: 1, answered: 1 }]);
    } finally {
      await store.close();
    }
  });
});
