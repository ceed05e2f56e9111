import type { EffectParams } from '../machine/index.js';
import type {
  Clock,
  EffectHandOff,
  EffectRow,
  InFlightCaps,
  LeadStore,
  NewAuditEntry,
  NewEffect,
  TimerHandle,
} from '../ports/index.js';
import { audit, contextOf } from './decide.js';
import type { DecisionWriter } from './decision-writer.js';
import { EngineSignals } from './engine-signals.js';
import { FailureCounts } from './failure-counts.js';
import { Lane, type LaneName, laneOf } from './lanes.js';
import type { Logger } from './logger.js';
import { type EffectOutcome, giveUp, performEffect } from './perform-effect.js';
import type { TenantDirectory } from './tenant-directory.js';
import { statusOf, type Tenant } from './tenants.js';

export interface DispatcherOptions {
  readonly owner: string;
  readonly leaseMs: number;
  /** Effects of the CRM lane, and of the messages lane, in flight at once on this instance. */
  readonly maxEffectsInFlight: number;
  /** Of those, one tenant's: a slow portal holds its own slots, never all of them. */
  readonly maxEffectsPerTenant: number;
  /** Calls being started at once across all tenants (Voximplant allows 200 StartScenarios). */
  readonly maxDialsInFlight: number;
  /** Every port call is aborted after this; below the lease, which is renewed meanwhile. */
  readonly callDeadlineMs: number;
  /** A retried effect is given up after this many attempts, or this long after it was queued. */
  readonly maxEffectAttempts: number;
  readonly maxEffectAgeMs: number;
}

/** While a tenant is suspended or unknown, its effects wait this long between looks. */
const PARKED_EFFECT_MS = 15 * 60_000;
/** Orphans closed per round trip. */
const ORPHAN_BATCH = 50;

/**
 * The "do" of decide, persist, do: claims effects from the outbox into each lane's slots, performs
 * them through the tenant's ports with a deadline, and hands each result to the decision writer.
 * Dials are paced per shop and overall, first submitted first called; the CRM and message lanes
 * cap each tenant too, so one slow portal never delays another's writes.
 */
export class EffectDispatcher {
  readonly lanes: Readonly<Record<LaneName, Lane>>;
  readonly failures = new FailureCounts();
  /** Effects this instance is performing, by outbox id: what `stop()` waits for, and a guard so a
   *  lease that ran out while one was slow never makes this instance start it a second time. */
  readonly #inFlight = new Map<number, Promise<void>>();
  #running = false;
  #pumping = false;
  /** When the pump now running began (null: none): a stuck one starves every lane's queue. */
  #pumpingSince: number | null = null;
  #pumpAgain = false;
  #orphansMayWait = true;

  constructor(
    private readonly store: LeadStore,
    private readonly tenants: TenantDirectory,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: DispatcherOptions,
    private readonly writer: () => DecisionWriter,
    private readonly armTimer: (at: number) => void,
    private readonly signals: EngineSignals = new EngineSignals(),
  ) {
    const perTenant = () => options.maxEffectsPerTenant;
    this.lanes = {
      crm: new Lane('crm', options.maxEffectsInFlight, perTenant),
      messages: new Lane('messages', options.maxEffectsInFlight, perTenant),
      dial: new Lane('dial', options.maxDialsInFlight, (tenantId) => tenants.callCap(tenantId) ?? 1),
    };
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    this.#running = true;
  }

  stop(): void {
    this.#running = false;
  }

