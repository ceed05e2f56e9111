import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPgMigrations, PG_MIGRATIONS, PostgresLeadStore } from '../src/index.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

const db = useFreshSchema();

describe.skipIf(!postgres.found)('migrations on PostgreSQL', () => {
  const pools: pg.Pool[] = [];
  const pool = (schema: string) => {
    const created = new pg.Pool({ connectionString: db.url(), max: 2, options: `-c search_path=${schema}` });
    pools.push(created);
    return created;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });

  it('two processes starting at once on an empty schema apply each migration once', async () => {
    const schema = `${db.schema()}_race`;
    try {
      const applied = await Promise.all(
        Array.from({ length: 4 }, () => applyPgMigrations(pool(schema), { schema })),
      );
      // One of them applied everything; the others, waiting on the advisory lock, found it done.
      expect(applied.flat().sort((x, y) => x - y)).toEqual(PG_MIGRATIONS.map((m) => m.id));
      const { rows } = await pool(schema).query('SELECT id FROM prozvon_migrations ORDER BY id');
      expect(rows.map((row) => Number(row.id))).toEqual(PG_MIGRATIONS.map((m) => m.id));
    } finally {
      await pool(schema).query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });

  it('applies an id merged later even when a higher one is recorded, and nothing twice', async () => {
    const schema = db.schema();
    const table = 'extra_migrations';
    const first = [
      { id: 1, name: 'a', sql: 'CREATE TABLE extra_a (x int)' },
      { id: 5, name: 'c', sql: 'CREATE TABLE extra_c (x int)' },
    ];
    expect(await applyPgMigrations(pool(schema), { schema, table, migrations: first })).toEqual([1, 5]);
    const later = [...first, { id: 3, name: 'b', sql: 'CREATE TABLE extra_b (x int)' }];
    expect(await applyPgMigrations(pool(schema), { schema, table, migrations: later })).toEqual([3]);
    expect(await applyPgMigrations(pool(schema), { schema, table, migrations: later })).toEqual([]);
  });

  it('refuses a database migrated by a newer Prozvon, and a failed migration leaves nothing', async () => {
    const schema = db.schema();
    const table = 'newer_migrations';
    await applyPgMigrations(pool(schema), {
      schema,
      table,
      migrations: [{ id: 9, name: 'x', sql: 'SELECT 1' }],
    });
    await expect(
      applyPgMigrations(pool(schema), { schema, table, migrations: [{ id: 1, name: 'a', sql: 'SELECT 1' }] }),
    ).rejects.toThrow(/migration 9, newer than this Prozvon knows/);

    const broken = [
      { id: 9, name: 'x', sql: 'SELECT 1' },
      { id: 10, name: 'ok', sql: 'CREATE TABLE half_done (x int)' },
      { id: 11, name: 'bad', sql: 'CREATE TABLE nope (' },
    ];
    await expect(applyPgMigrations(pool(schema), { schema, table, migrations: broken })).rejects.toThrow();
    const { rows } = await pool(schema).query(`SELECT to_regclass('half_done') AS t`);
    expect(rows[0]?.t).toBeNull();
  });

  it('names a wrong option in one line, before connecting', async () => {
    await expect(PostgresLeadStore.open({ url: 'mysql://x', schema: 'Bad-Name' })).rejects.toThrow(
      /@prozvon\/store-postgres: options\.url: Must be a postgres:\/\/ URL\n@prozvon\/store-postgres: options\.schema/,
    );
  });
});
