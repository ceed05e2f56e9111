// @prozvon/store-postgres/testing: schemas for tests, one per test file, as graphile-worker's tests
// have. Not for production code.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A schema made for a test file, with what empties and drops it. */
export interface TestSchema {
  readonly url: string;
  readonly name: string;
  /** Deletes every row of its tables but the migrations' records (between tests). */
  empty(): Promise<void>;
  /** Drops it with everything in it (after the file's tests). */
  drop(): Promise<void>;
}

/** Creates a schema of a fresh name (`<prefix>_<pid>_<random>`) on the server at `url`. */
export async function createTestSchema(url: string, prefix = 'prozvon_test'): Promise<TestSchema> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(url, async (client) => {
    await client.query(`CREATE SCHEMA ${name}`);
  });
  return {
    url,
    name,
    empty: () =>
      admin(url, async (client) => {
        const { rows } = await client.query(
          `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename NOT LIKE '%migrations'`,
          [name],
        );
        // DELETE, not TRUNCATE: on tables of a few rows it is a tenth of the time (TRUNCATE makes
        // new files and syncs them at commit). Children first: a table named in a foreign key of
        // another goes after it.
        const tables = rows.map((row) => String(row.tablename)).sort((a, b) => weight(a) - weight(b));
        if (tables.length > 0)
          await client.query(tables.map((table) => `DELETE FROM ${name}.${table};`).join('\n'));
      }),
    drop: () =>
      admin(url, async (client) => {
        await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      }),
  };
}

/** The tables others reference are emptied last. */
function weight(table: string): number {
  return table === 'leads' || table === 'portals' ? 1 : 0;
}

async function admin(url: string, use: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await use(client);
  } finally {
    await client.end();
  }
}
