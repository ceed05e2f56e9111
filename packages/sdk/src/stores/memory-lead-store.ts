import type { Dashboard, DashboardQuery } from '../ports/dashboard.js';
import {
  type LeadFacts,
  type LeadFactsUpdate,
  type MachinePersonMark,
  type MachinePersonResult,
  NO_FACTS,
} from '../ports/lead-facts.js';
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
} from '../ports/lead-store.js';
import { PENDING_CALL_TTL_MS, type PendingCall } from '../ports/pending-calls.js';

import { assertPruneArgs, deleteBatchSize } from './delete-batch.js';
import { CapRoom, isInFlight } from './in-flight-caps.js';
import { leadPageOf } from './lead-page.js';
import { machinePersonAudit } from './machine-person-audit.js';
import { memoryDashboard } from './memory-dashboard.js';
import { queuedEffectRow, withoutClaim } from './queued-effect-row.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The LeadStore in process memory, for tests and for trying the SDK without a database. It keeps
 * the contract honestly: values are copied in and out (a caller mutating a snapshot changes
 * nothing stored), and every method body runs without an `await` between reading and writing,
 * so each one is a transaction — two updates of one lead can only run one after the other.
 * Claims scan every row: fine for tests, not for a million waiting leads (use SQLite).
 */
export class MemoryLeadStore implements LeadStore {
  readonly #leads = new Map<string, StoredLead>();
  /** Each lead's dashboard columns, by lead id. */
  readonly #facts = new Map<string, LeadFacts>();
  /** What a retry of a lead's request is answered with, by lead id (leads with a ref and hash). */
  readonly #answers = new Map<string, FirstAnswer>();
  /** Lead ids by the CRM lead they were adopted from, keyed by [tenant, CRM lead id] as JSON. */
  readonly #adopted = new Map<string, string>();
  /** Effects by id; ids grow, so Map order is creation order. */
  readonly #effects = new Map<number, Mutable<EffectRow>>();
  readonly #effectKeys = new Set<string>();
  readonly #audit: AuditEntry[] = [];
  /** Finished leads whose trail and outbox rows pruneFinished deleted. */
  readonly #pruned = new Set<string>();
  readonly #counters = new Map<string, { total: number; until: number }>();
  /** Refusals by tenant and reason, keyed by the pair as JSON. */
  readonly #refusals = new Map<string, number>();
  readonly #pendingCalls = new Map<string, PendingCall>();
  #nextEffectId = 1;
  #nextAuditId = 1;
  #closed = false;

  async migrate(): Promise<void> {
    this.#open();
  }

