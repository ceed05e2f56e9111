import type { Pool } from 'pg';
import {
  COUNTED_ROLLUPS_PG_SQL,
  DASHBOARD_ROLLUPS_PG_SQL,
  STABLE_ROLLUP_HELPERS_PG_SQL,
} from './dashboard-rollups.js';
import { FOLDED_ROLLUPS_PG_SQL } from './dashboard-rollups-folded.js';

/**
 * Numbered migrations, recorded in `prozvon_migrations` as the SQLite store's are (and as
 * graphile-worker does): a released migration is never edited, a change is a new entry. Ids are
 * unique, need not be contiguous, and every id not yet recorded is applied in id order.
 *
 * The PostgreSQL set starts from the SQLite store's schema as it stands (its migration 12), not
 * from its history: there is no PostgreSQL database of an older Prozvon to bring forward.
 */
export interface PgMigration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    id: 1,
    name: 'leads, effects and audit',
    // Times are bigint milliseconds (a fraction is refused, as SQLite's STRICT tables refuse it);
    // JSON is `json`, kept as written (no reordering, no \u0000 refusal as jsonb would). Ids and
    // states sort in "C" collation: byte order, as SQLite and the in-memory store sort them.
    sql: `
      CREATE TABLE leads (
        id text COLLATE "C" PRIMARY KEY,
        tenant_id text COLLATE "C" NOT NULL,
        ref text COLLATE "C",
        crm_state text COLLATE "C" NOT NULL,
        call_state text COLLATE "C" NOT NULL,
        snapshot json NOT NULL,
        wake_at bigint,
        finished boolean NOT NULL,
        submitted_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        version integer NOT NULL,
        lease_owner text,
        lease_until bigint,
        -- The replay rule (insertLead): the body's hash and the states it answered with.
        body_hash text,
        answer_crm_state text,
        answer_call_state text,
        -- The adoption rule: at most one lead per tenant and adopted CRM lead, ever.
        adopted_crm_lead_id text COLLATE "C"
      ) WITH (fillfactor = 80);
      -- The ref rule: at most one unfinished lead per tenant and ref.
      CREATE UNIQUE INDEX leads_unfinished_ref ON leads (tenant_id, ref) WHERE NOT finished AND ref IS NOT NULL;
      CREATE INDEX leads_by_ref ON leads (tenant_id, ref, submitted_at) WHERE ref IS NOT NULL;
      CREATE UNIQUE INDEX leads_adopted_crm_lead ON leads (tenant_id, adopted_crm_lead_id)
        WHERE adopted_crm_lead_id IS NOT NULL;
      -- listLeads: a tenant's leads newest first.
      CREATE INDEX leads_by_tenant ON leads (tenant_id, submitted_at, id);
      -- claimDueLeads and nextDueAt: unfinished leads with a wake-up, in claim order.
      CREATE INDEX leads_due ON leads (wake_at, submitted_at) WHERE NOT finished AND wake_at IS NOT NULL;

      CREATE TABLE effects (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key text NOT NULL UNIQUE,
        lead_id text COLLATE "C" NOT NULL REFERENCES leads (id),
        tenant_id text COLLATE "C" NOT NULL,
        kind text COLLATE "C" NOT NULL,
        paid boolean NOT NULL,
        params json NOT NULL,
        available_at bigint NOT NULL,
        priority bigint NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'started', 'done', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        lease_owner text,
        lease_until bigint,
        result json NOT NULL DEFAULT 'null',
        created_at bigint NOT NULL,
        finished_at bigint
      ) WITH (fillfactor = 80);
      CREATE INDEX effects_by_lead ON effects (lead_id, id);
      -- claimEffects: pending effects in claim order, and abandoned idempotent ones.
      CREATE INDEX effects_pending ON effects (priority, id) WHERE status = 'pending';
      CREATE INDEX effects_started_idempotent ON effects (priority, id) WHERE status = 'started' AND NOT paid;
      -- nextDueAt and the cheap "is anything abandoned?" questions, one index seek each.
      CREATE INDEX effects_pending_available ON effects (available_at) WHERE status = 'pending';
      CREATE INDEX effects_started_lease ON effects (lease_until) WHERE status = 'started' AND NOT paid;
      CREATE INDEX effects_started_paid_lease ON effects (lease_until) WHERE status = 'started' AND paid;

      -- The entries of one write of one lead share a row, a JSON array of [at, type, key, detail];
      -- an entry's id is its row's id × 1,024 plus its place in the row (as in SQLite).
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id text COLLATE "C" NOT NULL REFERENCES leads (id),
        entries json NOT NULL
      );
      CREATE INDEX audit_log_by_lead ON audit_log (lead_id, id);
      -- A callback naming a lead that does not exist is on record too (recordAudit).
      CREATE TABLE stray_audit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id text COLLATE "C" NOT NULL,
        at bigint NOT NULL,
        type text NOT NULL,
        key text,
        detail json NOT NULL
      );
      CREATE INDEX stray_audit_by_lead ON stray_audit (lead_id, id);
    `,
  },
  {
    id: 2,
    name: 'pending calls',
    // The voice adapter's memory of a call in flight (ports/pending-calls.ts), pruned by age.
    sql: `
      CREATE TABLE pending_calls (
        call_id text PRIMARY KEY,
        key text NOT NULL,
        lead_id text NOT NULL,
        attempt integer NOT NULL,
        phone text NOT NULL,
        caller_id text NOT NULL,
        customer_name text NOT NULL,
        scenario_id text NOT NULL,
        created_at bigint NOT NULL,
        session_id text
      );
      CREATE INDEX pending_calls_by_age ON pending_calls (created_at);
    `,
  },
  {
    id: 3,
    name: 'abuse counters and refusals',
    // Fixed-window counters shared by every instance on the database: one row per window, locked
    // by the upsert that reads it, so two instances never both pass a limit.
    sql: `
      CREATE TABLE counters (
        key text PRIMARY KEY,
        total bigint NOT NULL,
        until bigint NOT NULL
      );
      CREATE INDEX counters_until ON counters (until);
      CREATE TABLE refusals (
        tenant_id text COLLATE "C" NOT NULL,
        reason text COLLATE "C" NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (tenant_id, reason)
      );
    `,
  },
  {
    id: 4,
    name: 'dashboard columns of a lead',
    // The dashboard's figures (the SDK's ports/lead-facts.ts) as columns the engine fills as a lead
    // moves, as the SQLite store's migration 13 adds them. No PostgreSQL database holds leads from
    // before them (this store is newer than they are), so none is filled from snapshots here.
    //
    // leads_dashboard: every dashboard statement reads one tenant's period, one range of its key,
    // and finds every column it reads in the index (INCLUDE), so a vacuumed table is not read at
    // all (an index-only scan). Its included columns change rarely (a decision that sets an
    // outcome or a first ring), so most updates of a lead leave it as it is.
    sql: `
      ALTER TABLE leads
        ADD COLUMN partner text COLLATE "C",
        ADD COLUMN partner_name text COLLATE "C",
        ADD COLUMN site text COLLATE "C",
        ADD COLUMN order_sum double precision,
        ADD COLUMN currency text COLLATE "C",
        ADD COLUMN first_ring_at bigint,
        ADD COLUMN answered_at bigint,
        ADD COLUMN outcome text COLLATE "C"
          CHECK (outcome IN ('answered', 'machine', 'no_answer', 'invalid', 'manual')),
        ADD COLUMN machine_person_at bigint,
        ADD COLUMN machine_person_by text;
      CREATE INDEX leads_dashboard ON leads (tenant_id, submitted_at)
        INCLUDE (partner, site, currency, order_sum, outcome, first_ring_at, answered_at,
                 machine_person_at, partner_name);
    `,
  },
  {
    id: 5,
    name: 'pruned leads',
    // Finished leads whose audit trail and outbox rows were deleted (pruneFinished), as the SQLite
    // store's migration 14: the partial index holds only the finished leads still to prune, in the
    // order they go, so each batch is one short walk of it.
    sql: `
      ALTER TABLE leads ADD COLUMN pruned boolean NOT NULL DEFAULT false;
      CREATE INDEX leads_prunable ON leads (submitted_at) WHERE finished AND NOT pruned;
    `,
  },
  {
    // Numbered 10, not 6: ids need not be contiguous (applyPgMigrations applies every id not
    // recorded, in order), and a migration written alongside takes the next small number.
    id: 10,
    name: 'dashboard rollups',
    // The dashboard summed from rollups kept by triggers on leads, as the SQLite store's
    // migration 14 (dashboard-rollups.ts), and the rollups of the leads stored before it.
    sql: DASHBOARD_ROLLUPS_PG_SQL,
  },
  {
    id: 11,
    name: 'dashboard rollups of counted leads',
    // The rollups hold a lead once it has an outcome or is finished, as the SQLite store's since
    // its migration 21; the leads in progress are read from the covering partial index
    // leads_dashboard_open (dashboard-rollups.ts, COUNTED_ROLLUPS_PG_SQL). Rebuilt here.
    sql: COUNTED_ROLLUPS_PG_SQL,
  },
  {
    id: 12,
    name: 'dashboard rollup helpers inlined',
    // The rollups' jsonb helpers declared STABLE, so the triggers' statements inline them instead
    // of running each as a SQL function planned at every call (dashboard-rollups.ts).
    sql: STABLE_ROLLUP_HELPERS_PG_SQL,
  },
  {
    id: 13,
    name: 'pending effects by tenant',
    // A capped claim's pick (claimCapped: one tenant's first pending effects in claim order, up
    // to its room) found by the tenant, in order, never sorted. Without it a generic plan planned
    // before the table was analyzed (a write transaction's, for a hand-off) read every pending
    // effect through effects_pending_available and sorted them: 8 ms a call behind a morning's
    // 10,000 pending dials. Pending rows are few in steady state (most effects are stored
    // claimed), so the index costs little to keep.
    sql: `
      CREATE INDEX effects_pending_by_tenant ON effects (tenant_id, priority, id) WHERE status = 'pending';
    `,
  },
  {
    id: 14,
    name: 'effects queued by an instance',
    // The instance that queued a pending effect (its connections' prozvon.instance, pool.ts): its
    // claims take it at once, another's only after TAKEOVER_MS (statements.ts). The rows from
    // before have none: anyone's at once. The index finds an instance's first pending effect in
    // time (nextDueAt).
    sql: `
      ALTER TABLE effects ADD COLUMN queued_by text;
      ALTER TABLE effects ALTER COLUMN queued_by SET DEFAULT current_setting('prozvon.instance', true);
      CREATE INDEX effects_pending_queued ON effects (queued_by, available_at) WHERE status = 'pending';
    `,
  },
  {
    id: 15,
    name: 'dashboard rollups folded at the commit',
    // The rollups written once per transaction, each row once, from what its statements staged,
    // instead of once per lead by a deferred row trigger (dashboard-rollups-folded.ts). The rows
    // are kept as they are: what they hold is unchanged.
    sql: FOLDED_ROLLUPS_PG_SQL,
  },
  {
    id: 16,
    name: 'started effects by tenant',
    // A shop's calls in flight (a capped claim, EffectClaim cap) counted from its own started
    // effects of the kind. Through the lease indexes (lease_until) the count read every effect
    // started within a lease of every shop: a bitmap scan, which never marks the entries of rows
    // since finished as dead, so the heap was visited for each (6,000 entries, 1,200 pages, 1.5 ms
    // a count, twice a dial, behind 300 leads a second). Ordered by the shop and the kind, the
    // count walks its own entries, and a plain index scan marks those of finished rows as it
    // passes them, so later counts step over them without reading the heap.
    sql: `
      CREATE INDEX effects_started_by_tenant ON effects (tenant_id, kind, lease_until)
        WHERE status = 'started';
    `,
  },
];

