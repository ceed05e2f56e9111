import 'reflect-metadata';
import { randomUUID, randomUUIDv7 } from 'node:crypto';
import { hostname } from 'node:os';
import { inject, injectable, optional } from 'inversify';
import { AbuseGuard } from '../abuse/index.js';
import { parseLead } from '../lead/index.js';
import { CRM_EFFECTS, EFFECT_TYPES, type EffectType, type LeadEvent } from '../machine/index.js';
import {
  Clock,
  type EffectCompletion,
  type EffectRow,
  type JsonValue,
  LeadStore,
  type LeadUpdate,
  type NewAuditEntry,
  type NewEffect,
  type StoredLead,
} from '../ports/index.js';
import { audit, contextOf, decideEvent, decideNewLead, describeEvent } from './decide.js';
import { DialPacer } from './dial-pacer.js';
import { DuplicateLeadError, EngineStoppedError, UnknownTenantError } from './engine-errors.js';
import { EngineLogger, type Logger } from './logger.js';
import { performEffect } from './perform-effect.js';
import { machineFor, type Tenant, TenantRegistry } from './tenants.js';
import { WakeTimer } from './wake-timer.js';

export interface EngineOptions {
  /** Names this instance in leases. Default: host, pid and a random suffix. */
  readonly owner?: string;
  /** How long a claimed lead or effect stays ours before another instance may take it. */
  readonly leaseMs?: number;
  /** Effects of each lane (CRM; SMS, notices and call history) performed at once by this instance. */
  readonly maxEffectsInFlight?: number;
  /** Calls being started at once across all tenants (Voximplant allows 200 StartScenarios). */
  readonly maxDialsInFlight?: number;
  /** Due leads woken per store round trip. */
  readonly wakeBatch?: number;
  /** How long `stop()` waits for effects in flight. */
  readonly stopTimeoutMs?: number;
}

export const EngineOptions = Symbol.for('prozvon.EngineOptions');

/** Due leads woken together: one store transaction, about 10 ms of work, then a turn for others. */
const WAKE_CHUNK = 100;

/** While something due is held elsewhere, the scheduler looks again this often. */
const SWEEP_MS = 5_000;

/** Effects other than dials, by the service they wait on; each lane has its own slots. */
const EFFECT_LANES: readonly { name: string; kinds: readonly string[] }[] = [
  { name: 'crm', kinds: [...CRM_EFFECTS] },
  {
    name: 'messages',
    kinds: [...EFFECT_TYPES].filter((kind) => kind !== 'dial' && !CRM_EFFECTS.has(kind as EffectType)),
  },
];

function laneOf(kind: string): string {
  return EFFECT_LANES.find((lane) => lane.kinds.includes(kind))?.name ?? 'dial';
}

export interface SubmitResult {
  readonly leadId: string;
  /** The call region's state: what the customer is going through (`call.dialing`). */
  readonly state: string;
  readonly crmState: string;
  readonly callState: string;
}

export type DeliverOutcome =
  | { readonly outcome: 'applied'; readonly crmState: string; readonly callState: string }
  | { readonly outcome: 'unknown_lead' }
  /** The lead exists but the event changes nothing: a late, duplicate or unexpected result. */
  | { readonly outcome: 'ignored'; readonly reason: 'late' | 'duplicate' | 'unexpected' };

export interface StateChange {
  readonly leadId: string;
  readonly tenantId: string;
  readonly from: { crmState: string; callState: string } | null;
  readonly to: { crmState: string; callState: string };
  readonly at: number;
  readonly submittedAt: number;
}

/** Effects whose results a shop's HTTP callback may bring in: what `deliver` accepts. */
type DeliverableEvent = Extract<LeadEvent, { type: 'CALL_RESULT' | 'DIAL_STARTED' }>;

/**
 * Runs leads: decides (the pure machine), persists (one store transaction per decision), then does
 * (effects from the outbox, through the tenant's ports), as DESIGN.md "decide, persist, do" says.
 * Survives a crash at any point: everything it knows is in the store.
 */
