import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { parseSettings } from '../../config/settings-error.js';
import type { Dashboard, DashboardQuery } from '../../ports/dashboard.js';
import type {
  LeadFacts,
  LeadFactsUpdate,
  MachinePersonMark,
  MachinePersonResult,
} from '../../ports/lead-facts.js';
import {
  type AuditEntry,
  type CounterHit,
  type CountResult,
  type DeleteTenantOptions,
  type DueKind,
  type EffectCompletion,
  type EffectRow,
  type InFlightCaps,
  type InsertResult,
  type LeadListQuery,
  type LeadPage,
  type LeadStore,
  type LeadUpdate,
  type NewAuditEntry,
  type NewEffect,
  type NewLead,
  REPLAY_WINDOW_MS,
  type StoredLead,
  type StoreStats,
  type UpdateOptions,
  type UpdateResult,
} from '../../ports/lead-store.js';
import { PENDING_CALL_TTL_MS, type PendingCall } from '../../ports/pending-calls.js';
import { byLeadClaimOrder } from '../claim-order.js';
import { assertPruneArgs, deleteBatchSize } from '../delete-batch.js';
import { CapRoom } from '../in-flight-caps.js';
import { pageOf } from '../lead-page.js';
import { machinePersonAudit } from '../machine-person-audit.js';
import { queuedEffectRow } from '../queued-effect-row.js';
import { retryBusySync } from './busy-retry.js';
import { openDatabase, SOURCE } from './connection.js';
import { sqliteDashboard } from './dashboard-sql.js';
import { type Candidate, type EffectFilter, pickCandidates, pickEffects } from './effect-picker.js';
import { GroupCommit } from './group-commit.js';
import { applyMigrations } from './migrations.js';
import { pendingCallParams, toPendingCall } from './pending-call-rows.js';
import { PositionalStatement } from './positional-statement.js';
import {
  auditParams,
  auditRowParams,
  effectParams,
  leadParams,
  toAuditEntries,
  toAuditEntry,
  toEffectRow,
  toJsonText,
  toLeadFacts,
  toStoredLead,
} from './rows.js';
import { applyDecisionSql, SQL } from './statements.js';
import { WalCheckpointer } from './wal-checkpointer.js';

/** With a checkpointer: the WAL size (in 4 KiB pages, 16 MiB) past which the writer checkpoints
 *  itself. SQLite's default is 1,000. */
const WRITER_CHECKPOINT_PAGES = 4_000;
/** Dead abuse counters are purged every this many counts, at most PURGE_BATCH at a time. */
const PURGE_EVERY = 8;
const PURGE_BATCH = 128;

const optionsSchema = z.object({
  /** How long a writer waits for another process's write lock before failing. */
  busyTimeoutMs: z.number().int().min(0).default(5_000),
  /**
   * How long an open, a migration, a read or a group of writes is tried again, with back-off,
   * while the database stays busy past the busy timeout (busy-retry.ts); then StoreBusyError.
   */
  busyRetryMs: z.number().int().min(0).default(60_000),
  /**
   * How often a worker thread copies the WAL into the database file (wal-checkpointer.ts); 0
   * leaves it to SQLite's checkpoint inside the COMMIT, on the event loop. A file only.
   */
  checkpointEveryMs: z.number().int().min(0).default(100),
});

export type SqliteLeadStoreOptions = z.input<typeof optionsSchema>;

/**
 * The embedded LeadStore: one SQLite file (or `:memory:`) through `node:sqlite`. Every write runs
 * synchronously inside a BEGIN IMMEDIATE transaction, so within a process writes never interleave
 * and across processes SQLite's write lock orders them; the writes of one event-loop turn share
 * that transaction (group-commit.ts), each atomic on its own. Opening applies the migrations.
 */
export class SqliteLeadStore implements LeadStore {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, PositionalStatement>();
  readonly #writes: GroupCommit;
  readonly #checkpointer: WalCheckpointer | null = null;
  readonly #busyRetryMs: number;
  #countsSincePurge = 0;

