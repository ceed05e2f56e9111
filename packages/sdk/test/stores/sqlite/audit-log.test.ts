import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { applyMigrations, MIGRATIONS } from '../../../src/stores/sqlite/migrations.js';
import { auditEntry, newLead, sameState, T0 } from '../lead-store-fixtures.js';
import { useTempDir } from './temp-dir.js';

const rowsOf = (file: string) => {
  const db = new DatabaseSync(file);
  try {
    return db.prepare('SELECT lead_id, entries FROM audit_log ORDER BY id').all();
  } finally {
    db.close();
  }
};

describe('the audit trail in SQLite: one row per write of a lead', () => {
  const dir = useTempDir();

  it('keeps the entries of one write in one row, and gives them back in order with rising ids', async () => {
    const file = join(dir(), 'leads.db');
    const store = new SqliteLeadStore(file);
    await store.insertLead(
      newLead('l1'),
      [],
      [auditEntry('l1', 1), auditEntry('l1', 2), auditEntry('l1', 3)],
    );
    await store.updateLead('l1', (lead) => sameState(lead, { audit: [auditEntry('l1', 4, { key: 'k' })] }), {
      audit: [auditEntry('l1', { event: 'X' }, { type: 'event', at: T0 + 1 })],
    });

    const trail = await store.getAudit('l1');
    expect(trail.map((entry) => entry.detail)).toEqual([1, 2, 3, { event: 'X' }, 4]);
    expect(trail.map((entry) => entry.id)).toEqual([...trail.map((entry) => entry.id)].sort((a, b) => a - b));
    expect(new Set(trail.map((entry) => entry.id)).size).toBe(5);
    expect(trail[3]).toMatchObject({ leadId: 'l1', at: T0 + 1, type: 'event', key: null });
    await store.close();
    // The insert's write and the update's write: two rows, not five.
    expect(rowsOf(file)).toHaveLength(2);
  });

  it('gives each lead of one recordAudit its own row, and an unknown id its stray entry', async () => {
    const file = join(dir(), 'leads.db');
    const store = new SqliteLeadStore(file);
    await store.insertLead(newLead('l1'), [], []);
    await store.insertLead(newLead('l2'), [], []);
    await store.recordAudit([auditEntry('l1', 'a'), auditEntry('ghost', 'g'), auditEntry('l2', 'b')]);

    expect((await store.getAudit('l1')).map((entry) => entry.detail)).toEqual(['a']);
    expect((await store.getAudit('l2')).map((entry) => entry.detail)).toEqual(['b']);
    expect((await store.getAudit('ghost')).map((entry) => entry.detail)).toEqual(['g']);
    await store.close();
    expect(rowsOf(file).map((row) => row.lead_id)).toEqual(['l1', 'l2']);
  });

  it('moves the rows of the old audit table over, in order, each as a row of one entry', async () => {
    const file = join(dir(), 'old.db');
    const old = new DatabaseSync(file, { enableForeignKeyConstraints: true });
    applyMigrations(
      old,
      MIGRATIONS.filter((migration) => migration.id <= 5),
    );
    old
      .prepare(
        `INSERT INTO leads (id, tenant_id, ref, crm_state, call_state, snapshot, wake_at, finished,
                            submitted_at, updated_at, version)
         VALUES ('l1', 'shop-1', NULL, 'created', 'night', '{}', NULL, 0, ?, ?, 1)`,
      )
      .run(T0, T0);
    const insert = old.prepare('INSERT INTO audit (lead_id, at, type, key, detail) VALUES (?, ?, ?, ?, ?)');
    insert.run('l1', T0, 'event', null, '{"event":"SUBMITTED"}');
    insert.run('l1', T0 + 1, 'effect', 'lead:l1:dial:1', '{"queued":"dial","n":[1,2.5,"т"]}');
    old.close();

    const store = new SqliteLeadStore(file);
    await store.recordAudit([auditEntry('l1', 'after', { at: T0 + 2 })]);
    expect(await store.getAudit('l1')).toEqual([
      { id: 1_024, leadId: 'l1', at: T0, type: 'event', key: null, detail: { event: 'SUBMITTED' } },
      {
        id: 2_048,
        leadId: 'l1',
        at: T0 + 1,
        type: 'effect',
        key: 'lead:l1:dial:1',
        detail: { queued: 'dial', n: [1, 2.5, 'т'] },
      },
      { id: 3_072, leadId: 'l1', at: T0 + 2, type: 'event', key: null, detail: 'after' },
    ]);
    await store.close();
  });
});
