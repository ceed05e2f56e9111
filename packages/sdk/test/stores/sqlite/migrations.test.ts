import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { applyMigrations, MIGRATIONS } from '../../../src/stores/sqlite/migrations.js';
import { T0 } from '../lead-store-fixtures.js';
import { useTempDir } from './temp-dir.js';

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

  it('numbers the migrations in increasing order, each id once (a gap is allowed)', () => {
    const ids = MIGRATIONS.map((m) => m.id);
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
    expect(ids[0]).toBe(1);
  });

  // Branches merged in any order: one adds migration 9 while 7 and 8 are still on other branches.
  // A database that ran 9 must still get 7 and 8 once they are merged.
  const table = (id: number) => ({ id, name: `table ${id}`, sql: `CREATE TABLE t${id} (a INTEGER) STRICT` });

  it('applies a migration merged later with a lower id to a database already past it', () => {
    const db = new DatabaseSync(':memory:');
    expect(applyMigrations(db, [table(1), table(2), table(9)])).toEqual([1, 2, 9]);
    expect(applyMigrations(db, [table(1), table(2), table(7), table(8), table(9)])).toEqual([7, 8]);
    expect(applied(db)).toEqual([1, 2, 7, 8, 9]);
    expect(applyMigrations(db, [table(1), table(2), table(7), table(8), table(9)])).toEqual([]);
    db.close();
  });

  it('applies in id order whatever the order of the list, and refuses an id given twice', () => {
    const db = new DatabaseSync(':memory:');
    const logged = (id: number) => ({
      ...table(id),
      sql: `${table(id).sql}; INSERT INTO log VALUES (${id})`,
    });
    db.exec('CREATE TABLE log (id INTEGER)');
    expect(applyMigrations(db, [logged(9), logged(1), logged(7)])).toEqual([1, 7, 9]);
    const log = db.prepare('SELECT id FROM log ORDER BY rowid').all();
    expect(log.map((row) => row.id)).toEqual([1, 7, 9]);
    expect(() => applyMigrations(db, [table(1), table(1)])).toThrow(/migration 1 is listed twice/);
    db.close();
  });

  it('refuses a database that has a migration this Prozvon does not know, even below its last', () => {
    const db = new DatabaseSync(':memory:');
    applyMigrations(db, [table(1), table(7), table(9)]);
    expect(() => applyMigrations(db, [table(1), table(9)])).toThrow(/newer than this Prozvon knows/);
    db.close();
  });

  // The Bitrix24 app keeps its portals in the leads' file with a migration set of its own: each
  // set refuses ids it does not know, so each needs its own record.
  it('keeps a second migration set in its own table, so neither refuses the other', () => {
    const db = new DatabaseSync(':memory:');
    expect(applyMigrations(db, [table(1), table(2)])).toEqual([1, 2]);
    const other = (id: number) => ({
      id,
      name: `other ${id}`,
      sql: `CREATE TABLE o${id} (a INTEGER) STRICT`,
    });
    expect(applyMigrations(db, [other(1), other(5)], undefined, 'app_migrations')).toEqual([1, 5]);
    expect(applyMigrations(db, [table(1), table(2)])).toEqual([]);
    expect(applyMigrations(db, [other(1), other(5)], undefined, 'app_migrations')).toEqual([]);
    expect(applied(db)).toEqual([1, 2]);
    expect(() => applyMigrations(db, [], undefined, 'x; DROP TABLE t1')).toThrow(/not a plain name/);
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
    applyMigrations(db, [
      ...MIGRATIONS,
      { id: (MIGRATIONS.at(-1)?.id ?? 0) + 1, name: 'from the future', sql: 'SELECT 1' },
    ]);
    db.close();

    expect(() => new SqliteLeadStore(file)).toThrow(/newer than this Prozvon knows/);
  });

  it('rolls a failing migration back entirely', () => {
    const db = new DatabaseSync(':memory:');
    const broken = [
      ...MIGRATIONS,
      { id: (MIGRATIONS.at(-1)?.id ?? 0) + 1, name: 'broken', sql: 'CREATE TABLE x (a); NOT SQL' },
    ];
    expect(() => applyMigrations(db, broken)).toThrow();
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('x', 'leads')`).all()).toEqual([]);
    db.close();
  });
});