@injectable()
export class LeadEngine {
  readonly #owner: string;
  readonly #leaseMs: number;
  readonly #maxEffects: number;
  readonly #wakeBatch: number;
  readonly #stopTimeoutMs: number;
  readonly #pacer: DialPacer;
  readonly #timer: WakeTimer;
  readonly #guard: AbuseGuard;
  /** Effects this instance is performing, by outbox id: what `stop()` waits for, and a guard so a
   *  lease that ran out while one was slow never makes this instance start it a second time. */
  readonly #inFlight = new Map<number, Promise<void>>();
  readonly #laneInFlight = new Map<string, number>();
  /** Lanes that may have claimable effects. A claim that comes back short clears its lane; a
   *  queued effect, or the timer (effects due later, leases run out), sets it again. */
  readonly #laneHasWork = new Set<string>(['crm', 'messages', 'dial']);
  /** Where an effect may wait that a new one must not overtake: a lane, or for dials a shop
   *  (`dial:<tenant>`), whose effect was left pending for want of a slot, or a lane that may hold
   *  effects this instance did not queue (before a restart, another instance's). A claim that
   *  finds nothing more to take clears it; the scheduler's tick sets every lane again. */
  readonly #backlog = new Set<string>(['crm', 'messages', 'dial']);
  /** Bumped whenever a lane is marked (work or backlog): a claim that comes back short clears
   *  the marks only if none was made while it ran, or that mark would be lost. */
  readonly #laneMarks = new Map<string, number>();
  readonly #listeners = new Set<(change: StateChange) => void>();
  readonly #tenantCache = new Map<string, Tenant>();
  #running = false;
  #stopping = false;
  #ticking: Promise<void> | null = null;
  #tickAgain = false;
  /** The instant of the last claim of due leads: what fell due after it was not yet asked for. */
  #lastWakeClaimAt = Number.NEGATIVE_INFINITY;
  #pumping = false;
  #pumpAgain = false;

  constructor(
    @inject(LeadStore) private readonly store: LeadStore,
    @inject(TenantRegistry) private readonly tenants: TenantRegistry,
    @inject(Clock) private readonly clock: Clock,
    @inject(EngineLogger) private readonly log: Logger,
    @inject(EngineOptions) @optional() options: EngineOptions = {},
  ) {
    this.#owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#maxEffects = options.maxEffectsInFlight ?? 64;
    this.#wakeBatch = options.wakeBatch ?? 500;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
    this.#pacer = new DialPacer(
      options.maxDialsInFlight ?? 200,
      (tenantId) => this.#tenantCache.get(tenantId)?.config.maxCallsInFlight ?? 1,
      () => [...this.#tenantCache.keys()],
    );
    this.#timer = new WakeTimer(clock, () => this.#tick());
    this.#guard = new AbuseGuard(store);
  }

  /** Brings the store up to date and starts working: due leads, pending effects, the timer. */
  async start(): Promise<void> {
    await this.store.migrate();
    this.#running = true;
    this.#stopping = false;
    await this.#tick();
  }

