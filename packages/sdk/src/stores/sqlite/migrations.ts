import type { DatabaseSync } from 'node:sqlite';
import { retryBusySync } from './busy-retry.js';
import { immediate } from './connection.js';
import { COUNTED_ROLLUPS_SQL, DASHBOARD_ROLLUPS_SQL } from './dashboard-rollups.js';

/**
 * Numbered migrations, recorded in `prozvon_migrations`, as graphile-worker does. A released
 * migration is never edited: a change is a new entry. Ids are unique and need not be contiguous:
 * branches worked on side by side take ids in advance, and one merged later may carry a lower id
 * than one a database already ran. Every id not yet recorded is applied, in id order, so such a
 * migration must not depend on a higher one.
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
  {
    id: 7,
    name: 'orphaned paid effects by lease',
    // A paid effect left started by a dead worker is closed (never performed again) once its
    // lease runs out; nextDueAt arms the timer for that instant. One index seek for each question.
    sql: `
      CREATE INDEX effects_started_paid_lease ON effects (lease_until) WHERE status = 'started' AND paid = 1;
    `,
  },
  {
    id: 8,
    name: 'pending calls',
    // The voice adapter's memory of a call in flight (ports/pending-calls.ts), here so that a
    // restart does not lose the plan a scenario is about to ask for. No foreign key to leads: a
    // call is looked up by the reference the provider carries, and pruned by age alone.
    sql: `
      CREATE TABLE pending_calls (
        call_id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        lead_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        phone TEXT NOT NULL,
        caller_id TEXT NOT NULL,
        customer_name TEXT NOT NULL,
        scenario_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        session_id TEXT
      ) STRICT, WITHOUT ROWID;
      -- The prune on every save: one seek finds that nothing is older than the TTL.
      CREATE INDEX pending_calls_by_age ON pending_calls (created_at);
    `,
  },
  {
    id: 9,
    name: 'replay of a retried request',
    // A shop's retry of a request (same ref, same body) within 24 hours is answered as the first
    // time (insertLead's replay): the lead keeps its body's hash and the states it answered with.
    // The lookup finds a ref's newest leads, finished or not, by leads_by_ref; leads without a
    // ref, bulk-imported ones included, are not in it.
    sql: `
      ALTER TABLE leads ADD COLUMN body_hash TEXT;
      ALTER TABLE leads ADD COLUMN answer_crm_state TEXT;
      ALTER TABLE leads ADD COLUMN answer_call_state TEXT;
      CREATE INDEX leads_by_ref ON leads (tenant_id, ref, submitted_at) WHERE ref IS NOT NULL;
    `,
  },
  {
    id: 10,
    name: 'abuse counters and refusals',
    // Fixed-window counters of the abuse guard, shared by every instance on the file. The key
    // names the window, so a counter is one row, upserted; past `until` it is dead and purged a
    // few at a time through counters_until. Refusals are per tenant and reason, for stats().
    sql: `
      CREATE TABLE counters (
        key TEXT PRIMARY KEY,
        total INTEGER NOT NULL,
        until INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX counters_until ON counters (until);
      CREATE TABLE refusals (
        tenant_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, reason)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    id: 11,
    name: 'leads adopted from a CRM lead',
    // A lead that already exists in the CRM is adopted at most once per tenant, forever: the CRM's
    // event and the app's drain of missed events both bring it, maybe a month apart. The unique
    // index is the rule itself (insertLead reads it first, inside its transaction, to answer with
    // the lead it finds); only adopted leads are in it, not those Prozvon created in the CRM.
    sql: `
      ALTER TABLE leads ADD COLUMN adopted_crm_lead_id TEXT;
      CREATE UNIQUE INDEX leads_adopted_crm_lead ON leads (tenant_id, adopted_crm_lead_id)
        WHERE adopted_crm_lead_id IS NOT NULL;
    `,
  },
  {
    id: 12,
    name: 'leads of a tenant, newest first',
    // The app's lead list (listLeads): a tenant's leads by submit time, walked backwards from the
    // cursor and cut at the page size, without a sort; a state filter is checked on the rows
    // walked. No earlier index starts with tenant_id but leads_by_ref, which holds only leads
    // with a ref.
    sql: `
      CREATE INDEX leads_by_tenant ON leads (tenant_id, submitted_at, id);
    `,
  },
  {
    id: 13,
    name: 'dashboard columns of a lead',
    // The dashboard's figures (ports/lead-facts.ts) as columns the engine fills as a lead moves,
    // so a tenant's period is counted in SQL. The new columns sit after the snapshot in the row,
    // where reading them means reading the snapshot's overflow pages: leads_dashboard holds every
    // column the dashboard reads, so its queries walk the index alone (a tenant's period is one
    // range of it) and never the table. Decisions that change none of these columns (nearly all
    // of them) do not touch it.
    //
    // Leads stored before are filled from what their row holds: the lead as submitted and its
    // state from the snapshot, the first ring and the pick-up from the events on the audit trail
    // (the first DIAL_STARTED — or, for an attempt whose dial failed ambiguously and yet reported,
    // the first DIAL_FAILED —, the answered result's instant less the call's duration).
    sql: `
      ALTER TABLE leads ADD COLUMN partner TEXT;
      ALTER TABLE leads ADD COLUMN partner_name TEXT;
      ALTER TABLE leads ADD COLUMN site TEXT;
      ALTER TABLE leads ADD COLUMN order_sum REAL;
      ALTER TABLE leads ADD COLUMN currency TEXT;
      ALTER TABLE leads ADD COLUMN first_ring_at INTEGER;
      ALTER TABLE leads ADD COLUMN answered_at INTEGER;
      ALTER TABLE leads ADD COLUMN outcome TEXT
        CHECK (outcome IN ('answered', 'machine', 'no_answer', 'invalid', 'manual'));
      ALTER TABLE leads ADD COLUMN machine_person_at INTEGER;
      ALTER TABLE leads ADD COLUMN machine_person_by TEXT;

      UPDATE leads SET
        partner = CASE WHEN json_type(snapshot, '$.context.lead.partnerCode') = 'text'
                       THEN json_extract(snapshot, '$.context.lead.partnerCode') END,
        partner_name = CASE WHEN json_type(snapshot, '$.context.partner.name') = 'text'
                            THEN json_extract(snapshot, '$.context.partner.name') END,
        site = CASE WHEN json_type(snapshot, '$.context.lead.site') = 'text'
                    THEN json_extract(snapshot, '$.context.lead.site') END,
        order_sum = CASE WHEN json_type(snapshot, '$.context.lead.orderSum') IN ('integer', 'real')
                         THEN json_extract(snapshot, '$.context.lead.orderSum') END,
        currency = CASE WHEN json_type(snapshot, '$.context.lead.currency') = 'text'
                        THEN json_extract(snapshot, '$.context.lead.currency') END,
        outcome = CASE call_state
          WHEN 'call.answered' THEN 'answered'
          WHEN 'call.machine' THEN 'machine'
          WHEN 'call.invalid' THEN 'invalid'
          WHEN 'call.manual' THEN
            CASE WHEN json_extract(snapshot, '$.context.manualReason') = 'no_answer' THEN 'no_answer'
                 ELSE 'manual' END
          END
      WHERE json_valid(snapshot);

      CREATE TEMP TABLE lead_events AS
        SELECT a.lead_id AS lead_id, a.id AS row_id, CAST(e.key AS INTEGER) AS place,
               json_extract(e.value, '$[0]') AS at,
               json_extract(e.value, '$[3].event') AS event,
               json_extract(e.value, '$[3].report.outcome') AS outcome,
               json_extract(e.value, '$[3].report.durationSec') AS duration_sec
        FROM audit_log AS a, json_each(a.entries) AS e
        WHERE json_valid(a.entries) AND json_extract(e.value, '$[1]') = 'event'
          AND json_extract(e.value, '$[3].event')
              IN ('DIAL_STARTED', 'DIAL_FAILED', 'CALL_RESULT', 'RECONCILED');
      CREATE INDEX temp.lead_events_by_lead ON lead_events (lead_id, event);

      UPDATE leads SET first_ring_at = COALESCE(
        (SELECT MIN(at) FROM lead_events WHERE lead_id = leads.id AND event = 'DIAL_STARTED'),
        CASE WHEN EXISTS (SELECT 1 FROM lead_events
                          WHERE lead_id = leads.id AND event IN ('CALL_RESULT', 'RECONCILED')
                            AND outcome IS NOT NULL)
             THEN (SELECT MIN(at) FROM lead_events WHERE lead_id = leads.id AND event = 'DIAL_FAILED')
        END)
      WHERE id IN (SELECT lead_id FROM lead_events);

      UPDATE leads SET answered_at = (
        SELECT at - CAST(ROUND(COALESCE(duration_sec, 0) * 1000) AS INTEGER) FROM lead_events
        WHERE lead_id = leads.id AND event IN ('CALL_RESULT', 'RECONCILED') AND outcome = 'answered'
        ORDER BY row_id, place LIMIT 1)
      WHERE call_state = 'call.answered';
      -- A pick-up is never before the ring, nor the ring before the submit.
      UPDATE leads SET answered_at = MAX(answered_at, COALESCE(first_ring_at, submitted_at))
      WHERE answered_at IS NOT NULL;
      DROP TABLE temp.lead_events;

      -- Every dashboard query reads one tenant's period: one range of this index, which holds
      -- every column they read (a covering index).
      CREATE INDEX leads_dashboard ON leads (tenant_id, submitted_at, partner, site, currency, order_sum,
        outcome, first_ring_at, answered_at, machine_person_at, partner_name);
    `,
  },
  {
    id: 14,
    name: 'dashboard rollups',
    // A period's figures summed from rollups per day and per 32 days (per partner and per site)
    // and per 15 minutes (the chart's days), kept by triggers on leads, instead of aggregating
    // every lead of the period (2.5 s for a year of a million): dashboard-rollups.ts. The rollups
    // of the leads stored before are built here.
    sql: DASHBOARD_ROLLUPS_SQL,
  },
  {
    // Numbered apart from 14 on: branches merged in any order keep distinct ids (the runner
    // applies every id it has not recorded, lowest first).
    id: 20,
    name: 'retention of finished leads',
    // Finished leads whose audit trail and outbox rows were deleted (pruneFinished); the
    // partial index holds only the finished leads still to prune, in the order they go.
    sql: `
      ALTER TABLE leads ADD COLUMN pruned INTEGER NOT NULL DEFAULT 0 CHECK (pruned IN (0, 1));
      CREATE INDEX leads_prunable ON leads (submitted_at) WHERE finished = 1 AND pruned = 0;
    `,
  },
  {
    id: 21,
    name: 'dashboard rollups of counted leads',
    // The rollups hold a lead once it has an outcome or is finished, the leads in progress being
    // read from the leads (dashboard-rollups.ts, COUNTED_ROLLUPS_SQL): rebuilt here.
    sql: COUNTED_ROLLUPS_SQL,
  },
];

/** The table the engine's own migrations are recorded in. */
export const MIGRATIONS_TABLE = 'prozvon_migrations';

