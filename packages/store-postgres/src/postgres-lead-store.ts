import { randomUUID } from 'node:crypto';
import {
  type AuditEntry,
  type CounterHit,
  type CountResult,
  type Dashboard,
  type DashboardQuery,
  type DeleteTenantOptions,
  type DueKind,
  type EffectCompletion,
  type EffectHandOff,
  type EffectRow,
  type InFlightCaps,
  type InsertResult,
  type LeadFacts,
  type LeadListQuery,
  type LeadPage,
  type LeadStore,
  type LeadUpdate,
  type MachinePersonMark,
  type MachinePersonResult,
  type NewAuditEntry,
  type NewEffect,
  type NewLead,
  PENDING_CALL_TTL_MS,
  type PendingCall,
  parseSettings,
  REPLAY_WINDOW_MS,
  type StoredLead,
  type StoreStats,
  type UpdateOptions,
  type UpdateResult,
} from '@prozvon/sdk';
import { assertPruneArgs, byLeadClaimOrder, deleteBatchSize, machinePersonAudit } from '@prozvon/sdk/stores';
import pg from 'pg';
import { z } from 'zod';
import { Coalesced } from './coalesced.js';
import { type CountCall, type CounterRow, countCalls, lockArgs } from './counts.js';
import { pgDashboard } from './dashboard.js';
import { type KnownLead, KnownLeads, knownValues, storedLeadOf } from './known-leads.js';
import { applyPgMigrations } from './migrations.js';
import { createPgPool } from './pool.js';
import {
  auditArrays,
  effectArrays,
  effectCaps,
  factsUpdateValues,
  newFactsValues,
  toAuditEntries,
  toEffectRow,
  toJsonText,
  toLeadFacts,
  toPendingCall,
  toStoredLead,
  toStrayAuditEntry,
} from './rows.js';
import { SQL, type Statement, TAKEOVER_MS } from './statements.js';
import { COMMITTED, isRetryable, queryPlanned, type Tx, WriteQueue } from './write-queue.js';

/**
 * Leads whose last write updateLead may decide on without reading them (known-leads.ts): more
 * than an engine has in progress at once, a few MB at most.
 */
const KNOWN_LEADS = 4_096;

/** Names the store in its settings errors, as a shop imports it. */
export const SOURCE = '@prozvon/store-postgres';

const optionsSchema = z.object({
  /** `postgres://user@host:port/database`, as `PROZVON_DATABASE_URL` gives it. */
  url: z.string().regex(/^postgres(ql)?:\/\//, 'Must be a postgres:// URL'),
  /**
   * The schema the tables live in, created if missing; absent: the server's search_path (usually
   * `public`). Several Prozvon installations may share a database, one schema each.
   */
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'Must be a plain lower-case name')
    .max(63)
    .optional(),
  /** Connections this instance opens at most: reads, and `writeConcurrency` write batches. */
  poolSize: z.number().int().min(2).max(100).default(10),
  /**
   * Write transactions in flight at once, each on its own connection: while one waits for its
   * round trips and its commit, the next runs. 1 commits writes in the order they were asked for,
   * as SQLite does; with more, writes asked for in different turns may commit in either order,
   * as two instances' writes may, unless they share a lead (write-queue.ts). 2 by default: with
   * more, the same writes go in more, smaller transactions, each a commit and a few round trips
   * more for both sides (pg_lifecycle_server_cpu_ms_per_lead, bench/README.md).
   */
  writeConcurrency: z.number().int().min(1).max(16).default(2),
  /** Writes one transaction holds at most (group commit). */
  maxBatch: z.number().int().min(1).max(10_000).default(256),
});

export type PostgresLeadStoreOptions = z.input<typeof optionsSchema>;

/**
 * The LeadStore on PostgreSQL, for one or several instances on one database. Claims use
 * `FOR UPDATE SKIP LOCKED` in one statement each (graphile-worker's getJobs), so instances never
 * take the same lead or effect while a lease holds; `updateLead` reads the lead `FOR UPDATE`, so no
 * other writer changes it between the read and `decide`'s write. The writes of one event-loop
 * turn share a transaction (write-queue.ts). Open it with `PostgresLeadStore.open`, which applies
 * the migrations under an advisory lock.
 */