  /** `path` is a file name or `:memory:`; the schema is brought up to date before this returns. */
  constructor(path: string, options: SqliteLeadStoreOptions = {}) {
    const { busyTimeoutMs, busyRetryMs, checkpointEveryMs } = parseSettings(
      optionsSchema,
      options,
      SOURCE,
      'options',
    );
    this.#busyRetryMs = busyRetryMs;
    this.#db = openDatabase(
      parseSettings(z.string().min(1), path, SOURCE, 'path'),
      busyTimeoutMs,
      busyRetryMs,
    );
    try {
      applyMigrations(this.#db, undefined, busyRetryMs);
    } catch (error) {
      this.#db.close();
      throw error;
    }
    this.#writes = new GroupCommit(this.#db, undefined, busyRetryMs);
    if (checkpointEveryMs > 0 && this.#db.prepare('PRAGMA journal_mode').get()?.journal_mode === 'wal') {
      // The writer's own checkpoint becomes the safety net, should the worker fall behind.
      this.#db.exec(`PRAGMA wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
      this.#checkpointer = new WalCheckpointer(path, checkpointEveryMs, busyTimeoutMs);
    }
  }

  /** Write transactions committed by this store since it opened (writes share them). */
  get commits(): number {
    return this.#writes.commits;
  }

