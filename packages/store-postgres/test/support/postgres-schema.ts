import { randomBytes } from 'node:crypto';
import { findPostgres } from '@prozvon/testkit';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/** The server the PostgreSQL tests use, or why they are skipped (said once, on one line). */
export const postgres = findPostgres();
if (!postgres.found) console.warn(postgres.reason);

/**
 * A fresh schema for this test file, as graphile-worker's tests do: created before its tests,
 * dropped with everything in it after them, so files run side by side on one database without
 * seeing each other. Returns a getter for its name and the server's URL.
 */
export function useFreshSchema(prefix = 'prozvon_test'): { url: () => string; schema: () => string } {
  const schema = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = (): string => {
    if (!postgres.found) throw new Error(postgres.reason);
    return postgres.url;
  };
  beforeAll(async () => {
    if (!postgres.found) return;
    await admin(url(), `CREATE SCHEMA ${schema}`);
  });
  afterAll(async () => {
    if (!postgres.found) return;
    await admin(url(), `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });
  return { url, schema: () => schema };
}

/**
 * Empties every table of `schema` but the migrations' records. DELETE, not TRUNCATE: on tables of
 * a few rows it is a tenth of the time (TRUNCATE makes new files and syncs them at commit).
 */
export async function truncateSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename NOT LIKE '%migrations'`,
      [schema],
    );
    if (rows.length === 0) return;
    // Children before the leads they reference.
    const order = (name: string) => (name === 'leads' ? 1 : 0);
    const tables = rows.map((row) => String(row.tablename)).sort((a, b) => order(a) - order(b));
    await client.query(tables.map((table) => `DELETE FROM ${schema}.${table};`).join('\n'));
  } finally {
    await client.end();
  }
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
