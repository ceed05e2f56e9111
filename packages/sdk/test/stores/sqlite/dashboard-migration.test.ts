import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import type { LeadFacts } from '../../../src/ports/index.js';
import { SqliteLeadStore } from '../../../src/stores/sqlite/index.js';
import { applyMigrations, MIGRATIONS } from '../../../src/stores/sqlite/migrations.js';
import { startEngine } from '../../engine/harness.js';
import { driveFactScenarios } from '../../engine/lead-facts-scenarios.js';
import { useTempDir } from './temp-dir.js';

const DASHBOARD_MIGRATION = 13;

/** The leads table as it was before the dashboard's columns. */
const OLD_LEAD_COLUMNS = `id, tenant_id, ref, crm_state, call_state, snapshot, wake_at, finished, submitted_at,
  updated_at, version, lease_owner, lease_until, body_hash, answer_crm_state, answer_call_state,
  adopted_crm_lead_id`;

describe('SQLite migration 13: the dashboard columns of the leads stored before it', () => {
  const dir = useTempDir();
  let h: Awaited<ReturnType<typeof startEngine>> | undefined;
  afterEach(async () => {
    await h?.engine.stop();
    await h?.store.close();
    h = undefined;
  });

  it('fills them from the row and its audit trail as the engine fills them for new leads', async () => {
    // The engine runs each way a lead ends on today's schema, filling the columns as it goes…
    const liveFile = join(dir(), 'live.db');
    h = await startEngine({ store: new SqliteLeadStore(liveFile) });
    const ids = await driveFactScenarios(h);
    const leadIds = [ids.answered, ids.machine, ids.noAnswer, ids.invalid, ids.stopped, ids.inProgress];
    const live = new Map<string, LeadFacts | null>();
    for (const id of leadIds) live.set(id, await h.store.getLeadFacts(id));
    await h.engine.stop();
    await h.store.close();
    h = undefined;

    // …and the same rows, in a database of the schema before migration 13, are migrated.
    const oldFile = join(dir(), 'old.db');
    const old = new DatabaseSync(oldFile);
    applyMigrations(
      old,
      MIGRATIONS.filter((m) => m.id < DASHBOARD_MIGRATION),
    );
    old.exec(`ATTACH DATABASE '${liveFile}' AS live`);
    old.exec(`INSERT INTO main.leads (${OLD_LEAD_COLUMNS}) SELECT ${OLD_LEAD_COLUMNS} FROM live.leads`);
    old.exec('INSERT INTO main.audit_log SELECT * FROM live.audit_log');
    old.exec('DETACH DATABASE live');
    expect(old.prepare('SELECT COUNT(*) AS n FROM leads').get()?.n).toBe(leadIds.length);
    old.close();

    const migrated = new SqliteLeadStore(oldFile);
    try {
      for (const id of leadIds)
        expect({ id, facts: await migrated.getLeadFacts(id) }).toEqual({ id, facts: live.get(id) });
      // Not a column left empty by both: the live figures are the ones the scenarios make.
      expect(live.get(ids.answered)).toMatchObject({ partnerName: 'Блогер Иван', outcome: 'answered' });
      expect(live.get(ids.answered)?.answeredAt).not.toBeNull();
      expect(live.get(ids.noAnswer)).toMatchObject({ outcome: 'no_answer' });
      expect(live.get(ids.stopped)?.firstRingAt).not.toBeNull();
    } finally {
      await migrated.close();
    }
    const db = new DatabaseSync(oldFile);
    const index = db
      .prepare('SELECT name FROM sqlite_master WHERE type = ? AND name = ?')
      .get('index', 'leads_dashboard');
    db.close();
    expect(index?.name).toBe('leads_dashboard');
  });
});