  /** What `stop()` waits for. */
  inFlight(): Promise<unknown>[] {
    return [...this.#inFlight.values()];
  }

  /** How long the pump now running has run, and each lane's effects in flight: for health checks. */
  get health(): {
    readonly pumpingSince: number | null;
    readonly inFlight: Readonly<Record<LaneName, number>>;
  } {
    const { crm, messages, dial } = this.lanes;
    return {
      pumpingSince: this.#pumpingSince,
      inFlight: { crm: crm.inFlight, messages: messages.inFlight, dial: dial.inFlight },
    };
  }

  /** The scheduler's tick: every lane may hold work this instance did not queue. */
  markAll(): void {
    for (const lane of Object.values(this.lanes)) lane.markAll();
    this.#orphansMayWait = true;
  }

  /**
   * Claims a decision's effects as they are queued where their lane has a free slot and no backlog:
   * stored `started`, they run as soon as the write commits, with no claim round trip (the walk
   * and the claim were a fifth of a lifecycle's CPU). Called inside the store's transaction,
   * synchronously, so no slot is promised twice. An effect left pending for want of a slot marks
   * the backlog, so no later decision overtakes it: first submitted, first served.
   */
  claimAsQueued(effects: readonly NewEffect[]): NewEffect[] {
    if (!this.#running || effects.length === 0) return [...effects];
    const claim = { owner: this.options.owner, leaseUntil: this.clock.now() + this.options.leaseMs };
    // Shared by several instances, the store has the last word on a tenant's calls in flight.
    const capped = (tenantId: string) => ({ ...claim, cap: this.#callCap(tenantId) });
    return effects.map((effect) => {
      const lane = this.lanes[laneOf(effect.kind)];
      if (lane.isBackedUp(effect.tenantId)) {
        // Marked now, not only once the write commits: a claim already in flight that comes back
        // short must not clear the backlog this effect waits in, or a later decision would take
        // the next slot before it (seen: a second lead dialled before the first).
        lane.mark();
        return effect;
      }
      if (!lane.tryTake(effect.tenantId)) {
        lane.markBacklog(lane.free <= 0 ? undefined : effect.tenantId);
        return effect;
      }
      return {
        ...effect,
        claim: this.store.shared && lane.name === 'dial' ? capped(effect.tenantId) : claim,
      };
    });
  }

  /** A tenant's cap of calls in flight, as the dial lane counts it. */
  #callCap(tenantId: string): number {
    return this.tenants.callCap(tenantId) ?? 1;
  }

  /** The tenants' caps of calls in flight for a shared store's dial claim (InFlightCaps). */
  #callCaps(lane: Lane): InFlightCaps | undefined {
    if (!this.store.shared || lane.name !== 'dial') return undefined;
    return { kinds: lane.kinds, perTenant: this.tenants.callCaps(), otherwise: 1 };
  }

  /** Gives back the slots claimAsQueued took for those of `effects` it claimed. */
  releaseClaims(effects: readonly NewEffect[] = []): void {
    for (const { claim, kind, tenantId } of effects) {
      if (claim) this.lanes[laneOf(kind)].give(tenantId);
    }
  }

  /** After a write commits: runs the effects it stored claimed, and looks for the others. */
  afterWrite(effects: readonly NewEffect[], claimed: readonly EffectRow[]): void {
    for (const row of claimed) this.#run(row, this.lanes[laneOf(row.kind)]);
    const started = new Set(claimed.map((row) => row.key));
    let queued = false;
    for (const effect of effects) {
      if (started.has(effect.key)) continue;
      const lane = this.lanes[laneOf(effect.kind)];
      if (!effect.claim) {
        lane.mark();
        queued = true;
        continue;
      }
      // A claim the store refused (its tenant at its cap on a shared store) waits first in line:
      // no later decision of the tenant may overtake it. While this instance has a call of the
      // tenant in flight, that call's end looks again (#run): a claim now would find no room.
      lane.markBacklog(effect.tenantId);
      if (lane.inFlightOf(effect.tenantId) === 0) queued = true;
    }
    if (queued) this.pump();
  }

  /** Claims and starts as many effects as there are free slots; re-entered when a slot frees. */
  pump(): void {
    if (!this.#running) return;
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    this.#pumpingSince = this.clock.now();
    void (async () => {
      try {
        do {
          this.#pumpAgain = false;
          await this.#claimAndStart();
        } while (this.#pumpAgain && this.#running);
      } catch (error) {
        this.log.error({ err: error }, 'effect pump failed; the scheduler will retry');
        if (this.#running) this.armTimer(this.clock.now() + 1_000);
      } finally {
        this.#pumping = false;
        this.#pumpingSince = null;
      }
    })();
  }

  /** Claims and starts what there is room for, every lane at once (one store transaction). */
  async #claimAndStart(): Promise<void> {
    if (this.#orphansMayWait) {
      this.#orphansMayWait = false;
      await this.#closeOrphans();
    }
    for (;;) {
      if (!this.#running) return;
      const now = this.clock.now();
      const claimed = await Promise.all(Object.values(this.lanes).map((lane) => this.#claimLane(lane, now)));
      if (claimed.every((count) => count === 0)) return;
    }
  }

  async #claimLane(lane: Lane, now: number): Promise<number> {
    if (!lane.hasWork || lane.free <= 0) return 0;
    const saturated = lane.saturatedTenants();
    const caps = this.#callCaps(lane);
    // A store that keeps the caps returns no more of a tenant than it has room for: one claim
    // fills every tenant's free slots. Otherwise no more than one tenant could start now (a claim
    // past a tenant's cap is given back): with caps of 1, one dial a claim, which on a loaded
    // machine left three processes' dials crawling behind their claims (the scale test).
    const limit =
      caps === undefined ? Math.min(lane.free, lane.mostFreeForOneTenant(this.tenants.known())) : lane.free;
    const version = lane.version;
    const rows = await this.store.claimEffects(
      now,
      limit,
      this.options.owner,
      this.options.leaseMs,
      saturated.length === 0 ? undefined : { tenants: saturated, kinds: lane.kinds },
      { only: lane.kinds },
      caps,
    );
    lane.settleClaim(version, limit, rows.length, saturated);
    // Slots are taken at once, before any await: a decision queued meanwhile must not take the
    // slot of an effect claimed before it (first submitted, first served).
    const slotted = rows.map((row) => ({
      row,
      slot: !this.#inFlight.has(row.id) && lane.tryTake(row.tenantId),
    }));
    for (const { row, slot } of slotted) {
      if (this.#inFlight.has(row.id)) continue;
      if (slot) await this.#startClaimed(row, lane, now);
      else {
        // Claimed past this tenant's cap in the same batch: not sent, so back to the queue. A
        // failed release must not leave the loop: the rows after it hold slots.
        lane.markBacklog(row.tenantId);
        await this.store
          .releaseEffect(row.id, this.options.owner, now, { paced: true })
          .catch((error) => this.log.error({ err: error, key: row.key }, 'could not put the effect back'));
      }
    }
    return rows.length;
  }

  /** A claimed row whose slot is taken: started, or — not sent, so safe — put back to wait. */
  async #startClaimed(row: EffectRow, lane: Lane, now: number): Promise<void> {
    let tenant: Tenant | null;
    try {
      tenant = await this.tenants.lookup(row.tenantId);
    } catch (error) {
      lane.give(row.tenantId);
      // Nothing was sent: the row goes back to pending, a dial too (it must not be left started,
      // where a paid effect is never claimed again).
      this.log.error({ err: error, effect: row.kind, key: row.key }, 'claimed effect could not start');
      await this.store
        .releaseEffect(row.id, this.options.owner, now + 1_000, { notStarted: String(error) })
        .catch((again) => this.log.error({ err: again, key: row.key }, 'could not put the effect back'));
      this.armTimer(now + 1_000);
      return;
    }
    if (!this.tenants.isActive(tenant)) {
      lane.give(row.tenantId);
      await this.#parkEffect(row, tenant).catch((error) =>
        this.log.error({ err: error, key: row.key }, 'could not park the effect'),
      );
      return;
    }
    this.#run(row, lane);
  }

  /**
   * An effect of a tenant that may not work now: a suspended or unknown tenant's waits (parked,
   * with the reason); a removed tenant's lead is cancelled, and the effect with it.
   */
  async #parkEffect(row: EffectRow, tenant: Tenant | null): Promise<void> {
    const now = this.clock.now();
    if (tenant !== null && statusOf(tenant) === 'removed') {
      await this.writer().cancelForRemovedTenant(row.tenantId, row.leadId, tenant.statusReason);
      await this.store.finishEffect(
        row.leadId,
        { effectId: row.id, status: 'failed', result: { cancelled: true }, at: now },
        [audit(row.leadId, now, 'effect', row.key, { cancelled: row.kind, reason: 'tenant_removed' })],
      );
      return;
    }
    const reason = tenant === null ? 'unknown_tenant' : `tenant_suspended: ${tenant.statusReason ?? ''}`;
    const until = now + PARKED_EFFECT_MS;
    this.log.warn({ tenantId: row.tenantId, effect: row.kind, key: row.key, reason }, 'effect parked');
    await this.store.releaseEffect(row.id, this.options.owner, until, { parked: reason });
    this.armTimer(until);
  }

  /** Performs a claimed effect whose slot is taken, and frees it when done. */
  #run(row: EffectRow, lane: Lane): void {
    // A slot is for the port call alone: it is free again once the port has answered, before the
    // outcome is written (that is our bookkeeping, not a request to the tenant's CRM, SMS gateway
    // or voice platform). Held until the write, it had kept a shop's slots busy for a commit an
    // effect: a dial's capped a whole instance's throughput, and the other lanes stayed backed up,
    // so most effects went through the pending rows and a claim instead of being claimed as
    // queued. A shared store counts a call until the write (its row is started until then): a
    // dial's slot is held as long, and once the write commits the lane looks again, for this
    // instance's dials and for those another instance left pending because this call held the
    // shop's cap.
    //
    // On a shared store the write may also claim the shop's next call (EffectHandOff): the slot
    // then goes on to it, never given back, so no claim meanwhile takes it.
    const shared = lane.name === 'dial' && this.store.shared === true;
    let held = true;
    const free = () => {
      if (!held) return;
      held = false;
      lane.give(row.tenantId);
      this.pump();
    };
    const run = this.#perform(row, shared ? () => {} : free)
      .then((next) => {
        if (next === null) return;
        if (this.#running && next.tenantId === row.tenantId && !this.#inFlight.has(next.id)) {
          held = false;
          void this.#startClaimed(next, lane, this.clock.now());
          return;
        }
        // Stopping: not sent, so back to the queue for whoever runs next.
        return this.store
          .releaseEffect(next.id, this.options.owner, this.clock.now(), { paced: true })
          .catch((error) => this.log.error({ err: error, key: next.key }, 'could not put the effect back'));
      })
      .finally(() => {
        if (shared) lane.mark();
        free();
        this.#inFlight.delete(row.id);
      });
    this.#inFlight.set(row.id, run);
  }

  /**
   * What a shared store's write of a dial's outcome is asked to claim next (EffectHandOff): the
   * shop's next call, in the slot this one frees. Only while the lane has a slot free besides it:
   * at the lane's own cap, other shops' calls may wait for that slot, and a claim after the
   * commit serves them in their turn. And only while the shop's dials may be waiting (the lane's
   * backlog): otherwise the claim finds none, a statement and a round trip more in the write.
   */
  #handOffOf(row: EffectRow): EffectHandOff | undefined {
    const lane = this.lanes.dial;
    const caps = row.kind === 'dial' ? this.#callCaps(lane) : undefined;
    if (caps === undefined || !this.#running || lane.free <= 0) return undefined;
    if (!lane.isBackedUp(row.tenantId)) return undefined;
    const now = this.clock.now();
    return {
      tenantId: row.tenantId,
      now,
      owner: this.options.owner,
      leaseUntil: now + this.options.leaseMs,
      caps,
    };
  }

  /**
   * Performs the effect through the tenant's ports and writes its outcome to the lead;
   * `onPerformed` runs as soon as the port has answered (or failed), before the write. Answers
   * the effect the write claimed next (#handOffOf), if any.
   */
  async #perform(row: EffectRow, onPerformed: () => void): Promise<EffectRow | null> {
    try {
      const tenant = await this.tenants.lookup(row.tenantId);
      if (!this.tenants.isActive(tenant)) {
        onPerformed();
        await this.#parkEffect(row, tenant);
        return null;
      }
      if (row.kind === 'dial' && !(await this.#dialStillWanted(row))) {
        onPerformed();
        await this.store.finishEffect(
          row.leadId,
          { effectId: row.id, status: 'failed', result: { cancelled: true }, at: this.clock.now() },
          [
            audit(row.leadId, this.clock.now(), 'effect', row.key, {
              cancelled: row.kind,
              reason: 'lead_moved',
            }),
          ],
        );
        return null;
      }
      const startedAt = this.clock.now();
      const outcome = await this.#withDeadline(row, (signal) =>
        performEffect(row, tenant.ports, () => this.clock.now(), signal),
      ).finally(onPerformed);
      return await this.#record(row, outcome, startedAt);
    } catch (error) {
      // The store or the tenant registry failed: the row stays leased and is re-claimed (an
      // idempotent effect) or closed as an orphan (a paid one) once the lease expires.
      this.log.error(
        { err: error, leadId: row.leadId, tenantId: row.tenantId, effect: row.kind },
        'effect could not be completed',
      );
      return null;
    }
  }

  /**
   * Whether the lead still waits for this dial: a stop (`cancelCalls`, the tenant removed) decided
   * after the dial was claimed cancels only queued rows, so the last look is here, just before the
   * request — one read of the lead, for a call that costs money and a customer's attention.
   */
  async #dialStillWanted(row: EffectRow): Promise<boolean> {
    const lead = await this.store.getLead(row.leadId);
    if (lead === null || lead.callState !== 'call.dialing') return false;
    const { attempt } = row.params as unknown as EffectParams['dial'];
    return contextOf(lead).attempt === attempt;
  }

  /**
   * Runs a port call with an AbortSignal that fires at the deadline, and renews the effect's lease
   * while the call is in flight, so no other instance takes an effect that is legitimately slow.
   */
  async #withDeadline<T>(row: EffectRow, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { callDeadlineMs, leaseMs, owner } = this.options;
    const controller = new AbortController();
    const deadline = this.clock.setTimer(
      () => controller.abort(new Error(`${row.kind} passed its ${callDeadlineMs} ms deadline`)),
      callDeadlineMs,
    );
    let renewal: TimerHandle | null = null;
    const renewEvery = Math.max(1, Math.floor(leaseMs / 3));
    const renew = () => {
      renewal = this.clock.setTimer(() => {
        void this.store
          .renewEffectLease(row.id, owner, this.clock.now() + leaseMs)
          .catch((error) => this.log.warn({ err: error, key: row.key }, 'lease renewal failed'));
        renew();
      }, renewEvery);
    };
    renew();
    try {
      return await call(controller.signal);
    } finally {
      this.clock.clearTimer(deadline);
      if (renewal !== null) this.clock.clearTimer(renewal);
    }
  }