  /**
   * Graceful stop: no new leads, no new effects; effects in flight finish (or, past the timeout,
   * are left `started`: a paid one is never re-sent, an idempotent one is re-run by whoever takes
   * its lease next).
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#running = false;
    this.#timer.clear();
    const drained = Promise.allSettled([...this.#inFlight.values(), this.#ticking]);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      drained,
      new Promise((resolve) => (timeout = setTimeout(resolve, this.#stopTimeoutMs))),
    ]);
    clearTimeout(timeout);
  }

  /** Calls `listener` after every committed state change (the demo prints these). */
  onStateChange(listener: (change: StateChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Validates and accepts a lead. Resolves once it is committed; throws `InvalidLeadError` (400),
   * `DuplicateLeadError` (409), `RateLimitedLeadError` (429, the abuse guard) or
   * `UnknownTenantError`. Calling starts at once if the phone can be called now, alongside
   * partner look-up and CRM creation.
   */
  async submitLead(body: unknown, tenantId = 'default'): Promise<SubmitResult> {
    if (this.#stopping) throw new EngineStoppedError();
    const parsed = parseLead(body);
    if (!parsed.ok) throw parsed.error;
    const tenant = await this.#tenant(tenantId);
    // Time-ordered (UUIDv7): the leads in progress sit together at the end of every index keyed
    // by lead id (leads, effects, audit), so their pages stay hot. Random v4 ids scattered each
    // write over the whole file: 2.37 → 1.68 ms of CPU a lifecycle on the throughput benchmark.
    const leadId = randomUUIDv7();
    const at = this.clock.now();
    // Over a per-phone or per-IP limit it throws (nothing stored); past a daily ceiling, no calls.
    const { callsAllowed } = await this.#guard.admit(tenantId, tenant.config, parsed.lead, at);
    const input = { leadId, tenantId, lead: parsed.lead, at, callsAllowed };
    const decision = decideNewLead(machineFor(tenant.config), input);
    const effects = this.#claimAsQueued(decision.effects);
    const inserted = await this.#written(
      () => effects,
      () => this.store.insertLead(decision.lead, effects, decision.audit),
    );
    if (!inserted.inserted) throw new DuplicateLeadError(inserted.existingLeadId);
    const { crmState, callState } = decision.lead;
    const phone = (decision.lead.snapshot as { context: { phone: { ok: boolean; e164?: string } } }).context
      .phone;
    this.log.info(
      { leadId, tenantId, crmState, callState, phone: phone.ok ? phone.e164 : parsed.lead.phone },
      'lead accepted',
    );
    this.#emit({ leadId, tenantId, from: null, to: { crmState, callState }, at, submittedAt: at });
    this.#afterWrite(decision.lead.wakeAt, effects, inserted.claimed);
    return { leadId, state: callState, crmState, callState };
  }

  /**
   * Brings a result from outside (the voice provider's callback) to a lead. Whatever happens, the
   * answer is typed and the audit trail records it; an event that changes nothing changes nothing.
   */
  async deliver(leadId: string, event: DeliverableEvent): Promise<DeliverOutcome> {
    const lead = await this.store.getLead(leadId);
    if (lead === null) {
      await this.#recordRejection(leadId, event, 'unknown_lead');
      this.log.warn({ leadId, event: event.type }, 'result for an unknown lead');
      return { outcome: 'unknown_lead' };
    }
    const applied = await this.#apply(lead.tenantId, leadId, event);
    if (applied !== null)
      return { outcome: 'applied', crmState: applied.crmState, callState: applied.callState };
    const reason = ignoredReason(lead, event);
    await this.#recordRejection(leadId, event, reason);
    this.log.info(
      {
        leadId,
        tenantId: lead.tenantId,
        crmState: lead.crmState,
        callState: lead.callState,
        event: event.type,
        reason,
      },
      'result ignored',
    );
    return { outcome: 'ignored', reason };
  }

  /** An event that changed nothing, on the lead's audit trail (or the id's, if no lead has it). */
  #recordRejection(leadId: string, event: DeliverableEvent, reason: string): Promise<void> {
    return this.store.recordAudit([
      audit(leadId, event.at, 'rejected', `attempt:${event.attempt}`, { ...describeObject(event), reason }),
    ]);
  }

  /** The lead's current row, for a status page or a test. */
  getLead(leadId: string): Promise<StoredLead | null> {
    return this.store.getLead(leadId);
  }

  // --- deciding and persisting ---------------------------------------------------------------

  async #apply(
    tenantId: string,
    leadId: string,
    event: LeadEvent,
    options: { completeEffect?: EffectCompletion; audit?: NewAuditEntry[] } = {},
  ): Promise<LeadUpdate | null> {
    const tenant = await this.#tenant(tenantId);
    const machine = machineFor(tenant.config);
    let update: LeadUpdate | null = null;
    let before: StoredLead | null = null;
    const result = await this.#written(
      () => update?.effects,
      () =>
        this.store.updateLead(
          leadId,
          (stored) => {
            // The store may run this twice (a transaction replayed): the slots the first run
            // took are given back before they are taken again.
            this.#releaseClaims(update?.effects);
            before = stored;
            const decided = decideEvent(machine, stored, event);
            update = decided && { ...decided, effects: this.#claimAsQueued(decided.effects) };
            return update;
          },
          options,
        ),
    );
    const written = update as LeadUpdate | null;
    const previous = before as StoredLead | null;
    if (written === null || previous === null || result === null) return null;
    const to = { crmState: written.crmState, callState: written.callState };
    const from = { crmState: previous.crmState, callState: previous.callState };
    if (to.crmState !== from.crmState || to.callState !== from.callState) {
      this.log.info({ leadId, tenantId, ...to, event: event.type }, 'lead moved');
      this.#emit({ leadId, tenantId, from, to, at: event.at, submittedAt: previous.submittedAt });
    }
    this.#afterWrite(written.wakeAt, written.effects, result.claimed);
    return written;
  }