/**
 * Applies every one of `migrations` the database has not recorded, in id order, in one IMMEDIATE
 * transaction, so two processes opening one file at once apply each migration once. Refuses a
 * database that recorded a migration this Prozvon does not know (a newer one migrated it).
 * Returns the ids applied. Another process holding the write lock past the busy timeout (its own
 * migration, a long write) is waited for, within `busyRetryMs`.
 *
 * `table` records the set: another set in the same file (the Bitrix24 app's portals) keeps its own
 * table, since a set refuses any id it does not know and so could not share one with another.
 */
export function applyMigrations(
  db: DatabaseSync,
  migrations: readonly Migration[] = MIGRATIONS,
  busyRetryMs = 60_000,
  table = MIGRATIONS_TABLE,
): number[] {
  // Interpolated into SQL below: only a plain identifier.
  if (!/^[a-z_][a-z0-9_]*$/.test(table))
    throw new Error(`migrations table ${JSON.stringify(table)} is not a plain name`);
  return retryBusySync(() => migrate(db, migrations, table), busyRetryMs);
}

function migrate(db: DatabaseSync, migrations: readonly Migration[], table: string): number[] {
  const ordered = [...migrations].sort((a, b) => a.id - b.id);
  const known = new Set<number>();
  for (const { id } of ordered) {
    if (known.has(id)) throw new Error(`migration ${id} is listed twice`);
    known.add(id);
  }
  return immediate(db, () => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    // Not "everything above the highest recorded id": that skipped a lower id merged later.
    const recorded = new Set(
      db
        .prepare(`SELECT id FROM ${table}`)
        .all()
        .map((row) => Number(row.id)),
    );
    const unknown = [...recorded].filter((id) => !known.has(id)).sort((a, b) => a - b);
    if (unknown.length > 0) {
      const last = ordered.at(-1)?.id ?? 0;
      throw new Error(
        `the database has migration ${unknown.join(', ')}, newer than this Prozvon knows (up to ${last})`,
      );
    }
    const record = db.prepare(`INSERT INTO ${table} (id, name, applied_at) VALUES (?, ?, ?)`);
    const applied: number[] = [];
    for (const migration of ordered) {
      if (recorded.has(migration.id)) continue;
      db.exec(migration.sql);
      record.run(migration.id, migration.name, Date.now());
      applied.push(migration.id);
    }
    return applied;
  });
}