  async insertLead(
    lead: NewLead,
    effects: readonly NewEffect[],
    audit: readonly NewAuditEntry[],
  ): Promise<InsertResult> {
    this.#open();
    if (this.#leads.has(lead.id)) throw new Error(`lead ${lead.id} already exists`);
    const adopted = this.#adoptedOf(lead);
    if (adopted) return adopted;
    const replay = this.#replayOf(lead);
    if (replay) return replay;
    if (lead.ref !== null && !lead.finished) {
      const existing = this.#unfinishedWithRef(lead.tenantId, lead.ref);
      if (existing) return { inserted: false, existingLeadId: existing.id };
    }
    this.#assertLeads([...effects, ...audit], lead.id);
    assertTimes([lead.wakeAt, lead.submittedAt], effects, audit);
    const { bodyHash = null, adoptedCrmLeadId = null, facts = {}, ...row } = lead;
    assertTimes([facts.firstRingAt ?? null, facts.answeredAt ?? null]);
    if (lead.ref !== null && bodyHash !== null) {
      this.#answers.set(lead.id, { bodyHash, crmState: lead.crmState, callState: lead.callState });
    }
    if (adoptedCrmLeadId !== null) this.#adopted.set(adoptedKey(lead.tenantId, adoptedCrmLeadId), lead.id);
    this.#leads.set(lead.id, {
      ...copy(row),
      updatedAt: lead.submittedAt,
      version: 1,
      leaseOwner: null,
      leaseUntil: null,
    });
    this.#facts.set(lead.id, { ...NO_FACTS, ...copy(facts) });
    const claimed = this.#addEffects(effects, lead.submittedAt);
    this.#addAudit(audit);
    return { inserted: true, claimed };
  }

  async getLead(leadId: string): Promise<StoredLead | null> {
    this.#open();
    const lead = this.#leads.get(leadId);
    return lead ? copy(lead) : null;
  }

  async findAdoptedLead(tenantId: string, crmLeadId: string): Promise<string | null> {
    this.#open();
    const id = this.#adopted.get(adoptedKey(tenantId, crmLeadId));
    return id !== undefined && this.#leads.has(id) ? id : null;
  }

  async listLeads(tenantId: string, query: LeadListQuery): Promise<LeadPage> {
    this.#open();
    const page = leadPageOf(this.#leads.values(), tenantId, query);
    return { leads: page.leads.map(copy), next: page.next };
  }

  async updateLead(
    leadId: string,
    decide: (lead: StoredLead) => LeadUpdate | null,
    options: UpdateOptions = {},
  ): Promise<UpdateResult | null> {
    this.#open();
    const current = this.#leads.get(leadId);
    if (!current) return null;
    const update = decide(copy(current));
    // Checked before anything is written, as a database would refuse it and roll back.
    if (update && !update.finished && current.ref !== null) {
      const clash = this.#unfinishedWithRef(current.tenantId, current.ref);
      if (clash && clash.id !== leadId) throw new Error(`an unfinished lead with ref ${current.ref} exists`);
    }
    this.#assertLeads([...(options.audit ?? []), ...(update?.effects ?? []), ...(update?.audit ?? [])]);
    assertTimes(
      [
        update?.wakeAt ?? null,
        update?.updatedAt ?? null,
        options.completeEffect?.at ?? null,
        update?.facts?.firstRingAt ?? null,
        update?.facts?.answeredAt ?? null,
      ],
      update?.effects ?? [],
      [...(options.audit ?? []), ...(update?.audit ?? [])],
    );
    this.#addAudit(options.audit ?? []);
    if (options.completeEffect) this.#complete(leadId, options.completeEffect);
    if (!update) return { claimed: [] };

    const written: StoredLead = {
      ...current,
      crmState: update.crmState,
      callState: update.callState,
      snapshot: copy(update.snapshot),
      wakeAt: update.wakeAt,
      finished: update.finished,
      updatedAt: update.updatedAt,
      version: current.version + 1,
      leaseOwner: null,
      leaseUntil: null,
    };
    this.#leads.set(leadId, written);
    if (update.facts !== undefined) this.#updateFacts(leadId, update.facts);
    this.#cancelPending(leadId, update.cancelEffects ?? [], update.updatedAt);
    const claimed = this.#addEffects(update.effects, update.updatedAt);
    this.#addAudit(update.audit);
    return { claimed };
  }

  async getLeadFacts(leadId: string): Promise<LeadFacts | null> {
    this.#open();
    const facts = this.#facts.get(leadId);
    return facts === undefined ? null : copy(facts);
  }

  async markMachinePerson(mark: MachinePersonMark): Promise<MachinePersonResult> {
    this.#open();
    assertTimes([mark.at]);
    const lead = this.#leads.get(mark.leadId);
    const facts = this.#facts.get(mark.leadId);
    if (lead === undefined || facts === undefined || lead.tenantId !== mark.tenantId)
      return { outcome: 'unknown_lead' };
    if (facts.outcome !== 'machine') return { outcome: 'not_machine', leadOutcome: facts.outcome };
    if (facts.machinePersonAt !== null) {
      return { outcome: 'already_marked', at: facts.machinePersonAt, by: facts.machinePersonBy ?? '' };
    }
    this.#facts.set(mark.leadId, { ...facts, machinePersonAt: mark.at, machinePersonBy: mark.by });
    this.#addAudit([machinePersonAudit(mark)]);
    return { outcome: 'marked', at: mark.at, by: mark.by };
  }

  async dashboard(tenantId: string, query: DashboardQuery): Promise<Dashboard> {
    this.#open();
    return memoryDashboard(
      [...this.#leads.values()]
        .filter((lead) => lead.tenantId === tenantId)
        .map((lead) => ({ submittedAt: lead.submittedAt, facts: this.#facts.get(lead.id) ?? NO_FACTS })),
      query,
    );
  }

  async finishEffect(
    leadId: string,
    completion: EffectCompletion,
    audit: readonly NewAuditEntry[],
  ): Promise<void> {
    this.#open();
    this.#assertLeads(audit);
    assertTimes([completion.at], [], audit);
    this.#complete(leadId, completion);
    this.#addAudit(audit);
  }

  async claimDueLeads(now: number, limit: number, owner: string, leaseMs: number): Promise<StoredLead[]> {
    this.#open();
    assertTimes([now, now + leaseMs]);
    const due = [...this.#leads.values()]
      .filter((l) => !l.finished && l.wakeAt !== null && l.wakeAt <= now && isFree(l.leaseUntil, now))
      .sort((a, b) => (a.wakeAt ?? 0) - (b.wakeAt ?? 0) || a.submittedAt - b.submittedAt)
      .slice(0, Math.max(0, limit));
    return due.map((lead) => {
      const leased = { ...lead, leaseOwner: owner, leaseUntil: now + leaseMs };
      this.#leads.set(lead.id, leased);
      return copy(leased);
    });
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
    this.#open();
    assertTimes([now, now + leaseMs]);
    const room =
      caps &&
      new CapRoom(
        caps,
        [...this.#effects.values()].filter((e) => isInFlight(e, now)),
      );
    const excluded = (e: EffectRow) =>
      (!!exclude?.tenants.includes(e.tenantId) && exclude.kinds.includes(e.kind)) ||
      (kinds?.only !== undefined && !kinds.only.includes(e.kind)) ||
      (kinds?.except?.includes(e.kind) ?? false);
    const claimable = [...this.#effects.values()]
      .filter(
        (e) =>
          !excluded(e) &&
          ((e.status === 'pending' && e.availableAt <= now) ||
            (e.status === 'started' && !e.paid && isFree(e.leaseUntil, now))),
      )
      .sort((a, b) => a.priority - b.priority || a.id - b.id)
      .filter((e) => !room || room.take(e.tenantId, e.kind))
      .slice(0, Math.max(0, limit));
    return claimable.map((e) => {
      Object.assign(e, {
        status: 'started',
        leaseOwner: owner,
        leaseUntil: now + leaseMs,
        attempts: e.attempts + 1,
      });
      return copy(e);
    });
  }

  async claimOrphans(now: number, limit: number, owner: string, leaseMs: number): Promise<EffectRow[]> {
    this.#open();
    assertTimes([now, now + leaseMs]);
    return [...this.#effects.values()]
      .filter((e) => e.status === 'started' && e.paid && isFree(e.leaseUntil, now))
      .sort((a, b) => a.priority - b.priority || a.id - b.id)
      .slice(0, Math.max(0, limit))
      .map((e) => {
        Object.assign(e, { leaseOwner: owner, leaseUntil: now + leaseMs });
        return copy(e);
      });
  }

  async renewEffectLease(effectId: number, owner: string, leaseUntil: number): Promise<boolean> {
    this.#open();
    assertTimes([leaseUntil]);
    const effect = this.#effects.get(effectId);
    if (effect?.status !== 'started' || effect.leaseOwner !== owner) return false;
    effect.leaseUntil = leaseUntil;
    return true;
  }

  async releaseEffect(effectId: number, owner: string, availableAt: number, note: unknown): Promise<void> {
    this.#open();
    assertTimes([availableAt]);
    const effect = this.#effects.get(effectId);
    if (effect?.status !== 'started' || effect.leaseOwner !== owner) return;
    Object.assign(effect, {
      status: 'pending',
      availableAt,
      leaseOwner: null,
      leaseUntil: null,
      result: toJson(note),
    });
  }

  async nextDueAt(after = Number.MIN_SAFE_INTEGER, of: DueKind = 'all'): Promise<number | null> {
    this.#open();
    let next: number | null = null;
    for (const lead of of === 'effects' ? [] : this.#leads.values()) {
      if (
        !lead.finished &&
        lead.wakeAt !== null &&
        lead.wakeAt > after &&
        (next === null || lead.wakeAt < next)
      )
        next = lead.wakeAt;
    }
    for (const effect of of === 'leads' ? [] : this.#effects.values()) {
      const due =
        effect.status === 'pending'
          ? effect.availableAt
          : effect.status === 'started'
            ? effect.leaseUntil
            : null;
      if (due !== null && due > after && (next === null || due < next)) next = due;
    }
    return next;
  }

  async recordAudit(entries: readonly NewAuditEntry[]): Promise<void> {
    this.#open();
    this.#addAudit(entries);
  }

  async getAudit(leadId: string): Promise<AuditEntry[]> {
    this.#open();
    return this.#audit.filter((a) => a.leadId === leadId).map(copy);
  }

  async getEffects(leadId: string): Promise<EffectRow[]> {
    this.#open();
    return [...this.#effects.values()].filter((e) => e.leadId === leadId).map(copy);
  }

  async countHits(hits: readonly CounterHit[], now: number): Promise<CountResult> {
    this.#open();
    assertTimes([now, ...hits.map((hit) => hit.until)]);
    for (const [key, counter] of this.#counters) if (counter.until <= now) this.#counters.delete(key);
    const current = hits.map((hit) => this.#counters.get(hit.key)?.total ?? 0);
    if (hits.some((hit, i) => (current[i] ?? 0) + hit.by > hit.limit))
      return { counted: false, totals: current };
    const totals = hits.map((hit) => {
      const counter = this.#counters.get(hit.key) ?? { total: 0, until: hit.until };
      counter.total += hit.by;
      this.#counters.set(hit.key, counter);
      return counter.total;
    });
    return { counted: true, totals };
  }

  async countRefusal(tenantId: string, reason: string): Promise<void> {
    this.#open();
    const key = JSON.stringify([tenantId, reason]);
    this.#refusals.set(key, (this.#refusals.get(key) ?? 0) + 1);
  }

  async stats(): Promise<StoreStats> {
    this.#open();
    const byState = new Map<string, { crmState: string; callState: string; count: number }>();
    let unfinished = 0;
    let waiting = 0;
    for (const lead of this.#leads.values()) {
      if (lead.finished) continue;
      unfinished++;
      if (lead.wakeAt !== null) waiting++;
      const key = JSON.stringify([lead.crmState, lead.callState]);
      const row = byState.get(key) ?? { crmState: lead.crmState, callState: lead.callState, count: 0 };
      row.count++;
      byState.set(key, row);
    }
    const pendingEffects = [...this.#effects.values()].filter((e) => e.status === 'pending').length;
    const sorted = [...byState.values()].sort(
      (a, b) => compare(a.crmState, b.crmState) || compare(a.callState, b.callState),
    );
    const refusals = [...this.#refusals]
      .map(([key, count]) => {
        const [tenantId, reason] = JSON.parse(key) as [string, string];
        return { tenantId, reason, count };
      })
      .sort((a, b) => compare(a.tenantId, b.tenantId) || compare(a.reason, b.reason));
    return { unfinished, waiting, byState: sorted, pendingEffects, refusals };
  }

  async deleteTenant(tenantId: string, options: DeleteTenantOptions = {}): Promise<number> {
    this.#open();
    deleteBatchSize(options); // checked as the other stores check it; memory needs no batches
    const ids = new Set<string>();
    for (const lead of this.#leads.values()) if (lead.tenantId === tenantId) ids.add(lead.id);
    for (const id of ids) {
      this.#leads.delete(id);
      this.#answers.delete(id);
      this.#pruned.delete(id);
    }
    for (const [key, id] of this.#adopted) if (ids.has(id)) this.#adopted.delete(key);
    this.#dropEffectsAndAudit(ids);
    for (const [callId, call] of this.#pendingCalls)
      if (ids.has(call.leadId)) this.#pendingCalls.delete(callId);
    for (const key of this.#refusals.keys()) {
      if ((JSON.parse(key) as [string, string])[0] === tenantId) this.#refusals.delete(key);
    }
    return ids.size;
  }

  /** Deletes the outbox rows and audit entries of `ids` (a tenant deleted, finished leads pruned). */
  #dropEffectsAndAudit(ids: ReadonlySet<string>): void {
    for (const [effectId, effect] of this.#effects) {
      if (!ids.has(effect.leadId)) continue;
      this.#effects.delete(effectId);
      this.#effectKeys.delete(effect.key);
    }
    let kept = 0; // compacted in place: the trail keeps its order
    for (const entry of this.#audit) if (!ids.has(entry.leadId)) this.#audit[kept++] = entry;
    this.#audit.length = kept;
  }

  async pruneFinished(before: number, limit: number): Promise<number> {
    this.#open();
    assertPruneArgs(before, limit);
    const ids = new Set(
      [...this.#leads.values()]
        .filter((lead) => lead.finished && lead.submittedAt < before && !this.#pruned.has(lead.id))
        .sort((a, b) => a.submittedAt - b.submittedAt)
        .slice(0, limit)
        .map((lead) => lead.id),
    );
    this.#dropEffectsAndAudit(ids);
    for (const id of ids) this.#pruned.add(id);
    return ids.size;
  }

  async savePendingCall(call: PendingCall): Promise<void> {
    this.#open();
    assertTimes([call.createdAt]);
    const cutoff = call.createdAt - PENDING_CALL_TTL_MS;
    for (const [callId, stored] of this.#pendingCalls) {
      if (stored.createdAt < cutoff) this.#pendingCalls.delete(callId);
    }
    this.#pendingCalls.set(call.callId, copy(call));
  }

  async getPendingCall(callId: string): Promise<PendingCall | null> {
    this.#open();
    const call = this.#pendingCalls.get(callId);
    return call ? copy(call) : null;
  }

  async setPendingCallSession(callId: string, sessionId: string): Promise<void> {
    this.#open();
    const call = this.#pendingCalls.get(callId);
    if (call) this.#pendingCalls.set(callId, { ...call, sessionId });
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed) throw new Error('the lead store is closed');
  }

  #unfinishedWithRef(tenantId: string, ref: string): StoredLead | undefined {
    for (const lead of this.#leads.values()) {
      if (!lead.finished && lead.tenantId === tenantId && lead.ref === ref) return lead;
    }
    return undefined;
  }

  /** The tenant's lead adopted from the same CRM lead, as it is now, if any. */
  #adoptedOf(lead: NewLead): InsertResult | null {
    if (lead.adoptedCrmLeadId == null) return null;
    const id = this.#adopted.get(adoptedKey(lead.tenantId, lead.adoptedCrmLeadId));
    const known = id === undefined ? undefined : this.#leads.get(id);
    if (!known) return null;
    return {
      inserted: false,
      adopted: true,
      leadId: known.id,
      crmState: known.crmState,
      callState: known.callState,
    };
  }

  /** The newest lead of this tenant, ref and body submitted within the replay window, if any. */
  #replayOf(lead: NewLead): InsertResult | null {
    if (lead.ref === null || !lead.bodyHash) return null;
    let newest: StoredLead | undefined;
    for (const stored of this.#leads.values()) {
      if (
        stored.tenantId === lead.tenantId &&
        stored.ref === lead.ref &&
        this.#answers.get(stored.id)?.bodyHash === lead.bodyHash &&
        stored.submittedAt > lead.submittedAt - REPLAY_WINDOW_MS &&
        (newest === undefined || stored.submittedAt > newest.submittedAt)
      )
        newest = stored;
    }
    const answer = newest && this.#answers.get(newest.id);
    if (!newest || !answer) return null;
    return {
      inserted: false,
      replay: true,
      leadId: newest.id,
      crmState: answer.crmState,
      callState: answer.callState,
    };
  }

  /** Every row must belong to a stored lead (a foreign key in SQL); checked before any write. */
  #assertLeads(rows: readonly { leadId: string }[], insertingId?: string): void {
    for (const { leadId } of rows) {
      if (leadId !== insertingId && !this.#leads.has(leadId)) throw new Error(`no lead ${leadId}`);
    }
  }

  /**
   * A key already queued is skipped, as SQL's INSERT … ON CONFLICT (key) DO NOTHING. Returns
   * copies of the rows stored claimed.
   */
  #addEffects(effects: readonly NewEffect[], createdAt: number): EffectRow[] {
    const claimed: EffectRow[] = [];
    for (const effect of effects) {
      if (this.#effectKeys.has(effect.key)) continue;
      this.#effectKeys.add(effect.key);
      const id = this.#nextEffectId++;
      const queued = this.#withinCap(effect, createdAt) ? effect : withoutClaim(effect);
      const row: Mutable<EffectRow> = queuedEffectRow(copy(queued), id, createdAt);
      this.#effects.set(id, row);
      if (queued.claim) claimed.push(copy(row));
    }
    return claimed;
  }

  /** Whether a claim with a `cap` leaves room: the tenant's effects of its kind in flight now. */
  #withinCap(effect: NewEffect, now: number): boolean {
    const cap = effect.claim?.cap;
    if (cap === undefined) return true;
    let inFlight = 0;
    for (const e of this.#effects.values()) {
      if (e.tenantId === effect.tenantId && e.kind === effect.kind && isInFlight(e, now)) inFlight++;
    }
    return inFlight < cap;
  }

  /** LeadFactsUpdate's rules: absent fields kept, the two instants kept once set. */
  #updateFacts(leadId: string, update: LeadFactsUpdate): void {
    const facts = this.#facts.get(leadId) ?? NO_FACTS;
    this.#facts.set(leadId, {
      ...facts,
      partnerName: update.partnerName === undefined ? facts.partnerName : update.partnerName,
      outcome: update.outcome === undefined ? facts.outcome : update.outcome,
      firstRingAt: facts.firstRingAt ?? update.firstRingAt ?? null,
      answeredAt: facts.answeredAt ?? update.answeredAt ?? null,
    });
  }

  #addAudit(entries: readonly NewAuditEntry[]): void {
    for (const entry of entries) {
      this.#audit.push({ ...copy(entry), id: this.#nextAuditId++ });
    }
  }

  #cancelPending(leadId: string, kinds: readonly string[], at: number): void {
    if (kinds.length === 0) return;
    for (const effect of this.#effects.values()) {
      if (effect.leadId !== leadId || effect.status !== 'pending' || !kinds.includes(effect.kind)) continue;
      Object.assign(effect, { status: 'failed', result: { cancelled: true }, finishedAt: at });
    }
  }

  /** The first outcome wins: a completion repeated after a crash keeps what was recorded. */
  #complete(leadId: string, completion: EffectCompletion): void {
    const effect = this.#effects.get(completion.effectId);
    if (!effect || effect.leadId !== leadId || effect.status === 'done' || effect.status === 'failed') return;
    Object.assign(effect, {
      status: completion.status,
      result: copy(completion.result),
      finishedAt: completion.at,
      leaseOwner: null,
      leaseUntil: null,
    });
  }
}

interface FirstAnswer {
  readonly bodyHash: string;
  readonly crmState: string;
  readonly callState: string;
}

/**
 * Times are whole milliseconds: SQLite's STRICT INTEGER columns refuse 1.5, so the memory store
 * refuses it too, and a fractional time made by the engine fails in its tests, not in production.
 */
function assertTimes(
  times: readonly (number | null)[],
  effects: readonly NewEffect[] = [],
  audit: readonly NewAuditEntry[] = [],
): void {
  const all = [
    ...times,
    ...effects.flatMap((e) => [e.availableAt, e.priority, e.claim?.leaseUntil ?? null]),
    ...audit.map((a) => a.at),
  ];
  const bad = all.find((t) => t !== null && !Number.isSafeInteger(t));
  if (bad !== undefined) throw new Error(`times are whole milliseconds, got ${bad}`);
}

/** A lease is free when there is none or it ran out: it holds while now < leaseUntil. */
function isFree(leaseUntil: number | null, now: number): boolean {
  return leaseUntil === null || leaseUntil <= now;
}

/**
 * Through JSON, as a SQL store stores it: a caller sees exactly what PostgreSQL or SQLite would
 * give back (no `undefined` keys, no Dates, NaN as null), and nothing shares memory with the store.
 */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Notes are `unknown`: keep what JSON can hold, exactly what a SQL store would read back. */
function toJson(note: unknown): EffectRow['result'] {
  const text = JSON.stringify(note);
  return text === undefined ? null : JSON.parse(text);
}

/** Plain code-unit order: the same as SQLite's BINARY collation for the ASCII state names. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function adoptedKey(tenantId: string, crmLeadId: string): string {
  return JSON.stringify([tenantId, crmLeadId]);
}