  async migrate(): Promise<void> {
    applyMigrations(this.#db, undefined, this.#busyRetryMs);
  }

  async insertLead(
    lead: NewLead,
    effects: readonly NewEffect[],
    audit: readonly NewAuditEntry[],
  ): Promise<InsertResult> {
    return this.#writes.run((): InsertResult => {
      const adopted = this.#adoptedOf(lead);
      if (adopted) return adopted;
      const replay = this.#replayOf(lead);
      if (replay) return replay;
      if (lead.ref !== null && !lead.finished) {
        const existing = this.#stmt(SQL.unfinishedWithRef).get({ tenantId: lead.tenantId, ref: lead.ref });
        if (existing) return { inserted: false, existingLeadId: String(existing.id) };
      }
      this.#stmt(SQL.insertLead).run(leadParams(lead));
      const claimed = this.#writeEffects(effects, lead.submittedAt);
      this.#writeAudit(audit);
      return { inserted: true, claimed };
    });
  }

  /**
   * Bulk insert for benchmarks and imports, in one transaction: leads only, no effects or audit.
   * A ref clash or a duplicate id rejects the whole batch. Not part of the port. Returns the
   * number inserted; keep batches to some tens of thousands so the WAL stays small.
   */
  async insertLeads(leads: readonly NewLead[]): Promise<number> {
    return this.#writes.run(() => {
      const insert = this.#stmt(SQL.insertLead);
      for (const lead of leads) insert.run(leadParams(lead));
      return leads.length;
    });
  }

  async getLead(leadId: string): Promise<StoredLead | null> {
    const row = this.#read(() => this.#stmt(SQL.getLead).get(leadId));
    return row ? toStoredLead(row) : null;
  }

  async findAdoptedLead(tenantId: string, crmLeadId: string): Promise<string | null> {
    const row = this.#read(() => this.#stmt(SQL.adoptedLead).get({ tenantId, crmLeadId }));
    return row ? String(row.id) : null;
  }

  async listLeads(tenantId: string, query: LeadListQuery): Promise<LeadPage> {
    // The page's upper bound: the cursor, or `to` (exclusive: `(to, '')` is below every id at to).
    const to = query.to ?? Number.MAX_SAFE_INTEGER;
    const { cursor } = query;
    const before =
      cursor !== undefined && cursor.submittedAt < to
        ? { beforeAt: cursor.submittedAt, beforeId: cursor.id }
        : { beforeAt: to, beforeId: '' };
    const states =
      query.states !== undefined && query.states.length > 0 ? JSON.stringify(query.states) : null;
    const rows = this.#read(() =>
      this.#stmt(SQL.listLeads).all({
        tenantId,
        from: query.from ?? Number.MIN_SAFE_INTEGER,
        ...before,
        states,
        limit: query.limit + 1,
      }),
    );
    return pageOf(rows.map(toStoredLead), query.limit);
  }

  async updateLead(
    leadId: string,
    decide: (lead: StoredLead) => LeadUpdate | null,
    options: UpdateOptions = {},
  ): Promise<UpdateResult | null> {
    return this.#writes.run(() => {
      const row = this.#stmt(SQL.getLead).get(leadId);
      if (!row) return null;
      const stored = toStoredLead(row);
      const update = decide(stored);
      if (options.completeEffect) this.#completeEffect(leadId, options.completeEffect);
      if (!update) {
        this.#writeAudit(options.audit ?? []);
        return { claimed: [] };
      }
      const facts = update.facts ?? {};
      const changes = {
        wakeAt: update.wakeAt !== stored.wakeAt,
        finished: update.finished !== stored.finished,
        lease: stored.leaseOwner !== null || stored.leaseUntil !== null,
        facts,
      };
      // The statement assigns only the columns that change (statements.ts: applyDecisionSql).
      this.#stmt(applyDecisionSql(changes)).run({
        id: leadId,
        crmState: update.crmState,
        callState: update.callState,
        snapshot: toJsonText(update.snapshot),
        updatedAt: update.updatedAt,
        ...(changes.wakeAt ? { wakeAt: update.wakeAt } : {}),
        ...(changes.finished ? { finished: update.finished ? 1 : 0 } : {}),
        ...definedFacts(facts),
      });
      if (update.cancelEffects !== undefined && update.cancelEffects.length > 0) {
        this.#stmt(SQL.cancelPending).run({
          leadId,
          kinds: JSON.stringify(update.cancelEffects),
          at: update.updatedAt,
        });
      }
      const claimed = this.#writeEffects(update.effects, update.updatedAt);
      // What the caller recorded first (the event's cause), then the decision's: one row.
      this.#writeAudit([...(options.audit ?? []), ...update.audit]);
      return { claimed };
    });
  }

  async getLeadFacts(leadId: string): Promise<LeadFacts | null> {
    const row = this.#read(() => this.#stmt(SQL.getLeadFacts).get(leadId));
    return row ? toLeadFacts(row) : null;
  }

  async markMachinePerson(mark: MachinePersonMark): Promise<MachinePersonResult> {
    return this.#writes.run((): MachinePersonResult => {
      const row = this.#stmt(SQL.getLeadFacts).get(mark.leadId);
      if (!row || row.tenant_id !== mark.tenantId) return { outcome: 'unknown_lead' };
      const facts = toLeadFacts(row);
      if (facts.outcome !== 'machine') return { outcome: 'not_machine', leadOutcome: facts.outcome };
      if (facts.machinePersonAt !== null) {
        return { outcome: 'already_marked', at: facts.machinePersonAt, by: facts.machinePersonBy ?? '' };
      }
      this.#stmt(SQL.markMachinePerson).run({ id: mark.leadId, at: mark.at, by: mark.by });
      this.#writeAudit([machinePersonAudit(mark)]);
      return { outcome: 'marked', at: mark.at, by: mark.by };
    });
  }

  async dashboard(tenantId: string, query: DashboardQuery): Promise<Dashboard> {
    return this.#read(() => {
      // Its statements read one snapshot: a deferred transaction keeps them consistent under WAL.
      this.#db.exec('BEGIN');
      try {
        return sqliteDashboard((sql) => this.#stmt(sql), tenantId, query);
      } finally {
        this.#db.exec('COMMIT');
      }
    });
  }

  async finishEffect(
    leadId: string,
    completion: EffectCompletion,
    audit: readonly NewAuditEntry[],
  ): Promise<void> {
    await this.#writes.run(() => {
      this.#completeEffect(leadId, completion);
      this.#writeAudit(audit);
    });
  }

  async claimDueLeads(now: number, limit: number, owner: string, leaseMs: number): Promise<StoredLead[]> {
    // SQLite reads a negative LIMIT as "no limit"; the port means "nothing".
    if (limit <= 0) return [];
    const rows = await this.#writes.run(() =>
      this.#stmt(SQL.claimDueLeads).all({ now, limit, owner, leaseUntil: now + leaseMs }),
    );
    // RETURNING follows no ORDER BY; give the claim order back.
    return rows.map(toStoredLead).sort(byLeadClaimOrder);
  }

  async claimEffects(
    now: number,
    limit: number,
    owner: string,
    leaseMs: number,
    exclude?: { tenants: readonly string[]; kinds: readonly string[] },
    kinds?: { only?: readonly string[]; except?: readonly string[] },
    caps?: InFlightCaps,
  ): Promise<EffectRow[]> {
    const filter: EffectFilter = {
      excludeTenants: new Set(exclude?.tenants),
      excludeKinds: new Set(exclude?.kinds),
      only: kinds?.only ? new Set(kinds.only) : null,
      except: new Set(kinds?.except),
    };
    const rows = await this.#writes.run(() => {
      const stmt = (sql: string) => this.#stmt(sql);
      const ids = caps
        ? this.#pickWithinCaps(now, limit, filter, caps)
        : pickEffects(stmt, now, limit, filter);
      if (ids.length === 0) return [];
      return this.#stmt(SQL.startEffects).all({ ids: JSON.stringify(ids), owner, leaseUntil: now + leaseMs });
    });
    return rows.map(toEffectRow).sort((a, b) => a.priority - b.priority || a.id - b.id);
  }

  /**
   * The ids a claim with InFlightCaps takes: tenants at their cap are left out of the pick, and a
   * pick that took more of a tenant than its room is made again without that tenant, so that up
   * to `limit` rows of other tenants are still taken.
   */
  #pickWithinCaps(now: number, limit: number, filter: EffectFilter, caps: InFlightCaps): number[] {
    const inFlight = this.#stmt(SQL.inFlight)
      .all({ now })
      .map((row) => ({ tenantId: String(row.tenant_id), kind: String(row.kind) }));
    const kinds = new Set(caps.kinds);
    const start = new CapRoom(caps, inFlight);
    const full = new Set(inFlight.filter((e) => !start.hasRoom(e.tenantId)).map((e) => e.tenantId));
    // Rows of a tenant found full on the way, taken within its room: kept, as the pick skips it now.
    let kept: Candidate[] = [];
    for (;;) {
      const picked = pickCandidates((sql) => this.#stmt(sql), now, limit, {
        ...filter,
        full: { tenants: full, kinds },
      });
      const room = new CapRoom(caps, inFlight);
      const refused = new Set<string>();
      const taken = [...kept, ...picked]
        .sort((a, b) => a.priority - b.priority || a.id - b.id)
        .filter((c) => {
          if (room.take(c.tenantId, c.kind)) return true;
          refused.add(c.tenantId);
          return false;
        })
        .slice(0, limit);
      if (refused.size === 0 || picked.length < limit) return taken.map((c) => c.id);
      for (const tenant of refused) full.add(tenant);
      kept = taken.filter((c) => kinds.has(c.kind) && full.has(c.tenantId));
    }
  }

  async claimOrphans(now: number, limit: number, owner: string, leaseMs: number): Promise<EffectRow[]> {
    if (limit <= 0) return [];
    // Nearly always there is none: asked with one index seek outside any write transaction, the
    // scheduler's every tick costs no commit.
    if (this.#stmt(SQL.anyOrphan).get({ now }) === undefined) return [];
    const rows = await this.#writes.run(() =>
      this.#stmt(SQL.claimOrphans).all({ now, limit, owner, leaseUntil: now + leaseMs }),
    );
    return rows.map(toEffectRow).sort((a, b) => a.priority - b.priority || a.id - b.id);
  }

  async renewEffectLease(effectId: number, owner: string, leaseUntil: number): Promise<boolean> {
    const result = await this.#writes.run(() =>
      this.#stmt(SQL.renewEffectLease).run({ effectId, owner, leaseUntil }),
    );
    return Number(result.changes) > 0;
  }

  async releaseEffect(effectId: number, owner: string, availableAt: number, note: unknown): Promise<void> {
    await this.#writes.run(() =>
      this.#stmt(SQL.releaseEffect).run({ effectId, owner, availableAt, note: toJsonText(note) }),
    );
  }

  async nextDueAt(after = Number.MIN_SAFE_INTEGER, of: DueKind = 'all'): Promise<number | null> {
    const first = (sql: string) => {
      const due = this.#read(() => this.#stmt(sql).get({ after })?.due);
      return typeof due === 'number' ? due : null;
    };
    const wake = of === 'effects' ? null : first(SQL.nextWakeAt);
    const candidates =
      of === 'leads'
        ? [wake]
        : [wake, first(SQL.nextAvailableAt), first(SQL.nextLeaseExpiry), first(SQL.nextOrphanExpiry)];
    const due = candidates.filter((at): at is number => at !== null);
    return due.length === 0 ? null : Math.min(...due);
  }

  async recordAudit(entries: readonly NewAuditEntry[]): Promise<void> {
    await this.#writes.run(() => {
      const known: NewAuditEntry[] = [];
      for (const entry of entries) {
        if (this.#stmt(SQL.leadExists).get(entry.leadId) !== undefined) known.push(entry);
        else this.#stmt(SQL.insertStrayAudit).run(auditParams(entry));
      }
      this.#writeAudit(known);
    });
  }

  async getAudit(leadId: string): Promise<AuditEntry[]> {
    const trail = this.#read(() => this.#stmt(SQL.getAudit).all(leadId)).flatMap(toAuditEntries);
    // A lead that exists has no stray entries: recordAudit puts its entries in its own trail.
    if (trail.length > 0) return trail;
    return this.#read(() => this.#stmt(SQL.getStrayAudit).all(leadId)).map(toAuditEntry);
  }

  async getEffects(leadId: string): Promise<EffectRow[]> {
    return this.#read(() => this.#stmt(SQL.getEffects).all(leadId)).map(toEffectRow);
  }

  async countHits(hits: readonly CounterHit[], now: number): Promise<CountResult> {
    // In the group's IMMEDIATE transaction: no other process writes between the statements. Each
    // hit is one conditional upsert; a refusal (rare: an abuser) takes back what this call added.
    return this.#writes.run(() => {
      this.#purgeDeadCounters(now);
      let added = 0;
      const totals: number[] = [];
      for (const hit of hits) {
        const row =
          hit.by > hit.limit
            ? undefined
            : this.#stmt(SQL.addToCounterWithin).get({
                key: hit.key,
                by: hit.by,
                limit: hit.limit,
                until: hit.until,
                now,
              });
        if (row === undefined) break;
        totals.push(Number(row.total));
        added++;
      }
      if (added === hits.length) return { counted: true, totals };
      for (const hit of hits.slice(0, added))
        this.#stmt(SQL.takeFromCounter).run({ key: hit.key, by: hit.by });
      return {
        counted: false,
        totals: hits.map((hit) =>
          Number(this.#stmt(SQL.counterTotal).get({ key: hit.key, now })?.total ?? 0),
        ),
      };
    });
  }

  /**
   * Dead counters go a batch every PURGE_EVERY counts: the DELETE's cost is per statement more
   * than per row, and a batch of PURGE_BATCH outpaces the two or three counters a lead starts.
   */
  #purgeDeadCounters(now: number): void {
    if (this.#countsSincePurge++ % PURGE_EVERY !== 0) return;
    if (this.#stmt(SQL.anyDeadCounter).get({ now }) === undefined) return;
    this.#stmt(SQL.purgeCounters).run({ now, limit: PURGE_BATCH });
  }

  async countRefusal(tenantId: string, reason: string): Promise<void> {
    await this.#writes.run(() => this.#stmt(SQL.countRefusal).run({ tenantId, reason }));
  }

  async stats(): Promise<StoreStats> {
    return this.#read(() => this.#stats());
  }

  #stats(): StoreStats {
    // Two reads, one snapshot: a deferred transaction keeps them consistent under WAL.
    this.#db.exec('BEGIN');
    try {
      const groups = this.#stmt(SQL.statsByState).all();
      const pending = this.#stmt(SQL.pendingEffects).get();
      const refusals = this.#stmt(SQL.refusals)
        .all()
        .map((r) => ({ tenantId: String(r.tenant_id), reason: String(r.reason), count: Number(r.count) }));
      return {
        unfinished: groups.reduce((sum, g) => sum + Number(g.count), 0),
        waiting: groups.reduce((sum, g) => sum + Number(g.waiting), 0),
        byState: groups.map((g) => ({
          crmState: String(g.crm_state),
          callState: String(g.call_state),
          count: Number(g.count),
        })),
        pendingEffects: Number(pending?.count ?? 0),
        refusals,
      };
    } finally {
      this.#db.exec('COMMIT');
    }
  }

  async deleteTenant(tenantId: string, options: DeleteTenantOptions = {}): Promise<number> {
    const limit = deleteBatchSize(options);
    let deleted = 0;
    for (;;) {
      // One transaction a batch, each through the write queue: other writes go in between.
      const batch = await this.#writes.run(() => {
        const ids = this.#stmt(SQL.tenantLeadIds)
          .all({ tenantId, limit })
          .map((row) => String(row.id));
        if (ids.length === 0) {
          this.#stmt(SQL.deleteRefusalsOf).run({ tenantId });
          return 0;
        }
        const json = JSON.stringify(ids);
        // Children first: effects and audit_log reference leads.
        for (const sql of [
          SQL.deleteEffectsOf,
          SQL.deleteAuditOf,
          SQL.deleteStrayAuditOf,
          SQL.deletePendingCallsOf,
          SQL.deleteLeads,
        ]) {
          this.#stmt(sql).run({ ids: json });
        }
        return ids.length;
      });
      if (batch === 0) return deleted;
      deleted += batch;
    }
  }

  async pruneFinished(before: number, limit: number): Promise<number> {
    assertPruneArgs(before, limit);
    return this.#writes.run(() => {
      const ids = this.#stmt(SQL.prunableLeadIds)
        .all({ before, limit })
        .map((row) => String(row.id));
      if (ids.length === 0) return 0;
      const json = JSON.stringify(ids);
      for (const sql of [SQL.deleteEffectsOf, SQL.deleteAuditOf, SQL.markPruned])
        this.#stmt(sql).run({ ids: json });
      return ids.length;
    });
  }

  async savePendingCall(call: PendingCall): Promise<void> {
    await this.#writes.run(() => {
      this.#stmt(SQL.prunePendingCalls).run({ cutoff: call.createdAt - PENDING_CALL_TTL_MS });
      this.#stmt(SQL.savePendingCall).run(pendingCallParams(call));
    });
  }

  async getPendingCall(callId: string): Promise<PendingCall | null> {
    const row = this.#read(() => this.#stmt(SQL.getPendingCall).get(callId));
    return row ? toPendingCall(row) : null;
  }

  async setPendingCallSession(callId: string, sessionId: string): Promise<void> {
    await this.#writes.run(() => this.#stmt(SQL.setPendingCallSession).run({ callId, sessionId }));
  }

  async close(): Promise<void> {
    if (!this.#db.isOpen) return;
    this.#writes.drain();
    // The worker's connection first: the writer, closing last, folds the WAL in and removes it.
    await this.#checkpointer?.stop();
    if (!this.#db.isOpen) return;
    this.#statements.clear();
    this.#db.close();
  }

  /** The tenant's lead adopted from the same CRM lead, as it is now, if any. */
  #adoptedOf(lead: NewLead): InsertResult | null {
    if (lead.adoptedCrmLeadId == null) return null;
    const row = this.#stmt(SQL.adoptedLead).get({
      tenantId: lead.tenantId,
      crmLeadId: lead.adoptedCrmLeadId,
    });
    if (!row) return null;
    return {
      inserted: false,
      adopted: true,
      leadId: String(row.id),
      crmState: String(row.crm_state),
      callState: String(row.call_state),
    };
  }

  /** The newest lead of this tenant, ref and body submitted within the replay window, if any. */
  #replayOf(lead: NewLead): InsertResult | null {
    if (lead.ref === null || !lead.bodyHash) return null;
    const row = this.#stmt(SQL.replayOf).get({
      tenantId: lead.tenantId,
      ref: lead.ref,
      bodyHash: lead.bodyHash,
      since: lead.submittedAt - REPLAY_WINDOW_MS,
    });
    if (!row) return null;
    return {
      inserted: false,
      replay: true,
      leadId: String(row.id),
      crmState: String(row.answer_crm_state),
      callState: String(row.answer_call_state),
    };
  }

  #completeEffect(leadId: string, completion: EffectCompletion): void {
    this.#stmt(SQL.completeEffect).run({
      effectId: completion.effectId,
      leadId,
      status: completion.status,
      result: toJsonText(completion.result),
      at: completion.at,
    });
  }

  /** Returns the rows stored claimed; a key already queued writes nothing and returns none. */
  #writeEffects(effects: readonly NewEffect[], createdAt: number): EffectRow[] {
    const claimed: EffectRow[] = [];
    for (const effect of effects) {
      const params = effectParams(effect, createdAt);
      if (!effect.claim || !this.#withinCap(effect, createdAt)) {
        this.#stmt(SQL.insertEffect).run(params);
        continue;
      }
      const { owner, leaseUntil } = effect.claim;
      const row = this.#stmt(SQL.insertClaimedEffect).get({ ...params, owner, leaseUntil });
      // Built from what was written: RETURNING every column and parsing the params just
      // serialised cost about 10 µs an effect, four or five a lifecycle.
      if (row) claimed.push(queuedEffectRow(effect, Number(row.id), createdAt));
    }
    return claimed;
  }

  /** Whether a claim with a `cap` leaves room: the tenant's effects of its kind in flight now. */
  #withinCap(effect: NewEffect, now: number): boolean {
    const cap = effect.claim?.cap;
    if (cap === undefined) return true;
    const inFlight = this.#stmt(SQL.inFlight).all({ now });
    return (
      inFlight.filter((row) => row.tenant_id === effect.tenantId && row.kind === effect.kind).length < cap
    );
  }

  #writeAudit(entries: readonly NewAuditEntry[]): void {
    if (entries.length === 0) return;
    const insert = this.#stmt(SQL.insertAudit);
    for (const row of auditRowParams(entries)) insert.run(row);
  }

  /**
   * A read outside the write queue. WAL readers wait for nobody, except a WAL recovery after a
   * crash (SQLITE_BUSY_RECOVERY): that one is waited for like a busy writer.
   */
  #read<T>(read: () => T): T {
    return retryBusySync(read, this.#busyRetryMs);
  }

  /** Prepared once per connection: preparing costs more than running these statements. */
  #stmt(sql: string): PositionalStatement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = new PositionalStatement(this.#db, sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** A decision's facts as the named parameters of applyDecisionSql: only those it brings. */
function definedFacts(facts: LeadFactsUpdate): Record<string, string | number | null> {
  const params: Record<string, string | number | null> = {};
  for (const [key, value] of Object.entries(facts)) if (value !== undefined) params[key] = value;
  return params;
}