  /**
   * Claims a decision's effects as they are queued where their lane has a free slot and no backlog:
   * stored `started`, they run as soon as the write commits, with no claim round trip (the walk
   * and the claim were a fifth of a lifecycle's CPU). Called inside the store's transaction,
   * synchronously, so no slot is promised twice. An effect left pending for want of a slot marks
   * the backlog, so no later decision overtakes it: first submitted, first served.
   */
  #claimAsQueued(effects: readonly NewEffect[]): NewEffect[] {
    if (!this.#running || effects.length === 0) return [...effects];
    const claim = { owner: this.#owner, leaseUntil: this.clock.now() + this.#leaseMs };
    return effects.map((effect) => {
      const lane = laneOf(effect.kind);
      const shop = `dial:${effect.tenantId}`;
      if (this.#backlog.has(lane) || (lane === 'dial' && this.#backlog.has(shop))) return effect;
      if (!this.#reserve(lane, effect.tenantId)) {
        this.#backlog.add(lane === 'dial' ? shop : lane);
        this.#bumpMark(lane);
        return effect;
      }
      return { ...effect, claim };
    });
  }

  /** Takes a slot of `lane` (and of the dial pacer) for an effect about to be stored claimed. */
  #reserve(lane: string, tenantId: string): boolean {
    const inFlight = this.#laneInFlight.get(lane) ?? 0;
    if (lane === 'dial') {
      if (!this.#pacer.canStart(tenantId)) return false;
      this.#pacer.start(tenantId);
    } else if (inFlight >= this.#maxEffects) return false;
    this.#laneInFlight.set(lane, inFlight + 1);
    return true;
  }

  /** Gives back the slots #claimAsQueued took for those of `effects` it claimed. */
  #releaseClaims(effects: readonly NewEffect[] = []): void {
    for (const { claim, kind, tenantId } of effects) {
      if (!claim) continue;
      const lane = laneOf(kind);
      if (lane === 'dial') this.#pacer.finish(tenantId);
      this.#laneInFlight.set(lane, (this.#laneInFlight.get(lane) ?? 1) - 1);
    }
  }

  /**
   * Runs a write whose effects may carry claims, and gives back the slots of those it did not
   * store claimed: all of them when the write fails, a key already queued otherwise.
   */
  async #written<T extends { claimed: readonly EffectRow[] } | { inserted: false } | null>(
    effects: () => readonly NewEffect[] | undefined,
    write: () => Promise<T>,
  ): Promise<T> {
    let result: T;
    try {
      result = await write();
    } catch (error) {
      this.#releaseClaims(effects());
      throw error;
    }
    const claimed = new Set(
      result !== null && 'claimed' in result ? result.claimed.map((row) => row.key) : [],
    );
    this.#releaseClaims(effects()?.filter((effect) => !claimed.has(effect.key)));
    return result;
  }

  #afterWrite(wakeAt: number | null, effects: readonly NewEffect[], claimed: readonly EffectRow[]): void {
    for (const row of claimed) this.#run(row, laneOf(row.kind));
    const queued = effects.filter((effect) => !effect.claim);
    for (const effect of queued) this.#markWork(laneOf(effect.kind));
    if (!this.#running) return;
    if (wakeAt !== null) this.#timer.armAt(wakeAt);
    if (queued.length > 0) this.#pump();
  }

  async #tenant(tenantId: string): Promise<Tenant> {
    const tenant = await this.tenants.get(tenantId);
    if (tenant === null) throw new UnknownTenantError(tenantId);
    this.#tenantCache.set(tenantId, tenant);
    return tenant;
  }