  /**
   * Writes what became of an effect: retried later, given up, or its result to the lead. Answers
   * the effect its write claimed next (#handOffOf), if any.
   */
  async #record(row: EffectRow, performed: EffectOutcome, startedAt: number): Promise<EffectRow | null> {
    const at = this.clock.now();
    const durationMs = Math.max(0, at - startedAt);
    let outcome = performed;
    if (outcome.status === 'retry') {
      const bound = this.#retryBound(row, at, outcome.error.code === 'rate_limited');
      if (bound !== null) outcome = giveUp(row, outcome.error, at, bound);
    }
    const context = { leadId: row.leadId, tenantId: row.tenantId, effect: row.kind, key: row.key };
    if (outcome.status === 'retry') {
      const availableAt = at + outcome.afterMs;
      const { error } = outcome;
      // Waiting for a pacer or a rate limit is normal; a failure that may cost a retry is not.
      if (error.code === 'rate_limited') {
        this.log.debug({ ...context, afterMs: outcome.afterMs }, 'effect waits for a rate limit');
      } else {
        this.failures.count(row.tenantId, row.kind, error.code);
        this.log.warn({ ...context, err: error.message, attempts: row.attempts }, 'effect will be retried');
      }
      await this.store.releaseEffect(row.id, this.options.owner, availableAt, {
        retry: error.code,
        message: error.message,
      });
      if (this.#running) this.armTimer(availableAt);
      const waits = error.code === 'rate_limited';
      this.signals.effect({
        tenantId: row.tenantId,
        kind: row.kind,
        status: waits ? 'rate_limited' : 'retry',
        ...(waits ? {} : { reason: error.code }),
        durationMs,
      });
      return null;
    }
    if (outcome.status === 'failed') {
      this.failures.count(row.tenantId, row.kind, 'failed');
      this.log.warn({ ...context, reason: outcome.result }, 'effect failed');
    } else {
      this.log.debug({ ...context, status: outcome.status }, 'effect performed');
    }
    this.signals.effect({
      tenantId: row.tenantId,
      kind: row.kind,
      status: outcome.status,
      ...(outcome.status === 'failed' ? { reason: failureCode(outcome.result) } : {}),
      durationMs,
    });
    const completeEffect = { effectId: row.id, status: outcome.status, result: outcome.result, at };
    const effectAudit = audit(row.leadId, at, 'effect', row.key, {
      [outcome.status]: row.kind,
      result: outcome.result,
    });
    if (outcome.event === null) {
      await this.store.finishEffect(row.leadId, completeEffect, [effectAudit]);
      return null;
    }
    const handOff = this.#handOffOf(row);
    const written = await this.writer().applyAndRead(row.tenantId, row.leadId, outcome.event, {
      completeEffect,
      audit: [effectAudit],
      ...(handOff === undefined ? {} : { handOff }),
    });
    return written.handedOff;
  }

