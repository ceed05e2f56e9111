import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { applyMigrations, MIGRATIONS } from '../../../src/stores/sqlite/migrations.js';
import { T0 } from '../lead-store-fixtures.js';
import { useTempDir } from './temp-dir.js';

const LATEST = Math.max(...MIGRATIONS.map((m) => m.id));
const applied = (db: DatabaseSync) =>
  db
    .prepare('SELECT id FROM prozvon_migrations ORDER BY id')
    .all()
    .map((row) => row.id);
const indexes = (db: DatabaseSync) =>
  db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all()
    .map((row) => row.name);

describe('SQLite migrations', () => {
  const dir = useTempDir();

  it('numbers the migrations in increasing order (a gap is allowed: another branch holds the id)', () => {
    const ids = MIGRATIONS.map((m) => m.id);
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
  });

  it('applies a migration merged later with a lower id than one already applied', () => {
    const db = new DatabaseSync(':memory:');
    const table = (id: number) => ({
      id,
      name: `table ${id}`,
      sql: `CREATE TABLE t${id} (a INTEGER) STRICT`,
    });
    // Branches apart: 8 is merged and applied, then 7 arrives.
    expect(applyMigrations(db, [table(1), table(8)])).toEqual([1, 8]);
    expect(applyMigrations(db, [table(1), table(7), table(8)])).toEqual([7]);
    expect(applied(db)).toEqual([1, 7, 8]);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 't7'`).all()).toHaveLength(1);
    expect(applyMigrations(db, [table(1), table(7), table(8)])).toEqual([]);
    db.close();
  });

  it('brings a database of the first schema up to date, keeping its leads', async () => {
    const file = join(dir(), 'old.db');
    const old = new DatabaseSync(file);
    expect(applyMigrations(old, MIGRATIONS.slice(0, 1))).toEqual([1]);
    old
      .prepare(
        `INSERT INTO leads (id, tenant_id, ref, crm_state, call_state, snapshot, wake_at, finished,
                            submitted_at, updated_at, version)
         VALUES ('l1', 'shop-1', 'r1', 'created', 'night', '{"attempt":1}', ?, 0, ?, ?, 3)`,
      )
      .run(T0 + 5, T0, T0 + 1);
    expect(indexes(old)).not.toContain('leads_due');
    old.close();

    const store = new SqliteLeadStore(file);
    expect(await store.getLead('l1')).toMatchObject({ snapshot: { attempt: 1 }, version: 3, wakeAt: T0 + 5 });
    expect((await store.claimDueLeads(T0 + 5, 10, 'w', 1_000)).map((l) => l.id)).toEqual(['l1']);
    await store.close();

    const db = new DatabaseSync(file);
    expect(applied(db)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(indexes(db)).toEqual(
      expect.arrayContaining([
        'leads_due',
        'effects_pending',
        'effects_started_idempotent',
        'effects_pending_available',
      ]),
    );
    db.close();
  });

  it('applies nothing twice: reopening and migrate() find nothing to do', async () => {
    const file = join(dir(), 'leads.db');
    const store = new SqliteLeadStore(file);
    await store.migrate();
    const other = new SqliteLeadStore(file);
    await other.close();
    await store.close();

    const db = new DatabaseSync(file);
    expect(applied(db)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(applyMigrations(db)).toEqual([]);
    db.close();
  });

  it('refuses a database migrated by a newer version', () => {
    const file = join(dir(), 'newer.db');
    const db = new DatabaseSync(file);
    applyMigrations(db, [...MIGRATIONS, { id: LATEST + 1, name: 'from the future', sql: 'SELECT 1' }]);
    db.close();

    expect(() => new SqliteLeadStore(file)).toThrow(/newer than this Prozvon knows/);
  });

  it('rolls a failing migration back entirely', () => {
    const db = new DatabaseSync(':memory:');
    const broken = [...MIGRATIONS, { id: LATEST + 1, name: 'broken', sql: 'CREATE TABLE x (a); NOT SQL' }];
    expect(() => applyMigrations(db, broken)).toThrow();
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('x', 'leads')`).all()).toEqual([]);
    db.close();
  });
});