  #emit(change: StateChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        this.log.error({ err: error }, 'state change listener failed');
      }
    }
  }

  // --- the scheduler -------------------------------------------------------------------------

  /** Wakes every due lead, starts what can run, and re-arms the timer for the next due instant. */
  #tick(): Promise<void> {
    if (this.#ticking) {
      this.#tickAgain = true;
      return this.#ticking;
    }
    this.#ticking = (async () => {
      try {
        do {
          this.#tickAgain = false;
          if (!this.#running) return;
          for (const lane of ['crm', 'messages', 'dial']) {
            this.#markWork(lane);
            this.#backlog.add(lane);
          }
          await this.#wakeDueLeads();
          this.#pump();
          await this.#rearm();
        } while (this.#tickAgain);
      } catch (error) {
        this.log.error({ err: error }, 'scheduler tick failed; retrying in a second');
        if (this.#running) this.#timer.armAt(this.clock.now() + 1_000);
      } finally {
        this.#ticking = null;
      }
    })();
    return this.#ticking;
  }

  async #wakeDueLeads(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.#lastWakeClaimAt = now;
      const due = await this.store.claimDueLeads(now, this.#wakeBatch, this.#owner, this.#leaseMs);
      // A chunk at a time, all of it at once: the store commits the writes of one event-loop turn
      // together (one transaction for the chunk, not one a lead), and between chunks intake,
      // callbacks and effects get their turn, so a morning herd never holds the event loop.
      for (let from = 0; from < due.length; from += WAKE_CHUNK) {
        if (!this.#running) return;
        const chunk = due.slice(from, from + WAKE_CHUNK);
        await Promise.all(
          chunk.map((lead) => this.#apply(lead.tenantId, lead.id, { type: 'WAKE', at: now })),
        );
      }
      if (due.length < this.#wakeBatch) return;
      await yieldToEventLoop();
    }
  }

  async #rearm(): Promise<void> {
    if (!this.#running) return;
    const now = this.clock.now();
    // The timer is for what falls due later, and for leads that fell due while this tick ran
    // (after its claim): armed in the past, it fires at once. Effects due now are the pump's (it
    // restarts as slots free). Anything else still due is a lead another instance holds the lease
    // of, or an effect waiting for a slot: look again when that lease may have run out.
    const [dueNow, nextWake, nextEffect] = await Promise.all([
      this.store.nextDueAt(),
      this.store.nextDueAt(this.#lastWakeClaimAt, 'leads'),
      this.store.nextDueAt(now, 'effects'),
    ]);
    let at = Math.min(nextWake ?? Number.POSITIVE_INFINITY, nextEffect ?? Number.POSITIVE_INFINITY);
    if (dueNow !== null && dueNow <= now) at = Math.min(at, now + SWEEP_MS);
    if (Number.isFinite(at)) this.#timer.armAt(at);
  }

  // --- doing ---------------------------------------------------------------------------------

  /** Claims and starts as many effects as there are free slots; re-entered when a slot frees. */
  #pump(): void {
    if (!this.#running) return;
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    void (async () => {
      try {
        do {
          this.#pumpAgain = false;
          await this.#claimAndStart();
        } while (this.#pumpAgain && this.#running);
      } catch (error) {
        this.log.error({ err: error }, 'effect pump failed; the scheduler will retry');
        if (this.#running) this.#timer.armAt(this.clock.now() + 1_000);
      } finally {
        this.#pumping = false;
      }
    })();
  }

  /**
   * Claims and starts what there is room for. Each lane has its own slots, so a slow CRM (300 ms a
   * request and 2 requests a second on a busy portal) never holds back a call or an SMS: speed to
   * lead is the product. Dials are paced per shop and overall, first submitted first called.
   */
  async #claimAndStart(): Promise<void> {
    for (;;) {
      if (!this.#running) return;
      const now = this.clock.now();
      // Every lane's claim at once: the store commits them in one transaction.
      const lanes = EFFECT_LANES.map(async (lane) => {
        const free = this.#maxEffects - (this.#laneInFlight.get(lane.name) ?? 0);
        if (free <= 0 || !this.#laneHasWork.has(lane.name)) return 0;
        const mark = this.#laneMarks.get(lane.name);
        const rows = await this.store.claimEffects(now, free, this.#owner, this.#leaseMs, undefined, {
          only: lane.kinds,
        });
        if (rows.length < free && this.#laneMarks.get(lane.name) === mark) {
          this.#laneHasWork.delete(lane.name);
          this.#backlog.delete(lane.name);
        }
        for (const row of rows) this.#start(row, lane.name);
        return rows.length;
      });
      const [claimed, dials] = await Promise.all([Promise.all(lanes), this.#claimDials(now)]);
      if (claimed.every((count) => count === 0) && dials === 0) return;
    }
  }

  /** Claims and starts the dials there is room for; returns how many were claimed. */
  async #claimDials(now: number): Promise<number> {
    const dialSlots = this.#pacer.overall - this.#pacer.total;
    if (dialSlots <= 0 || !this.#laneHasWork.has('dial')) return 0;
    const saturated = this.#pacer.saturatedTenants();
    const mark = this.#laneMarks.get('dial');
    // No more than one shop could start now: a claim past its limit is given back.
    const limit = Math.min(dialSlots, this.#pacer.mostFreeForOneTenant());
    const dials = await this.store.claimEffects(
      now,
      limit,
      this.#owner,
      this.#leaseMs,
      { tenants: saturated, kinds: ['dial'] },
      { only: ['dial'] },
    );
    if (this.#laneMarks.get('dial') === mark) {
      if (dials.length === 0) this.#laneHasWork.delete('dial');
      if (dials.length < limit) this.#dialBacklogAfterShortClaim(saturated);
    }
    for (const row of dials) {
      await this.#tenant(row.tenantId); // its limit, before pacing by it
      if (this.#pacer.canStart(row.tenantId)) {
        this.#pacer.start(row.tenantId);
        this.#start(row, 'dial');
      } else {
        // Claimed past this shop's limit in the same batch: not sent, so back to the queue.
        this.#backlog.add(`dial:${row.tenantId}`);
        this.#bumpMark('dial');
        await this.store.releaseEffect(row.id, this.#owner, now, { paced: true });
      }
    }
    return dials.length;
  }

  #markWork(lane: string): void {
    this.#laneHasWork.add(lane);
    this.#bumpMark(lane);
  }

  #bumpMark(lane: string): void {
    this.#laneMarks.set(lane, (this.#laneMarks.get(lane) ?? 0) + 1);
  }

  /**
   * A dial claim came back short: no shop it looked at has a dial waiting. The shops it left out
   * (at their limit) may have, so their backlog is kept, or set where only the lane's was.
   */
  #dialBacklogAfterShortClaim(saturated: readonly string[]): void {
    const kept = new Set(saturated.map((tenantId) => `dial:${tenantId}`));
    for (const key of this.#backlog) {
      if ((key === 'dial' || key.startsWith('dial:')) && !kept.has(key)) this.#backlog.delete(key);
    }
    for (const key of kept) this.#backlog.add(key);
  }

  /** Starts a claimed effect in a slot of `lane` (a dial: with its pacer slot already taken). */
  #start(row: EffectRow, lane: string): void {
    if (this.#inFlight.has(row.id)) {
      if (lane === 'dial') this.#pacer.finish(row.tenantId);
      return;
    }
    this.#laneInFlight.set(lane, (this.#laneInFlight.get(lane) ?? 0) + 1);
    this.#run(row, lane);
  }

  /** Performs a claimed effect whose slots are already counted, and frees them when done. */
  #run(row: EffectRow, lane: string): void {
    // A dial's pacing slot is for the StartScenarios request alone: it is free again once the
    // request is answered, before the result is written (that is our bookkeeping, not a call
    // being started). Held until the write, it had kept the shop's 10 slots busy for two commits
    // a dial, which capped a whole instance's throughput.
    let paced = lane === 'dial';
    const releasePacing = () => {
      if (!paced) return;
      paced = false;
      this.#pacer.finish(row.tenantId);
      // Dials of this shop were left unclaimed while it was at its limit: look again.
      this.#markWork('dial');
      this.#pump();
    };
    const run = this.#complete(row, releasePacing).finally(() => {
      releasePacing();
      this.#laneInFlight.set(lane, (this.#laneInFlight.get(lane) ?? 1) - 1);
      this.#inFlight.delete(row.id);
      this.#pump();
    });
    this.#inFlight.set(row.id, run);
  }

  /**
   * Performs the effect through the tenant's ports and writes its outcome to the lead;
   * `onPerformed` runs as soon as the port has answered (or failed), before the write.
   */
  async #complete(row: EffectRow, onPerformed: () => void): Promise<void> {
    try {
      const tenant = await this.#tenant(row.tenantId);
      const outcome = await performEffect(row, tenant.ports, () => this.clock.now()).finally(onPerformed);
      const at = this.clock.now();
      if (outcome.status === 'retry') {
        const availableAt = at + outcome.afterMs;
        this.log.warn(
          {
            leadId: row.leadId,
            tenantId: row.tenantId,
            effect: row.kind,
            key: row.key,
            err: outcome.error.message,
          },
          'effect will be retried',
        );
        await this.store.releaseEffect(row.id, this.#owner, availableAt, {
          retry: outcome.error.code,
          message: outcome.error.message,
        });
        if (this.#running) this.#timer.armAt(availableAt);
        return;
      }
      const completeEffect = { effectId: row.id, status: outcome.status, result: outcome.result, at };
      this.log.debug(
        {
          leadId: row.leadId,
          tenantId: row.tenantId,
          effect: row.kind,
          key: row.key,
          status: outcome.status,
        },
        'effect performed',
      );
      const effectAudit = audit(row.leadId, at, 'effect', row.key, {
        [outcome.status]: row.kind,
        result: outcome.result,
      });
      if (outcome.event === null) {
        await this.store.finishEffect(row.leadId, completeEffect, [effectAudit]);
        return;
      }
      const applied = await this.#apply(row.tenantId, row.leadId, outcome.event, {
        completeEffect,
        audit: [effectAudit],
      });
      if (applied === null) {
        this.log.info(
          { leadId: row.leadId, tenantId: row.tenantId, effect: row.kind, event: outcome.event.type },
          'effect result changed nothing',
        );
      }
    } catch (error) {
      // The store or the tenant registry failed: the row stays leased and is re-claimed (an
      // idempotent effect) or waits for its lead's timeout (a paid one) once the lease expires.
      this.log.error(
        { err: error, leadId: row.leadId, tenantId: row.tenantId, effect: row.kind },
        'effect could not be completed',
      );
    }
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function ignoredReason(lead: StoredLead, event: DeliverableEvent): 'late' | 'duplicate' | 'unexpected' {
  const context = contextOf(lead);
  if (event.attempt < context.attempt) return 'late';
  if (context.outcomes.some((outcome) => outcome.attempt === event.attempt)) {
    return lead.callState === 'call.manual' ? 'late' : 'duplicate';
  }
  return 'unexpected';
}

function describeObject(event: LeadEvent): Record<string, JsonValue> {
  return describeEvent(event) as Record<string, JsonValue>;
}