export const PG_MIGRATIONS_TABLE = 'prozvon_migrations';

const PLAIN_NAME = /^[a-z_][a-z0-9_]*$/;

/** Refuses a name that would be interpolated into SQL unless it is a plain lower-case identifier. */
export function plainName(what: string, name: string): string {
  if (!PLAIN_NAME.test(name))
    throw new Error(`${what} ${JSON.stringify(name)} is not a plain lower-case name`);
  return name;
}

/**
 * Applies every one of `migrations` the database has not recorded, in id order, in one
 * transaction under an advisory lock: two processes starting at once wait for each other, and
 * the second finds everything recorded. `schema` (when the pool's connections have it as their
 * search_path) is created first, under the same lock. Refuses a database that recorded a migration
 * this Prozvon does not know (a newer one migrated it). Returns the ids applied.
 *
 * `table` records the set: another set in the same schema (the Bitrix24 app's portals) keeps its
 * own table, since a set refuses any id it does not know.
 */
export async function applyPgMigrations(
  pool: Pool,
  options: { migrations?: readonly PgMigration[]; table?: string; schema?: string | null } = {},
): Promise<number[]> {
  const { migrations = PG_MIGRATIONS, table = PG_MIGRATIONS_TABLE, schema = null } = options;
  plainName('migrations table', table);
  if (schema !== null) plainName('schema', schema);
  const ordered = [...migrations].sort((a, b) => a.id - b.id);
  const known = new Set<number>();
  for (const { id } of ordered) {
    if (known.has(id)) throw new Error(`migration ${id} is listed twice`);
    known.add(id);
  }
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Transaction-scoped: released by COMMIT or ROLLBACK, even if this process dies mid-way.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `prozvon:migrate:${schema ?? '(search_path)'}:${table}`,
    ]);
    if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (
      id integer PRIMARY KEY,
      name text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const recorded = new Set(
      (await client.query(`SELECT id FROM ${table}`)).rows.map((row) => Number(row.id)),
    );
    const unknown = [...recorded].filter((id) => !known.has(id)).sort((a, b) => a - b);
    if (unknown.length > 0) {
      const last = ordered.at(-1)?.id ?? 0;
      throw new Error(
        `the database has migration ${unknown.join(', ')}, newer than this Prozvon knows (up to ${last})`,
      );
    }
    const applied: number[] = [];
    for (const migration of ordered) {
      if (recorded.has(migration.id)) continue;
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${table} (id, name, applied_at) VALUES ($1, $2, $3)`, [
        migration.id,
        migration.name,
        Date.now(),
      ]);
      applied.push(migration.id);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