  /**
   * Why an effect must not be retried again, or null while it may. A rate limit means the request
   * was not performed, so it is bounded by age alone: twenty 429s must not read as a refusal.
   */
  #retryBound(row: EffectRow, at: number, rateLimited: boolean): string | null {
    const { maxEffectAttempts, maxEffectAgeMs } = this.options;
    if (!rateLimited && row.attempts >= maxEffectAttempts) return `gave up after ${row.attempts} attempts`;
    if (at - row.createdAt >= maxEffectAgeMs) {
      return `gave up after ${Math.round((at - row.createdAt) / 60_000)} minutes of retries`;
    }
    return null;
  }

  /**
   * Closes paid effects whose worker died holding them: whether the request left is unknown, so it
   * is never sent again. A dial is reported as failed ambiguously: the lead waits its callback
   * timeout from now, then asks call history, which says whether anything rang.
   */
  async #closeOrphans(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const rows = await this.store.claimOrphans(now, ORPHAN_BATCH, this.options.owner, this.options.leaseMs);
      for (const row of rows) {
        if (this.#inFlight.has(row.id)) continue;
        await this.#closeOrphan(row, now).catch((error) =>
          this.log.error({ err: error, key: row.key }, 'orphaned effect could not be closed'),
        );
      }
      if (rows.length < ORPHAN_BATCH) return;
    }
  }

  async #closeOrphan(row: EffectRow, now: number): Promise<void> {
    const message = 'abandoned: the instance that started it stopped before its outcome was known';
    this.log.warn({ leadId: row.leadId, tenantId: row.tenantId, key: row.key }, message);
    const completeEffect = {
      effectId: row.id,
      status: 'failed' as const,
      result: { abandoned: true },
      at: now,
    };
    const trail: NewAuditEntry[] = [audit(row.leadId, now, 'effect', row.key, { abandoned: row.kind })];
    if (row.kind !== 'dial') {
      await this.store.finishEffect(row.leadId, completeEffect, trail);
      return;
    }
    // The dead instance's call no longer holds its shop's cap on a shared store: look again.
    if (this.store.shared) this.lanes.dial.mark();
    const { attempt } = row.params as unknown as EffectParams['dial'];
    await this.writer().apply(
      row.tenantId,
      row.leadId,
      { type: 'DIAL_FAILED', at: now, attempt, code: 'transient', message },
      { completeEffect, audit: trail },
    );
  }
}

/** The port error's code in a failed effect's result (`perform-effect.ts` writes `{error: code}`). */
function failureCode(result: unknown): string {
  if (
    typeof result === 'object' &&
    result !== null &&
    'error' in result &&
    typeof result.error === 'string'
  ) {
    return result.error;
  }
  return 'failed';
}
