import type { DatabaseSync } from 'node:sqlite';
import { retryBusySync } from './busy-retry.js';
import { immediate } from './connection.js';

/**
 * Numbered migrations, applied in order and recorded in `prozvon_migrations`, as graphile-worker
 * does. A released migration is never edited: a change is a new entry at the end.
 */
export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'leads, effects and audit',
    // STRICT tables: SQLite refuses a value of the wrong type instead of storing it anyway.
    // JSON is TEXT; times are INTEGER milliseconds; booleans are 0/1.
    sql: `
      CREATE TABLE leads (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        ref TEXT,
        crm_state TEXT NOT NULL,
        call_state TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        wake_at INTEGER,
        finished INTEGER NOT NULL CHECK (finished IN (0, 1)),
        submitted_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL,
        lease_owner TEXT,
        lease_until INTEGER
      ) STRICT;
      -- The ref rule: at most one unfinished lead per tenant and ref. A finished lead leaves the
      -- index, so its ref may be used again.
      CREATE UNIQUE INDEX leads_unfinished_ref ON leads (tenant_id, ref) WHERE finished = 0 AND ref IS NOT NULL;

      CREATE TABLE effects (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        lead_id TEXT NOT NULL REFERENCES leads (id),
        tenant_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        paid INTEGER NOT NULL CHECK (paid IN (0, 1)),
        params TEXT NOT NULL,
        available_at INTEGER NOT NULL,
        priority INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'started', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_until INTEGER,
        result TEXT NOT NULL DEFAULT 'null',
        created_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      -- Also the foreign key's index; rowid order within a lead is creation order.
      CREATE INDEX effects_by_lead ON effects (lead_id);

      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        lead_id TEXT NOT NULL REFERENCES leads (id),
        at INTEGER NOT NULL,
        type TEXT NOT NULL,
        key TEXT,
        detail TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_by_lead ON audit (lead_id);
    `,
  },
  {
    id: 2,
    name: 'scheduler indexes',
    // Partial indexes hold only the rows the scheduler looks for, so a million finished or idle
    // leads cost the claim queries nothing. Each matches one statement in statements.ts.
    sql: `
      -- claimDueLeads and nextDueAt: unfinished leads with a wake-up, in claim order.
      CREATE INDEX leads_due ON leads (wake_at, submitted_at) WHERE finished = 0 AND wake_at IS NOT NULL;
      -- claimEffects: pending effects in (priority, id) order (the rowid ends every index).
      CREATE INDEX effects_pending ON effects (priority) WHERE status = 'pending';
      -- claimEffects: idempotent effects whose worker may have died.
      CREATE INDEX effects_started_idempotent ON effects (priority) WHERE status = 'started' AND paid = 0;
      -- nextDueAt: the earliest pending effect.
      CREATE INDEX effects_pending_available ON effects (available_at) WHERE status = 'pending';
    `,
  },
  {
    id: 3,
    name: 'pending effects by kind and tenant',
    // claimEffects' second path: when the first rows in priority order are all filtered out (the
    // morning herd: thousands of dials of a shop at its limit of calls in flight), it visits each
    // (kind, tenant) group once instead of walking every pending row (effect-picker.ts).
    sql: `
      CREATE INDEX effects_pending_group ON effects (kind, tenant_id, priority) WHERE status = 'pending';
    `,
  },
  {
    id: 4,
    name: 'abandoned effects by lease',
    // claimEffects asks on every claim whether a dead worker left an idempotent effect behind.
    // Nearly always none has, but effects_started_idempotent holds every effect in flight (128 on
    // a busy instance), and finding that none of them expired meant reading them all. By lease
    // expiry, the answer is one index seek.
    sql: `
      CREATE INDEX effects_started_lease ON effects (lease_until) WHERE status = 'started' AND paid = 0;
    `,
  },
  {
    id: 5,
    name: 'audit of unknown leads',
    // The audit table references leads, and rightly: but a callback naming a lead that does not
    // exist must be on record too (recordAudit), under the id it named.
    sql: `
      CREATE TABLE stray_audit (
        id INTEGER PRIMARY KEY,
        lead_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        type TEXT NOT NULL,
        key TEXT,
        detail TEXT NOT NULL
      ) STRICT;
      CREATE INDEX stray_audit_by_lead ON stray_audit (lead_id);
    `,
  },
  {
    id: 6,
    name: 'audit entries of a write in one row',
    // A lifecycle wrote 19 audit rows, each with its index entry and foreign-key check, in 7
    // writes: the entries of one write of one lead now share a row, a JSON array of
    // [at, type, key, detail]. An entry's id is its row's id × 1,024 plus its place in the row,
    // so the trail keeps its order; a row of the old table becomes a row of one entry.
    sql: `
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        lead_id TEXT NOT NULL REFERENCES leads (id),
        entries TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_by_lead ON audit_log (lead_id);
      INSERT INTO audit_log (id, lead_id, entries)
        SELECT id, lead_id, json_array(json_array(at, type, key, json(detail))) FROM audit ORDER BY id;
      DROP TABLE audit;
    `,
  },
];

/**
 * Brings the database up to the last of `migrations` in one IMMEDIATE transaction, so two
 * processes opening one file at once apply each migration once. Refuses a database that a newer
 * Prozvon already migrated further. Returns the ids applied. Another process holding the write
 * lock past the busy timeout (its own migration, a long write) is waited for, within `busyRetryMs`.
 */
export function applyMigrations(
  db: DatabaseSync,
  migrations: readonly Migration[] = MIGRATIONS,
  busyRetryMs = 60_000,
): number[] {
  return retryBusySync(() => migrate(db, migrations), busyRetryMs);
}

function migrate(db: DatabaseSync, migrations: readonly Migration[]): number[] {
  return immediate(db, () => {
    db.exec(`CREATE TABLE IF NOT EXISTS prozvon_migrations (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    const row = db.prepare('SELECT MAX(id) AS id FROM prozvon_migrations').get();
    const current = typeof row?.id === 'number' ? row.id : 0;
    const latest = migrations.at(-1)?.id ?? 0;
    if (current > latest) {
      throw new Error(`the database is at migration ${current}, newer than this Prozvon knows (${latest})`);
    }
    const record = db.prepare('INSERT INTO prozvon_migrations (id, name, applied_at) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.id <= current) continue;
      db.exec(migration.sql);
      record.run(migration.id, migration.name, Date.now());
      applied.push(migration.id);
    }
    return applied;
  });
}