export class PostgresLeadStore implements LeadStore {
  /** Several instances write one database: the tenants' calls in flight are counted here. */
  readonly shared = true;
  readonly #pool: pg.Pool;
  /**
   * What close() waits for: capped claims, each in a transaction of its own (claimCapped), and the
   * lead reads asked for and not yet answered.
   */
  readonly #alone = new Set<Promise<unknown>>();
  /** getLead's reads of one turn, one statement (coalesced.ts): the rows by id, snapshots as text. */
  readonly #leadReads = new Coalesced<object, string, Map<string, Record<string, unknown>>>(
    async (_, ids) => {
      const { rows } = await run(this.#pool, SQL.getLeads, [[...ids]]);
      return new Map(rows.map((row) => [String(row.id), row]));
    },
  );
  readonly #readScope = {};
  readonly #writes: WriteQueue;
  /** The leads this store wrote last, for updateLead (known-leads.ts). */
  readonly #known = new KnownLeads(KNOWN_LEADS);
  /** finishEffect's writes of one turn of a transaction, one statement (coalesced.ts). */
  readonly #finishes = new Coalesced<Tx, Finish, unknown>(
    (tx, finishes) =>
      run(tx, SQL.finishEffects, [
        finishes.map((finish) => finish.leadId),
        finishes.map((finish) => finish.completion.effectId),
        finishes.map((finish) => finish.completion.status),
        finishes.map((finish) => toJsonText(finish.completion.result)),
        finishes.map((finish) => finish.completion.at),
        ...auditArrays(finishes.flatMap((finish) => finish.audit)),
      ]),
    (finish) => String(finish.completion.effectId),
  );
  /**
   * updateLead's decisions on leads as last written, of one turn of a transaction: one statement
   * (applyDecisions), a lead and an effect completed at most once in it (its completion found by
   * the effect's id: given twice, the first would be the one tried).
   */
  readonly #decisions = new Coalesced<Tx, Decision, DecisionsWritten>(
    (tx, decisions) => writeDecisions(tx, decisions),
    (decision) =>
      decision.completion === undefined
        ? `lead:${decision.known.lead.id}`
        : [`lead:${decision.known.lead.id}`, `effect:${decision.completion.effectId}`],
  );
  /**
   * countHits' calls of one turn of a transaction: their counters locked in one statement, each
   * call's answer worked out in order as if it ran alone (counts.ts), the totals set in another.
   */
  readonly #counts = new Coalesced<Tx, CountCall, void>((tx, calls) => {
    // One group after the other on a transaction (a write run again with a savepoint is alone).
    const previous = this.#counting.get(tx) ?? Promise.resolve();
    const counted = previous.then(() => countTogether(tx, calls));
    this.#counting.set(
      tx,
      counted.catch(() => undefined),
    );
    return counted;
  });
  readonly #counting = new WeakMap<Tx, Promise<void>>();
  /** insertLead's new leads of one turn of a transaction, after their rules: one statement. */
  readonly #inserts = new Coalesced<Tx, NewRow, Map<string, Record<string, unknown>[]>>(insertTogether);
  /**
   * The tenants' call locks the writes of one turn of a transaction try (withCallLocks, hand-offs):
   * one statement for them all, not one a write.
   */
  readonly #callLocks = new Coalesced<Tx, string, Set<string>>(tryCallLocks);
  /**
   * updateLead's hand-offs (EffectHandOff) of one turn of a transaction, their call locks tried
   * with the writes' first statements (no round trip of their own): claimed together, each
   * tenant's in one statement for as many as ask, each asker taking one of them.
   */
  readonly #handOffs = new Coalesced<Tx, EffectHandOff, Map<string, EffectRow[]>>(handOffTogether);
  readonly #schema: string | null;
  #closed = false;

  readonly #url: string;
  readonly #watchers = new Set<pg.Client>();

  private constructor(pool: pg.Pool, schema: string | null, writes: WriteQueue, url: string) {
    this.#pool = pool;
    this.#schema = schema;
    this.#writes = writes;
    this.#url = url;
  }

  /**
   * Calls `listener(at)` whenever a write of any instance on this database and schema commits
   * something that falls due at `at` (a lead's wake-up, an effect's availability), this one's
   * included: LISTEN on a connection of its own, to which every write batch sends one NOTIFY with
   * its earliest instant. What an engine arms its timer with, so that another instance's earlier
   * wake-up is not left to its own timer. A lost connection ends the watch (`onError` is told); the
   * timer stays the backstop. Resolves once listening, with what stops it.
   */
  async watchDue(
    listener: (at: number) => void,
    onError: (error: Error) => void = () => undefined,
  ): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error('the PostgreSQL lead store is closed');
    const client = new pg.Client({ connectionString: this.#url, application_name: 'prozvon-watch' });
    client.on('notification', (message) => {
      const at = Number(message.payload);
      if (Number.isFinite(at)) listener(at);
    });
    client.on('error', (error) => {
      this.#watchers.delete(client);
      onError(error);
    });
    await client.connect();
    await client.query(`LISTEN ${dueChannel(this.#schema)}`);
    this.#watchers.add(client);
    return async () => {
      if (!this.#watchers.delete(client)) return;
      await client.end();
    };
  }

  /** Connects, brings the schema up to date, and returns the store. */
  static async open(options: PostgresLeadStoreOptions): Promise<PostgresLeadStore> {
    const settings = parseSettings(optionsSchema, options, SOURCE, 'options');
    const schema = settings.schema ?? null;
    const pool = createPgPool({
      url: settings.url,
      schema,
      max: settings.poolSize,
      applicationName: 'prozvon',
      // A name per store: the effects it queues are its own to claim first (TAKEOVER_MS).
      instance: `i${randomUUID().replaceAll('-', '')}`,
    });
    const store = new PostgresLeadStore(
      pool,
      schema,
      new WriteQueue(
        pool,
        settings.maxBatch,
        Math.min(settings.writeConcurrency, settings.poolSize - 1),
        dueChannel(schema),
      ),
      settings.url,
    );
    try {
      await mayStageRollups(pool);
      await store.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  /** Write transactions committed by this store since it opened (writes share them). */
  get commits(): number {
    return this.#writes.commits;
  }

  async migrate(): Promise<void> {
    await applyPgMigrations(this.#pool, { schema: this.#schema });
  }

  async insertLead(
    lead: NewLead,
    effects: readonly NewEffect[],
    audit: readonly NewAuditEntry[],
  ): Promise<InsertResult> {
    return this.#write(async (tx): Promise<InsertResult> => {
      const adoptedCrmLeadId = lead.adoptedCrmLeadId ?? null;
      if (adoptedCrmLeadId !== null) {
        // Two adoptions of one CRM lead at once: the second waits here for the first to commit.
        await run(tx, SQL.lockKey, [`adopt:${lead.tenantId}:${adoptedCrmLeadId}`]);
        const row = (await run(tx, SQL.adoptedLead, [lead.tenantId, adoptedCrmLeadId])).rows[0];
        if (row) {
          return {
            inserted: false,
            adopted: true,
            leadId: String(row.id),
            crmState: String(row.crm_state),
            callState: String(row.call_state),
          };
        }
      }
      if (lead.ref !== null) {
        // The same for a ref: of two identical inserts at once, one is stored, the other replays it.
        await run(tx, SQL.lockKey, [`ref:${lead.tenantId}:${lead.ref}`]);
        const rows = (
          await run(tx, SQL.refRules, [
            lead.tenantId,
            lead.ref,
            lead.bodyHash ?? null,
            lead.submittedAt - REPLAY_WINDOW_MS,
            !lead.finished,
          ])
        ).rows;
        const replay = rows.find((row) => row.replay === true);
        if (replay) {
          return {
            inserted: false,
            replay: true,
            leadId: String(replay.id),
            crmState: String(replay.answer_crm_state),
            callState: String(replay.answer_call_state),
          };
        }
        if (rows[0]) return { inserted: false, existingLeadId: String(rows[0].id) };
      }
      tx.due(lead.finished ? null : lead.wakeAt);
      const queued = await withCallLocks(this.#callLocks, tx, effects);
      for (const effect of queued) if (!effect.claim) tx.due(dueElsewhere(effect, lead.submittedAt));
      const snapshot = toJsonText(lead.snapshot);
      // With the other new leads of this turn (#inserts): one statement for them all.
      const written = (await this.#inserts.add(tx, { lead, snapshot, effects: queued, audit })).get(lead.id);
      this.#known.set({
        lead: {
          id: lead.id,
          tenantId: lead.tenantId,
          ref: lead.ref,
          crmState: lead.crmState,
          callState: lead.callState,
          wakeAt: lead.wakeAt,
          finished: lead.finished,
          submittedAt: lead.submittedAt,
          updatedAt: lead.submittedAt,
          version: 1,
          leaseOwner: null,
          leaseUntil: null,
        },
        snapshot,
        written: tx.batch,
      });
      return { inserted: true, claimed: claimedOf(queued, written ?? [], lead.submittedAt) };
    }, insertKeys(lead));
  }

  async getLead(leadId: string): Promise<StoredLead | null> {
    if (this.#closed) throw new Error('the PostgreSQL lead store is closed');
    const read = this.#leadReads.add(this.#readScope, leadId);
    this.#alone.add(read);
    const settled = () => this.#alone.delete(read);
    read.then(settled, settled);
    const row = (await read).get(leadId);
    if (!row) return null;
    const text = String(row.snapshot);
    const lead = toStoredLead({ ...row, snapshot: JSON.parse(text) });
    // What the next write of the lead most likely decides on: the engine reads a lead just before
    // it dials, and the dial's outcome is written next. With several instances a lead's effects
    // are claimed by any of them, so the instance that dials had mostly not written the lead
    // last: its outcome's write locked and read the row first (a statement and a round trip
    // more; two thirds of such writes with three instances). Known from this read instead, the
    // write holds the row as read as its condition: stale, it writes nothing and reads locked.
    // Only when nothing newer is kept: a write of this store in flight, or one just made, knows
    // better than a read that may have raced it (and the single instance's case costs nothing).
    if (!this.#known.has(leadId)) {
      // The snapshot's text as the row holds it (a `json` column keeps it as written): no second
      // serialisation of what was just parsed.
      const { snapshot: _, ...columns } = lead;
      this.#known.set({ lead: columns, snapshot: text, written: COMMITTED });
    }
    return lead;
  }

  async findAdoptedLead(tenantId: string, crmLeadId: string): Promise<string | null> {
    const row = (await this.#read(SQL.adoptedLead, [tenantId, crmLeadId])).rows[0];
    return row ? String(row.id) : null;
  }

  async listLeads(tenantId: string, query: LeadListQuery): Promise<LeadPage> {
    // The page's upper bound: the cursor, or `to` (exclusive: `(to, '')` is below every id at to).
    const to = query.to ?? Number.MAX_SAFE_INTEGER;
    const { cursor } = query;
    const [beforeAt, beforeId] =
      cursor !== undefined && cursor.submittedAt < to ? [cursor.submittedAt, cursor.id] : [to, ''];
    const states = query.states !== undefined && query.states.length > 0 ? [...query.states] : null;
    const { rows } = await this.#read(SQL.listLeads, [
      tenantId,
      query.from ?? Number.MIN_SAFE_INTEGER,
      beforeAt,
      beforeId,
      states,
      query.limit + 1,
    ]);
    const leads = rows.map(toStoredLead);
    const page = leads.slice(0, query.limit);
    const last = page.at(-1);
    const next =
      leads.length > query.limit && last !== undefined
        ? { submittedAt: last.submittedAt, id: last.id }
        : null;
    return { leads: page, next };
  }

  async updateLead(
    leadId: string,
    decide: (lead: StoredLead) => LeadUpdate | null,
    options: UpdateOptions = {},
  ): Promise<UpdateResult | null> {
    return this.#write(
      async (tx) => {
        const handOff = options.completeEffect === undefined ? undefined : options.handOff;
        const locked = handOff && this.#callLocks.add(tx, handOff.tenantId);
        // Its failure is the transaction's, reported by the write's own statements too.
        locked?.catch(() => undefined);
        const written = await this.#updateLeadIn(tx, leadId, decide, options);
        if (handOff === undefined || !(await locked)?.has(handOff.tenantId) || written === null)
          return written;
        // After the completion's statement has run: the claim counts the slot it freed.
        const handedOff = (await this.#handOffs.add(tx, handOff)).get(handOff.tenantId)?.shift();
        return handedOff === undefined ? written : { ...written, handedOff };
      },
      [leadKey(leadId)],
    );
  }

  async #updateLeadIn(
    tx: Tx,
    leadId: string,
    decide: (lead: StoredLead) => LeadUpdate | null,
    options: UpdateOptions,
  ): Promise<UpdateResult | null> {
    // The lead as this store last wrote it, when it did: one statement, whose write holds if
    // the row is still that (known-leads.ts). A decision with nothing to write or with
    // effects to cancel goes the locked way below.
    const known = this.#known.take(leadId, tx.batch);
    if (known !== undefined) {
      const update = decide(storedLeadOf(known));
      if (update !== null && !(update.cancelEffects !== undefined && update.cancelEffects.length > 0)) {
        const written = await this.#applyKnownDecision(tx, known, update, options);
        if (written !== null) return written;
      }
    }
    // The row lock: another instance's updateLead of this lead waits here until we commit.
    const row = (await run(tx, SQL.lockLead, [leadId])).rows[0];
    if (!row) {
      this.#known.delete(leadId);
      return null;
    }
    const lead = toStoredLead(row);
    const update = decide(lead);
    const done = options.completeEffect;
    if (update?.cancelEffects !== undefined && update.cancelEffects.length > 0) {
      // Before the decision's statement, which queues effects a stop must not cancel; the effect
      // this write completes is left to that statement, so its outcome is the one recorded.
      await run(tx, SQL.cancelPending, [
        leadId,
        [...update.cancelEffects],
        update.updatedAt,
        done?.effectId ?? null,
      ]);
    }
    const { snapshot, ...columns } = lead;
    const written = await this.#applyDecision(tx, leadId, columns, update, options);
    if (update === null)
      this.#known.set({ lead: columns, snapshot: toJsonText(snapshot), written: tx.batch });
    return written;
  }

  /**
   * The decision's statement on the locked row (applyDecision). `before`: the columns decided on.
   * The lead as written is known from then on.
   */
  async #applyDecision(
    tx: Tx,
    leadId: string,
    before: KnownLead['lead'],
    update: LeadUpdate | null,
    options: UpdateOptions,
  ): Promise<UpdateResult> {
    const done = options.completeEffect;
    // Tried before the statement that counts the tenants' calls in flight.
    const effects = await withCallLocks(this.#callLocks, tx, update?.effects ?? []);
    // What the caller recorded first (the event's cause), then the decision's.
    const audit = [...(options.audit ?? []), ...(update?.audit ?? [])];
    const snapshot = update ? toJsonText(update.snapshot) : null;
    const { rows } = await run(tx, SQL.applyDecision, [
      leadId,
      update?.crmState ?? null,
      update?.callState ?? null,
      snapshot,
      update?.wakeAt ?? null,
      update?.finished ?? null,
      update?.updatedAt ?? null,
      update !== null,
      done?.effectId ?? null,
      done?.status ?? null,
      done ? toJsonText(done.result) : null,
      done?.at ?? null,
      ...auditArrays(audit),
      ...effectArrays(effects),
      update?.updatedAt ?? 0,
      ...factsUpdateValues(update?.facts),
      effectCaps(effects),
    ]);
    if (update === null || snapshot === null) return { claimed: [] };
    return this.#decided(tx, before, update, snapshot, effects, rows);
  }

  /**
   * A decision taken on the lead as this store last wrote it (`known`), written with the others of
   * its turn in one statement (#decisions, SQL.applyDecisions) if the row is still that; null when
   * it is not, and nothing of it was written. Its call locks are tried before, as on the locked
   * path: they are the transaction's, so the fallback finds them held already.
   */
  async #applyKnownDecision(
    tx: Tx,
    known: KnownLead,
    update: LeadUpdate,
    options: UpdateOptions,
  ): Promise<UpdateResult | null> {
    const effects = await withCallLocks(this.#callLocks, tx, update.effects);
    const decision: Decision = {
      known,
      update,
      snapshot: toJsonText(update.snapshot),
      completion: options.completeEffect,
      audit: [...(options.audit ?? []), ...update.audit],
      effects,
    };
    const written = await this.#decisions.add(tx, decision);
    const leadId = known.lead.id;
    if (!written.leads.has(leadId)) return null;
    const mine = new Set(effects.map((effect) => `${effect.leadId}\u0000${effect.key}`));
    const rows = written.effects.filter((row) => mine.has(`${row.lead_id}\u0000${row.key}`));
    return this.#decided(tx, known.lead, update, decision.snapshot, effects, rows);
  }

  /** What a decision written says: its instants due, the lead as written known, its claims. */
  #decided(
    tx: Tx,
    before: KnownLead['lead'],
    update: LeadUpdate,
    snapshot: string,
    effects: readonly NewEffect[],
    rows: readonly Record<string, unknown>[],
  ): UpdateResult {
    if (!update.finished) tx.due(update.wakeAt);
    for (const effect of effects) if (!effect.claim) tx.due(dueElsewhere(effect, update.updatedAt));
    this.#known.set({
      lead: {
        ...before,
        crmState: update.crmState,
        callState: update.callState,
        wakeAt: update.wakeAt,
        finished: update.finished,
        updatedAt: update.updatedAt,
        version: before.version + 1,
        leaseOwner: null,
        leaseUntil: null,
      },
      snapshot,
      written: tx.batch,
    });
    return { claimed: claimedOf(effects, rows, update.updatedAt) };
  }

  async getLeadFacts(leadId: string): Promise<LeadFacts | null> {
    const row = (await this.#read(SQL.getLeadFacts, [leadId])).rows[0];
    return row ? toLeadFacts(row) : null;
  }

  async markMachinePerson(mark: MachinePersonMark): Promise<MachinePersonResult> {
    return this.#write(
      async (tx): Promise<MachinePersonResult> => {
        // Locked: of two marks at once, the second waits and finds the first's.
        const row = (await run(tx, SQL.lockLeadFacts, [mark.leadId])).rows[0];
        if (!row || row.tenant_id !== mark.tenantId) return { outcome: 'unknown_lead' };
        const facts = toLeadFacts(row);
        if (facts.outcome !== 'machine') return { outcome: 'not_machine', leadOutcome: facts.outcome };
        if (facts.machinePersonAt !== null) {
          return { outcome: 'already_marked', at: facts.machinePersonAt, by: facts.machinePersonBy ?? '' };
        }
        await run(tx, SQL.markMachinePerson, [
          mark.leadId,
          mark.at,
          mark.by,
          ...auditArrays([machinePersonAudit(mark)]),
        ]);
        return { outcome: 'marked', at: mark.at, by: mark.by };
      },
      [leadKey(mark.leadId)],
    );
  }

  async dashboard(tenantId: string, query: DashboardQuery): Promise<Dashboard> {
    if (this.#closed) throw new Error('the PostgreSQL lead store is closed');
    const client = await this.#pool.connect();
    try {
      return await pgDashboard(client, tenantId, query);
    } finally {
      client.release();
    }
  }

  async finishEffect(
    leadId: string,
    completion: EffectCompletion,
    audit: readonly NewAuditEntry[],
  ): Promise<void> {
    const finish: Finish = { leadId, completion, audit };
    await this.#write((tx) => this.#finishes.add(tx, finish), [leadKey(leadId)]);
  }

  async claimDueLeads(now: number, limit: number, owner: string, leaseMs: number): Promise<StoredLead[]> {
    if (limit <= 0) return [];
    const { rows } = await this.#write((tx) =>
      run(tx, SQL.claimDueLeads, [now, limit, owner, now + leaseMs]),
    );
    const leads = rows.map(toStoredLead);
    // Leased: what updateLead decides on next (known-leads.ts), the lease included.
    for (const { snapshot, ...columns } of leads)
      this.#known.set({ lead: columns, snapshot: toJsonText(snapshot), written: COMMITTED });
    // RETURNING follows no ORDER BY; give the claim order back.
    return leads.sort(byLeadClaimOrder);
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
    if (limit <= 0) return [];
    // The capped kinds this claim may take go through claimCapped; the others as ever.
    const capped = (caps?.kinds ?? []).filter(
      (kind) => (kinds?.only === undefined || kinds.only.includes(kind)) && !kinds?.except?.includes(kind),
    );
    const onlyCapped = capped.length > 0 && kinds?.only?.every((kind) => capped.includes(kind)) === true;
    const taken =
      caps && capped.length > 0
        ? await this.#claimCapped(now, limit, owner, leaseMs, exclude, capped, caps)
        : [];
    if (onlyCapped || taken.length >= limit) return taken.sort(byClaimOrder);
    const { rows } = await this.#write((tx) =>
      run(tx, SQL.claimEffects, [
        now,
        limit - taken.length,
        owner,
        now + leaseMs,
        [...(exclude?.tenants ?? [])],
        [...(exclude?.kinds ?? [])],
        kinds?.only ? [...kinds.only] : null,
        [...(kinds?.except ?? []), ...capped],
      ]),
    );
    return [...taken, ...rows.map(toEffectRow)].sort(byClaimOrder);
  }

  /**
   * Claims pending effects of `kinds` within each tenant's cap, counted across every instance: in
   * a transaction of its own, which takes the candidate tenants' call locks (waiting for a write or
   * claim that holds one) before it counts. It holds nothing else meanwhile, and writes only try
   * those locks (withCallLocks), so no wait here is ever part of a deadlock.
   */
  async #claimCapped(
    now: number,
    limit: number,
    owner: string,
    leaseMs: number,
    exclude: { tenants: readonly string[]; kinds: readonly string[] } | undefined,
    kinds: readonly string[],
    caps: InFlightCaps,
  ): Promise<EffectRow[]> {
    if (this.#closed) throw new Error('the PostgreSQL lead store is closed');
    const capTenants = Object.keys(caps.perTenant);
    const capValues = capTenants.map((tenant) => caps.perTenant[tenant]);
    const claim = this.#inOwnTransaction(async (client) => {
      const locked = await run(client, SQL.lockCallTenants, [
        now,
        limit,
        [...kinds],
        [...(exclude?.tenants ?? [])],
        [...(exclude?.kinds ?? [])],
        capTenants,
        capValues,
        caps.otherwise,
      ]);
      if (locked.rows.length === 0) return [];
      const tenants = locked.rows.map((row) => String(row.tenant_id));
      const { rows } = await run(client, SQL.claimCapped, [
        now,
        limit,
        owner,
        now + leaseMs,
        [...kinds],
        tenants,
        capTenants,
        capValues,
        caps.otherwise,
      ]);
      return rows.map(toEffectRow);
    });
    this.#alone.add(claim);
    try {
      return await claim;
    } finally {
      this.#alone.delete(claim);
    }
  }

  /** BEGIN … COMMIT on a connection of its own; a deadlock or serialization failure runs it again. */
  async #inOwnTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.#pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (!/^[0-9A-Z]{5}$/.test(String((error as { code?: unknown })?.code))) broken = error as Error;
        if (!isRetryable(error) || attempt >= 8) throw error;
      } finally {
        client.release(broken);
      }
    }
  }

  async claimOrphans(now: number, limit: number, owner: string, leaseMs: number): Promise<EffectRow[]> {
    if (limit <= 0) return [];
    // Nearly always there is none: asked with one index seek outside any write, the scheduler's
    // every tick costs no commit.
    if ((await this.#read(SQL.anyOrphan, [now])).rows.length === 0) return [];
    const { rows } = await this.#write((tx) => run(tx, SQL.claimOrphans, [now, limit, owner, now + leaseMs]));
    return rows.map(toEffectRow).sort(byClaimOrder);
  }

  async renewEffectLease(effectId: number, owner: string, leaseUntil: number): Promise<boolean> {
    const result = await this.#write((tx) => run(tx, SQL.renewEffectLease, [effectId, owner, leaseUntil]));
    return (result.rowCount ?? 0) > 0;
  }

  async releaseEffect(effectId: number, owner: string, availableAt: number, note: unknown): Promise<void> {
    await this.#write((tx) => {
      tx.due(availableAt);
      return run(tx, SQL.releaseEffect, [effectId, owner, availableAt, toJsonText(note)]);
    });
  }

  async nextDueAt(after = Number.MIN_SAFE_INTEGER, of: DueKind = 'all'): Promise<number | null> {
    const { rows } = await this.#read(SQL.nextDueAt, [after, of !== 'effects', of !== 'leads']);
    const due = rows[0]?.due;
    return typeof due === 'number' ? due : null;
  }

  async recordAudit(entries: readonly NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#write(
      async (tx) => {
        const ids = [...new Set(entries.map((entry) => entry.leadId))];
        const known = new Set((await run(tx, SQL.existingLeads, [ids])).rows.map((row) => String(row.id)));
        const trail = entries.filter((entry) => known.has(entry.leadId));
        const stray = entries.filter((entry) => !known.has(entry.leadId));
        if (trail.length > 0) await run(tx, SQL.insertAudit, auditArrays(trail));
        if (stray.length > 0) {
          await run(tx, SQL.insertStrayAudit, [
            stray.map((entry) => entry.leadId),
            stray.map((entry) => entry.at),
            stray.map((entry) => entry.type),
            stray.map((entry) => entry.key),
            stray.map((entry) => toJsonText(entry.detail)),
          ]);
        }
      },
      [...new Set(entries.map((entry) => leadKey(entry.leadId)))],
    );
  }

  async getAudit(leadId: string): Promise<AuditEntry[]> {
    const trail = (await this.#read(SQL.getAudit, [leadId])).rows.flatMap(toAuditEntries);
    // A lead that exists has no stray entries: recordAudit puts its entries in its own trail.
    if (trail.length > 0) return trail;
    return (await this.#read(SQL.getStrayAudit, [leadId])).rows.map(toStrayAuditEntry);
  }

  async getEffects(leadId: string): Promise<EffectRow[]> {
    return (await this.#read(SQL.getEffects, [leadId])).rows.map(toEffectRow);
  }

  async countHits(hits: readonly CounterHit[], now: number): Promise<CountResult> {
    if (hits.length === 0) return { counted: true, totals: [] };
    // The counters' key keeps the calls out of a batch in flight that counts (its row locks would
    // stall this one's connection); within a batch they share two statements (#counts).
    return this.#write(
      async (tx) => {
        const call: CountCall = { hits, now };
        await this.#counts.add(tx, call);
        return call.result as CountResult;
      },
      ['counters'],
      false,
    );
  }

  async countRefusal(tenantId: string, reason: string): Promise<void> {
    await this.#write((tx) => run(tx, SQL.countRefusal, [tenantId, reason]));
  }

  async stats(): Promise<StoreStats> {
    // Three reads, one snapshot.
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const groups = (await run(client, SQL.statsByState, [])).rows;
      const pending = (await run(client, SQL.pendingEffects, [])).rows[0];
      const refusals = (await run(client, SQL.refusals, [])).rows.map((r) => ({
        tenantId: String(r.tenant_id),
        reason: String(r.reason),
        count: Number(r.count),
      }));
      await client.query('COMMIT');
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
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async deleteTenant(tenantId: string, options: DeleteTenantOptions = {}): Promise<number> {
    const size = deleteBatchSize(options);
    let deleted = 0;
    for (;;) {
      // One transaction a batch, each through the write queue: other writes go in between.
      const { rows } = await this.#write((tx) => run(tx, SQL.deleteTenantBatch, [tenantId, size]));
      const batch = Number(rows[0]?.deleted ?? 0);
      if (batch === 0) return deleted;
      deleted += batch;
    }
  }

  async pruneFinished(before: number, limit: number): Promise<number> {
    assertPruneArgs(before, limit);
    // One transaction, through the write queue as every write: the caller's loop (the engine's
    // retention) asks again for the next batch, other writes going in between.
    const { rows } = await this.#write((tx) => run(tx, SQL.pruneFinishedBatch, [before, limit]));
    return Number(rows[0]?.pruned ?? 0);
  }

  async savePendingCall(call: PendingCall): Promise<void> {
    await this.#write(
      async (tx) => {
        await run(tx, SQL.prunePendingCalls, [call.createdAt - PENDING_CALL_TTL_MS]);
        await run(tx, SQL.savePendingCall, [
          call.callId,
          call.key,
          call.leadId,
          call.attempt,
          call.phone,
          call.callerId,
          call.customerName,
          call.scenarioId,
          call.createdAt,
          call.sessionId ?? null,
        ]);
      },
      [`call:${call.callId}`],
    );
  }

  async getPendingCall(callId: string): Promise<PendingCall | null> {
    const row = (await this.#read(SQL.getPendingCall, [callId])).rows[0];
    return row ? toPendingCall(row) : null;
  }

  async setPendingCallSession(callId: string, sessionId: string): Promise<void> {
    await this.#write((tx) => run(tx, SQL.setPendingCallSession, [callId, sessionId]), [`call:${callId}`]);
  }

  /** Commits what was asked for, then closes the connections. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes.drain();
    await Promise.allSettled([...this.#alone]);
    await Promise.all([...this.#watchers].map((client) => client.end()));
    this.#watchers.clear();
    await this.#pool.end();
  }

  /**
   * `keys`: what the write reads and then writes from (write-queue.ts): the writes of a batch with
   * a key in common run one after the other, the others overlap; not `ordered`, they start at once
   * (they share their statements).
   */
  #write<T>(write: (tx: Tx) => Promise<T>, keys: readonly string[] = [], ordered = true): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the PostgreSQL lead store is closed'));
    return this.#writes.run(write, keys, ordered);
  }

  #read(statement: Statement, values: unknown[]): Promise<pg.QueryResult> {
    if (this.#closed) return Promise.reject(new Error('the PostgreSQL lead store is closed'));
    return run(this.#pool, statement, values);
  }
}

/**
 * The countHits calls of one turn of a transaction: their counters locked (restarted if ended for
 * every call), each call's answer (counts.ts), and what changed written back.
 */
async function countTogether(tx: Tx, calls: readonly CountCall[]): Promise<void> {
  const { keys, now } = lockArgs(calls);
  const locked = await run(tx, SQL.lockCounters, [[...keys.keys()], [...keys.values()], now]);
  const rows = new Map<string, CounterRow>(
    locked.rows.map((row) => [String(row.key), { total: Number(row.total), until: Number(row.until) }]),
  );
  const read = new Map([...rows].map(([key, row]) => [key, { ...row }]));
  countCalls(calls, rows);
  const changed = [...rows].filter(([key, row]) => {
    const was = read.get(key);
    return was === undefined || was.total !== row.total || was.until !== row.until;
  });
  if (changed.length === 0) return;
  await run(tx, SQL.setCounters, [
    changed.map(([key]) => key),
    changed.map(([, row]) => row.total),
    changed.map(([, row]) => row.until),
  ]);
}

/** A decision on a lead as last written, as applyDecisions writes it with the others of its turn. */
interface Decision {
  readonly known: KnownLead;
  readonly update: LeadUpdate;
  /** The new snapshot's JSON text. */
  readonly snapshot: string;
  readonly completion: EffectCompletion | undefined;
  /** The caller's entries, then the decision's. */
  readonly audit: readonly NewAuditEntry[];
  /** Its effects, claims dropped where the call lock was not had (withCallLocks). */
  readonly effects: readonly NewEffect[];
}

/** applyDecisions' answer: the leads updated, and the effects written (id, key, status, lead_id). */
interface DecisionsWritten {
  readonly leads: ReadonlySet<string>;
  readonly effects: readonly Record<string, unknown>[];
}

/**
 * The decisions of one turn in one statement (SQL.applyDecisions): each decision's values in its
 * place of the lead arrays; its completion, audit rows and effects appended to theirs, each with
 * the lead whose decision it is, so that only those of the leads updated are written.
 */
async function writeDecisions(tx: Tx, decisions: readonly Decision[]): Promise<DecisionsWritten> {
  const leads: unknown[][] = Array.from({ length: 24 }, () => []);
  const done: unknown[][] = Array.from({ length: 5 }, () => []);
  const audit: unknown[][] = [[], [], []];
  const effects: NewEffect[] = [];
  const effectDecision: string[] = [];
  const effectTime: number[] = [];
  for (const { known, update, snapshot, completion, audit: entries, effects: queued } of decisions) {
    const leadId = known.lead.id;
    const values = [
      leadId,
      update.crmState,
      update.callState,
      snapshot,
      update.wakeAt,
      update.finished,
      update.updatedAt,
      ...factsUpdateValues(update.facts),
      ...knownValues(known),
    ];
    pushRow(leads, values);
    if (completion !== undefined) {
      const row = [
        leadId,
        completion.effectId,
        completion.status,
        toJsonText(completion.result),
        completion.at,
      ];
      pushRow(done, row);
    }
    const [auditLeads, auditEntries] = auditArrays(entries);
    audit[0]?.push(...auditLeads);
    audit[1]?.push(...auditEntries);
    audit[2]?.push(...auditLeads.map(() => leadId));
    for (const effect of queued) {
      effects.push(effect);
      effectDecision.push(leadId);
      effectTime.push(update.updatedAt);
    }
  }
  const { rows } = await run(tx, SQL.applyDecisions, [
    ...leads,
    ...done,
    ...audit,
    ...effectArrays(effects),
    effectCaps(effects),
    effectDecision,
    effectTime,
  ]);
  return {
    leads: new Set(rows.filter((row) => row.id === null).map((row) => String(row.lead_id))),
    effects: rows.filter((row) => row.id !== null),
  };
}

/** A row's values appended to parallel arrays, one a column. */
function pushRow(columns: unknown[][], values: readonly unknown[]): void {
  for (const [i, value] of values.entries()) columns[i]?.push(value);
}

/** A finishEffect call, as its transaction's statement writes it with the others (coalesced.ts). */
interface Finish {
  readonly leadId: string;
  readonly completion: EffectCompletion;
  readonly audit: readonly NewAuditEntry[];
}

/** The NOTIFY channel of a schema's due instants: a plain identifier, at most 63 bytes. */
function dueChannel(schema: string | null): string {
  return `prozvon_due_${schema ?? 'search_path'}`.slice(0, 63);
}

/** The key of the writes that read and write a lead (write-queue.ts). */
const leadKey = (leadId: string) => `lead:${leadId}`;
/** Every insert that looks up a ref or an adopted CRM lead first: one at a time in a batch. */
const INSERT_RULES = 'insert-rules';

function insertKeys(lead: NewLead): string[] {
  const ruled = lead.ref !== null || (lead.adoptedCrmLeadId ?? null) !== null;
  return ruled ? [leadKey(lead.id), INSERT_RULES] : [leadKey(lead.id)];
}

function run(
  on: Pick<pg.PoolClient, 'query'> | pg.Pool | Tx,
  statement: Statement,
  values: unknown[],
): Promise<pg.QueryResult> {
  const config = { name: statement.name, text: statement.text, values };
  // In a write transaction, whose statements run their generic plan (write-queue.ts).
  if (statement.custom === true && 'due' in on) return queryPlanned(on, config);
  return on.query(config);
}

/**
 * When the other instances should look at a pending effect this one queued at `now` (the instant
 * its write tells them, watchDue): one available now is this instance's to run first, theirs only
 * TAKEOVER_MS later; one available later, at that time (this instance hears of it so too).
 */
function dueElsewhere(effect: NewEffect, now: number): number {
  return effect.availableAt > now ? effect.availableAt : effect.availableAt + TAKEOVER_MS;
}

function byClaimOrder(a: EffectRow, b: EffectRow): number {
  return a.priority - b.priority || a.id - b.id;
}

/**
 * The rows of `effects` stored claimed, built from what was given and the ids written (RETURNING
 * id, key): a key already queued wrote nothing and is not among them; of a key given twice, the
 * first was written.
 */
function claimedOf(
  effects: readonly NewEffect[],
  written: readonly Record<string, unknown>[],
  createdAt: number,
) {
  const ids = new Map(written.map((row) => [String(row.key), Number(row.id)]));
  const started = new Set(written.filter((row) => row.status === 'started').map((row) => String(row.key)));
  const claimed: EffectRow[] = [];
  for (const effect of effects) {
    const id = ids.get(effect.key);
    if (id === undefined) continue;
    ids.delete(effect.key);
    const { claim, ...fields } = effect;
    // A claim over its tenant's cap was stored pending (statements.ts effectRows).
    if (!claim || !started.has(effect.key)) continue;
    claimed.push({
      ...fields,
      id,
      status: 'started',
      attempts: 1,
      leaseOwner: claim.owner,
      leaseUntil: claim.leaseUntil,
      result: null,
      createdAt,
      finishedAt: null,
    });
  }
  return claimed;
}

/**
 * The tenants' call locks a turn's writes try (withCallLocks, hand-offs), in one statement: the
 * ones had, never waited for. A transaction's advisory locks are its own: one it holds already is
 * had again. A tenant whose lock another transaction holds gets no claim: a write stores its
 * capped effects pending, a hand-off hands nothing off, and the freed slot is claimed as ever,
 * after the commit.
 */
async function tryCallLocks(tx: Tx, tenants: readonly string[]): Promise<Set<string>> {
  const { rows } = await run(tx, SQL.tryLockCallTenants, [[...new Set(tenants)].sort()]);
  return new Set(rows.map((row) => String(row.tenant_id)));
}

/**
 * The hand-offs of one turn of a write transaction whose tenants' call locks it holds (tryCallLocks):
 * in a statement of its own, which counts what committed before the lock and what this transaction
 * completed, each tenant's next pending effects within its room, as many as ask.
 */
async function handOffTogether(tx: Tx, asks: readonly EffectHandOff[]): Promise<Map<string, EffectRow[]>> {
  const byTenant = Map.groupBy(asks, (ask) => ask.tenantId);
  const claims = [...byTenant].map(async ([tenant, tenantAsks]) => {
    const { now, owner, leaseUntil, caps } = tenantAsks[0] as EffectHandOff;
    const capTenants = Object.keys(caps.perTenant);
    const claimed = await run(tx, SQL.claimCapped, [
      now,
      tenantAsks.length,
      owner,
      leaseUntil,
      [...caps.kinds],
      [tenant],
      capTenants,
      capTenants.map((name) => caps.perTenant[name]),
      caps.otherwise,
    ]);
    return [tenant, claimed.rows.map(toEffectRow).sort(byClaimOrder)] as const;
  });
  return new Map(await Promise.all(claims));
}

/** A new lead of insertTogether's, its effects with their call locks tried (withCallLocks). */
interface NewRow {
  readonly lead: NewLead;
  readonly snapshot: string;
  readonly effects: readonly NewEffect[];
  readonly audit: readonly NewAuditEntry[];
}

/** The new leads of a turn, one statement (SQL.insertLeads): the effects written, by lead. */
async function insertTogether(
  tx: Tx,
  rows: readonly NewRow[],
): Promise<Map<string, Record<string, unknown>[]>> {
  const leads: unknown[][] = Array.from({ length: 19 }, () => []);
  const effects: NewEffect[] = [];
  const effectLeads: string[] = [];
  const effectTimes: number[] = [];
  for (const { lead, snapshot, effects: queued } of rows) {
    pushRow(leads, [
      lead.id,
      lead.tenantId,
      lead.ref,
      lead.crmState,
      lead.callState,
      snapshot,
      lead.wakeAt,
      lead.finished,
      lead.submittedAt,
      lead.bodyHash ?? null,
      lead.adoptedCrmLeadId ?? null,
      ...newFactsValues(lead.facts),
    ]);
    for (const effect of queued) {
      effects.push(effect);
      effectLeads.push(lead.id);
      effectTimes.push(lead.submittedAt);
    }
  }
  const written = await run(tx, SQL.insertLeads, [
    ...leads,
    ...auditArrays(rows.flatMap((row) => row.audit)),
    ...effectArrays(effects),
    effectCaps(effects),
    effectLeads,
    effectTimes,
  ]);
  return Map.groupBy(written.rows, (row) => String(row.lead_id));
}

/**
 * A write's effects, with the call locks of the tenants it claims capped effects of (EffectClaim
 * `cap`) taken for its transaction: tried, never waited for (a write holds lead locks; a wait here
 * could close a cycle). A tenant whose lock another transaction holds — a claim or write deciding
 * its calls right now — has its effects' claims dropped: stored pending, the engine claims them
 * next. The statement that inserts them counts each tenant's calls in flight after this.
 */
async function withCallLocks(
  callLocks: Coalesced<Tx, string, Set<string>>,
  tx: Tx,
  effects: readonly NewEffect[],
): Promise<readonly NewEffect[]> {
  const tenants = [...new Set(effects.flatMap((e) => (e.claim?.cap === undefined ? [] : [e.tenantId])))];
  if (tenants.length === 0) return effects;
  // Tried with the other writes' of this turn (#callLocks): one answer, the same set, for each.
  const [locked = new Set<string>()] = await Promise.all(tenants.map((tenant) => callLocks.add(tx, tenant)));
  return effects.map((effect) => {
    if (effect.claim?.cap === undefined || locked.has(effect.tenantId)) return effect;
    const { claim: _busy, ...pending } = effect;
    return pending;
  });
}

/**
 * Refuses, at start, a role that may not create temporary tables in the database: the dashboard's
 * rollups are staged in one per connection (dashboard-rollups-folded.ts), so every write of a lead
 * with an outcome would fail, and migration 10 builds them through one. Said before migrating, with
 * the grant it needs, not as the server's "permission denied" halfway. PostgreSQL grants TEMPORARY
 * to everyone unless an operator revoked it.
 */
async function mayStageRollups(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query(
    // Quoted as the GRANT below needs them (a name with capitals or a dash).
    `SELECT quote_ident(current_user) AS role, quote_ident(current_database()) AS database,
            has_database_privilege(current_database(), 'TEMPORARY') AS allowed`,
  );
  const row = rows[0] as { role: string; database: string; allowed: boolean } | undefined;
  if (row === undefined || row.allowed) return;
  throw new Error(
    `the PostgreSQL role ${row.role} may not create temporary tables in the database ${row.database}, ` +
      `where Prozvon stages the dashboard's figures of each write; grant it: ` +
      `GRANT TEMPORARY ON DATABASE ${row.database} TO ${row.role}`,
  );
}
