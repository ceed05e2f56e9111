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

  it('numbers the migrations 1, 2, 3… with no gap', () => {
    expect(MIGRATIONS.map((m) => m.id)).toEqual(MIGRATIONS.map((_, i) => i + 1));
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
      { id: MIGRATIONS.length + 1, name: 'from the future', sql: 'SELECT 1' },
    ]);
    db.close();

    expect(() => new SqliteLeadStore(file)).toThrow(/newer than this Prozvon knows/);
  });

  it('rolls a failing migration back entirely', () => {
    const db = new DatabaseSync(':memory:');
    const broken = [
      ...MIGRATIONS,
      { id: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE x (a); NOT SQL' },
    ];
    expect(() => applyMigrations(db, broken)).toThrow();
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('x', 'leads')`).all()).toEqual([]);
    db.close();
  });
});
