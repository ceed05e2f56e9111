import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { inject, injectable, optional } from 'inversify';
import { AbuseGuard, phoneOfLead } from '../abuse/index.js';
import type { TenantConfig } from '../config/index.js';
import { nextCallWindow } from '../hours/index.js';
import { InvalidLeadError, parseCrmLeadSource, parseLead } from '../lead/index.js';
import type { LeadEvent, LeadMachineInput } from '../machine/index.js';
import {
  Clock,
  type JsonValue,
  LeadStore,
  type LeadUpdate,
  type MachinePersonResult,
  type StoredLead,
  type StoreStats,
} from '../ports/index.js';
import { audit, contextOf, decideNewLead, describeEvent, LeadDecisionError } from './decide.js';
import { DecisionWriter, type StateChange } from './decision-writer.js';
import { EffectDispatcher } from './effect-dispatcher.js';
import {
  DuplicateLeadError,
  EngineStoppedError,
  TenantUnavailableError,
  UnknownTenantError,
} from './engine-errors.js';
import { type EngineObserver, EngineSignals } from './engine-signals.js';
import type { FailureCount } from './failure-counts.js';
import { newLeadId } from './lead-id.js';
import { EngineLogger, type Logger } from './logger.js';
import { RetentionPruner } from './retention.js';
import { TenantDirectory } from './tenant-directory.js';
import { machineFor, statusOf, type Tenant, TenantRegistry } from './tenants.js';
import { WakeScheduler } from './wake-scheduler.js';

export type { StateChange } from './decision-writer.js';

export interface EngineOptions {
  /** Names this instance in leases. Default: host, pid and a random suffix. */
  readonly owner?: string;
  /** How long a claimed lead or effect stays ours before another instance may take it. */
  readonly leaseMs?: number;
  /** Effects of each lane (CRM; SMS, notices and call history) performed at once by this instance. */
  readonly maxEffectsInFlight?: number;
  /**
   * Of those, one tenant's at once in each lane (dials: the tenant's `maxCallsInFlight`), so one
   * slow portal never holds them all. Default 16; `createProzvon`, whose engine serves one shop,
   * sets it to the lane's whole cap (a cap below it only cost that shop claim round trips:
   * 0.13 → 0.50 claims a lifecycle on the throughput benchmark at 16).
   */
  readonly maxEffectsPerTenant?: number;
  /** Calls being started at once across all tenants (Voximplant allows 200 StartScenarios). */
  readonly maxDialsInFlight?: number;
  /** Due leads woken per store round trip. */
  readonly wakeBatch?: number;
  /** How long `stop()` waits for effects in flight. */
  readonly stopTimeoutMs?: number;
  /** Every port call is aborted after this; must be below `leaseMs`. Default two thirds of it. */
  readonly callDeadlineMs?: number;
  /** A CRM write, notice or history look-up is given up after this many attempts. Default 20. */
  readonly maxEffectAttempts?: number;
  /** … or this long after it was queued. Default 24 hours. */
  readonly maxEffectAgeMs?: number;
  /**
   * Retention: a finished lead's audit trail and outbox rows are deleted this long after it was
   * submitted (the lead row, its states and the dashboard's columns stay). Default 180 days;
   * `null` keeps them forever.
   */
  readonly keepFinishedMs?: number | null;
}

export const EngineOptions = Symbol.for('prozvon.EngineOptions');

/** How long finished leads keep their audit trails by default: half a year of a seller's questions. */
export const DEFAULT_KEEP_FINISHED_MS = 180 * 86_400_000;

export interface SubmitResult {
  readonly leadId: string;
  /** The call region's state: what the customer is going through (`call.dialing`). */
  readonly state: string;
  readonly crmState: string;
  readonly callState: string;
}

/** What `adoptCrmLead` did: the lead, and whether the CRM lead had been adopted before. */
export interface AdoptResult extends SubmitResult {
  /**
   * True when the tenant already had a lead of this CRM lead (adopted earlier, finished or not):
   * that lead is the answer, in its states now, and nothing new was made.
   */
  readonly known: boolean;
}

export type DeliverOutcome =
  | { readonly outcome: 'applied'; readonly crmState: string; readonly callState: string }
  | { readonly outcome: 'unknown_lead' }
  /** The lead exists but the event changes nothing: a late, duplicate or unexpected result. */
  | { readonly outcome: 'ignored'; readonly reason: 'late' | 'duplicate' | 'unexpected' };

/** Effects whose results a shop's HTTP callback may bring in: what `deliver` accepts. */
type DeliverableEvent = Extract<LeadEvent, { type: 'CALL_RESULT' | 'DIAL_STARTED' }>;

/** What a person's request (retry the CRM, stop calling) did. */
export type ActionOutcome =
  | { readonly outcome: 'applied'; readonly crmState: string; readonly callState: string }
  | { readonly outcome: 'unknown_lead' }
  /** The lead is not in a state the action applies to (already in the CRM, calls already over). */
  | {
      readonly outcome: 'not_applicable';
      readonly crmState: string;
      readonly callState: string;
      /**
       * Why, when the action can say more (callNow): `not_waiting` — the lead waits for no
       * call (one is under way, or calls are over); `outside_hours` — the shop's hours or the
       * customer's quiet hours forbid a call now.
       */
      readonly reason?: 'not_waiting' | 'outside_hours';
      /** With `outside_hours`: when calls are next allowed (epoch ms), null if never within the search. */
      readonly nextWindowAt?: number | null;
    };

/** What `health()` found. */
export interface EngineHealth {
  readonly store: { readonly ok: true } | { readonly ok: false; readonly error: string };
  readonly scheduler: {
    /** Started and not stopping. */
    readonly running: boolean;
    /** Since the last tick ended; ticks run when something falls due, so an idle engine's grows. */
    readonly lastTickAgeMs: number | null;
    /** How long the tick now running has run (null: none is running); a stuck one grows. */
    readonly tickRunningForMs: number | null;
  };
  readonly effects: {
    /** How long the claim loop now running has run (null: none); a stuck one starves the queue. */
    readonly pumpRunningForMs: number | null;
    /** Effects this instance is performing, per lane (a dial counts until StartScenarios answers). */
    readonly inFlight: Readonly<Record<'crm' | 'messages' | 'dial', number>>;
  };
}

export interface EngineStats extends StoreStats {
  /** Effects that failed on this instance since it started, per tenant, kind and reason. */
  readonly failures: readonly FailureCount[];
}

/**
 * Runs leads for every tenant: decides (the pure machine), persists (one store transaction per
 * decision: DecisionWriter), then does (effects from the outbox through the tenant's ports:
 * EffectDispatcher), woken by one timer (WakeScheduler), as DESIGN.md "decide, persist, do" says.
 * Survives a crash at any point: everything it knows is in the store. Every call names its tenant,
 * and a lead of another tenant is never read or moved.
 */
@injectable()
export class LeadEngine {
  readonly #stopTimeoutMs: number;
  readonly #tenants: TenantDirectory;
  readonly #writer: DecisionWriter;
  readonly #dispatcher: EffectDispatcher;
  readonly #scheduler: WakeScheduler;
  readonly #guard: AbuseGuard;
  readonly #listeners = new Set<(change: StateChange) => void>();
  readonly #signals = new EngineSignals();
  readonly #retention: RetentionPruner | null;
  #stopping = false;
  /** Stops the store's watch of what other instances make due (LeadStore `watchDue`), if any. */
  #unwatchDue: (() => Promise<void>) | null = null;

  constructor(
    @inject(LeadStore) private readonly store: LeadStore,
    @inject(TenantRegistry) tenants: TenantRegistry,
    @inject(Clock) private readonly clock: Clock,
    @inject(EngineLogger) private readonly log: Logger,
    @inject(EngineOptions) @optional() options: EngineOptions = {},
  ) {
    const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const leaseMs = options.leaseMs ?? 30_000;
    const callDeadlineMs = options.callDeadlineMs ?? Math.floor((leaseMs * 2) / 3);
    if (callDeadlineMs >= leaseMs) {
      throw new RangeError(`callDeadlineMs (${callDeadlineMs}) must be below leaseMs (${leaseMs})`);
    }
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
    this.#tenants = new TenantDirectory(tenants);
    this.#scheduler = new WakeScheduler(
      store,
      this.#tenants,
      clock,
      log,
      { owner, leaseMs, wakeBatch: options.wakeBatch ?? 500 },
      () => this.#writer,
      () => this.#dispatcher,
      this.#signals,
    );
    this.#dispatcher = new EffectDispatcher(
      store,
      this.#tenants,
      clock,
      log,
      {
        owner,
        leaseMs,
        maxEffectsInFlight: options.maxEffectsInFlight ?? 64,
        maxEffectsPerTenant: options.maxEffectsPerTenant ?? 16,
        maxDialsInFlight: options.maxDialsInFlight ?? 200,
        callDeadlineMs,
        maxEffectAttempts: options.maxEffectAttempts ?? 20,
        maxEffectAgeMs: options.maxEffectAgeMs ?? 24 * 3600_000,
      },
      () => this.#writer,
      (at) => this.#scheduler.armAt(at),
      this.#signals,
    );
    this.#writer = new DecisionWriter(store, this.#tenants, clock, log, () => this.#dispatcher, {
      armAt: (at) => this.#scheduler.armAt(at),
      emit: (change) => this.#emit(change),
    });
    this.#guard = new AbuseGuard(store);
    const keepMs = options.keepFinishedMs === undefined ? DEFAULT_KEEP_FINISHED_MS : options.keepFinishedMs;
    if (keepMs !== null && !(Number.isFinite(keepMs) && keepMs > 0)) {
      throw new RangeError(`keepFinishedMs must be a positive number of ms or null, got ${keepMs}`);
    }
    this.#retention =
      keepMs === null
        ? null
        : new RetentionPruner(store, clock, log, { keepMs, everyMs: 3_600_000, batch: 500 });
  }

  /** Brings the store up to date and starts working: due leads, pending effects, the timer. */
  async start(): Promise<void> {
    await this.store.migrate();
    this.#stopping = false;
    // What another instance on the same database commits as due arms this one's timer too.
    this.#unwatchDue ??= (await this.store.watchDue?.((at) => this.#scheduler.armAt(at))) ?? null;
    this.#dispatcher.start();
    await this.#scheduler.start();
    this.#retention?.start();
  }

  /**
   * Graceful stop: no new leads, no new effects; effects in flight finish (or, past the timeout,
   * are left `started`: a paid one is never re-sent, an idempotent one is re-run by whoever takes
   * its lease next).
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    const unwatch = this.#unwatchDue;
    this.#unwatchDue = null;
    await unwatch?.();
    this.#dispatcher.stop();
    const ticking = this.#scheduler.stop();
    const pruning = this.#retention?.stop() ?? null;
    const drained = Promise.allSettled([...this.#dispatcher.inFlight(), ticking, pruning]);
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
   * Is this instance working: the store answers (a cheap indexed read, within `deadlineMs`), the
   * scheduler runs, and no tick has been stuck. `/healthz` handlers answer from this.
   */
  async health(deadlineMs = 2_000): Promise<EngineHealth> {
    const { running, lastTickAt, tickingSince } = this.#scheduler.health;
    const { pumpingSince, inFlight } = this.#dispatcher.health;
    const now = this.clock.now();
    let storeError: string | null = null;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.store.nextDueAt(now, 'leads'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${deadlineMs} ms`)), deadlineMs);
        }),
      ]);
    } catch (error) {
      storeError = error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
    }
    return {
      store: storeError === null ? { ok: true } : { ok: false, error: storeError },
      scheduler: {
        running: running && !this.#stopping,
        lastTickAgeMs: lastTickAt === null ? null : now - lastTickAt,
        tickRunningForMs: tickingSince === null ? null : now - tickingSince,
      },
      effects: {
        pumpRunningForMs: pumpingSince === null ? null : now - pumpingSince,
        inFlight,
      },
    };
  }

  /**
   * Calls `observer` as this instance performs effects and wakes leads (metrics:
   * `@prozvon/sdk/metrics`). Returns a function that stops it.
   */
  observe(observer: EngineObserver): () => void {
    return this.#signals.add(observer);
  }

  /** The tenant, if it takes new leads: else UnknownTenantError, or TenantUnavailableError. */
  async #takingLeads(tenantId: string): Promise<Tenant> {
    const tenant = await this.#tenants.lookup(tenantId);
    if (tenant === null) throw new UnknownTenantError(tenantId);
    if (statusOf(tenant) !== 'active') throw new TenantUnavailableError(tenantId, statusOf(tenant));
    return tenant;
  }

  /**
   * Validates and accepts a lead. Resolves once it is committed; throws `InvalidLeadError` (400),
   * `DuplicateLeadError` (409), `RateLimitedLeadError` (429, the abuse guard),
   * `UnknownTenantError` or `TenantUnavailableError`. Calling starts at once if the phone can be
   * called now, alongside partner look-up and CRM creation.
   */
  async submitLead(body: unknown, tenantId = 'default'): Promise<SubmitResult> {
    if (this.#stopping) throw new EngineStoppedError();
    const parsed = parseLead(body);
    if (!parsed.ok) throw parsed.error;
    const tenant = await this.#takingLeads(tenantId);
    const leadId = newLeadId();
    const at = this.clock.now();
    // Over a per-phone or per-IP limit it throws (nothing stored); past a daily ceiling, no calls.
    const phone = phoneOfLead(parsed.lead, tenant.config);
    const { callsAllowed } = await this.#guard.admit(tenantId, tenant.config, parsed.lead, at, phone);
    const input = { leadId, tenantId, lead: parsed.lead, at, callsAllowed, phone };
    const { inserted, decision } = await this.#insertNew(tenant.config, input);
    if (!inserted.inserted && 'replay' in inserted) {
      // The shop's retry of a request already accepted: its first answer again, nothing new.
      const { leadId: firstId, crmState, callState } = inserted;
      this.log.info({ leadId: firstId, tenantId, crmState, callState }, 'lead replayed: same ref and body');
      return { leadId: firstId, state: callState, crmState, callState };
    }
    if (!inserted.inserted) {
      // A submitted lead has no CRM lead id, so it is never `adopted`: a ref clash is what is left.
      throw new DuplicateLeadError('existingLeadId' in inserted ? inserted.existingLeadId : inserted.leadId);
    }
    const { crmState, callState } = decision.lead;
    this.log.info(
      { leadId, tenantId, crmState, callState, phone: phone.ok ? phone.e164 : parsed.lead.phone },
      'lead accepted',
    );
    return { leadId, state: callState, crmState, callState };
  }

  /**
   * Runs a lead that already exists in the tenant's CRM (a CRM web form, a seller's entry, the
   * CRM's callback widget) through the same machine as a submitted one, starting `crm.created`
   * on that CRM lead: no partner look-up, no CRM lead made; calls, texts, retries, notices and
   * call records on the CRM lead as usual. `body` is validated as `submitLead`'s, `crm` by
   * `crmLeadSourceSchema`.
   *
   * At most one lead per tenant and CRM lead id, ever: adopting it again — at once, or a month
   * after the first finished — makes nothing and answers the first lead (`known: true`). The CRM's
   * event and a drain of missed events may both bring it, so this is the store's unique key, not
   * a read before the write. Throws `InvalidLeadError` (400), `DuplicateLeadError` (a body `ref`
   * still in progress on another lead), `UnknownTenantError` or `TenantUnavailableError`.
   */
  async adoptCrmLead(tenantId: string, body: unknown, crm: unknown): Promise<AdoptResult> {
    if (this.#stopping) throw new EngineStoppedError();
    const parsed = parseLead(body);
    const source = parseCrmLeadSource(crm);
    if (!parsed.ok || !source.ok) {
      const issues = [...(parsed.ok ? [] : parsed.error.issues), ...(source.ok ? [] : source.error.issues)];
      throw new InvalidLeadError(issues);
    }
    const tenant = await this.#takingLeads(tenantId);
    const leadId = newLeadId();
    const at = this.clock.now();
    // No abuse guard: the lead comes from the shop's own CRM (its form, its sellers, its widget),
    // not from whoever finds a public form, so per-phone and per-IP limits would only drop the
    // shop's own leads. Nor does it count towards the daily ceilings, which meter public intake.
    const phone = phoneOfLead(parsed.lead, tenant.config);
    const input = { leadId, tenantId, lead: parsed.lead, at, phone, adoptedFrom: source.source };
    const { inserted, decision } = await this.#insertNew(tenant.config, input);
    const { crmLeadId } = source.source;
    if (!inserted.inserted) {
      if ('existingLeadId' in inserted) throw new DuplicateLeadError(inserted.existingLeadId);
      // Adopted before (or, with a `ref`, the same request replayed): that lead, nothing new.
      const { leadId: knownId, crmState, callState } = inserted;
      this.log.info(
        { leadId: knownId, tenantId, crmLeadId, crmState, callState },
        'CRM lead already adopted',
      );
      return { leadId: knownId, state: callState, crmState, callState, known: true };
    }
    const { crmState, callState } = decision.lead;
    this.log.info(
      { leadId, tenantId, crmLeadId, crmState, callState, phone: phone.ok ? phone.e164 : parsed.lead.phone },
      'CRM lead adopted',
    );
    return { leadId, state: callState, crmState, callState, known: false };
  }

  /** Decides a new lead and stores it; a decision that throws is logged and stores nothing. */
  async #insertNew(config: TenantConfig, input: LeadMachineInput) {
    let decision: ReturnType<typeof decideNewLead>;
    try {
      decision = decideNewLead(machineFor(config), input);
    } catch (error) {
      // This lead's failure, nothing stored: the next lead is decided afresh.
      if (error instanceof LeadDecisionError)
        this.log.error(
          { err: error, leadId: input.leadId, tenantId: input.tenantId },
          'lead could not be decided',
        );
      throw error;
    }
    const inserted = await this.#writer.insert(decision.lead, decision.effects, decision.audit);
    return { inserted, decision };
  }

  /**
   * Brings a result from outside (the voice provider's callback) to a lead of `tenantId`. Whatever
   * happens, the answer is typed and the audit trail records it; an event that changes nothing
   * changes nothing. A lead of another tenant is answered as unknown: never moved, never revealed.
   */
  async deliver(tenantId: string, leadId: string, event: DeliverableEvent): Promise<DeliverOutcome> {
    // The lead is read once, by the write: its tenant is checked there, and a lead left unmoved
    // comes back to say why (a read before the write was a sixth of a lifecycle's reads).
    const tenant = await this.#tenants.lookup(tenantId);
    let lead: StoredLead | null;
    let applied: LeadUpdate | null = null;
    if (tenant === null) {
      lead = await this.store.getLead(leadId);
      if (lead?.tenantId === tenantId) throw new UnknownTenantError(tenantId);
    } else {
      ({ update: applied, lead } = await this.#writer.applyAndRead(tenantId, leadId, event, {}, tenant));
    }
    if (applied !== null)
      return { outcome: 'applied', crmState: applied.crmState, callState: applied.callState };
    if (lead === null || lead.tenantId !== tenantId) {
      const reason = lead === null ? 'unknown_lead' : 'other_tenant';
      await this.#recordRejection(leadId, event, reason, tenantId);
      this.log.warn({ leadId, tenantId, event: event.type, reason }, 'result for an unknown lead');
      return { outcome: 'unknown_lead' };
    }
    const reason = ignoredReason(lead, event);
    await this.#recordRejection(leadId, event, reason, tenantId);
    this.log.info(
      { leadId, tenantId, crmState: lead.crmState, callState: lead.callState, event: event.type, reason },
      'result ignored',
    );
    return { outcome: 'ignored', reason };
  }

  /**
   * Sends a lead whose CRM creation failed (`crm.manual`) to the CRM again, once its token is
   * fixed: the same idempotency key, so a lead the CRM did create is found, never made twice.
   * `by` names who asked, for the audit trail.
   */
  retryCrm(tenantId: string, leadId: string, by: string): Promise<ActionOutcome> {
    return this.#act(tenantId, leadId, { type: 'RETRY_CRM', at: this.clock.now(), by });
  }

  /** Stops calling and texting a lead: the call region goes to the sellers, queued dials are cancelled. */
  cancelCalls(tenantId: string, leadId: string, by: string): Promise<ActionOutcome> {
    return this.#act(tenantId, leadId, {
      type: 'CANCEL',
      at: this.clock.now(),
      by,
      reason: 'cancelled',
      scope: 'calls',
    });
  }

  /**
   * Calls a waiting lead now (one waiting to retry, or for the shop's hours): its next attempt
   * starts at once, through the same rules a woken lead meets — so outside the shop's hours or
   * the customer's quiet hours nothing changes, and the answer says so and when calls may start.
   * `by` names who asked, for the audit trail.
   */
  callNow(tenantId: string, leadId: string, by: string): Promise<ActionOutcome> {
    const at = this.clock.now();
    return this.#act(tenantId, leadId, { type: 'CALL_NOW', at, by }, async (lead) => {
      if (!WAITING_FOR_A_CALL.has(lead.callState)) return { reason: 'not_waiting' };
      const tenant = await this.#tenants.lookup(tenantId);
      const timezone = contextOf(lead).lead.timezone;
      const next = tenant === null ? null : nextCallWindow(new Date(at), tenant.config.hours, timezone);
      return { reason: 'outside_hours', nextWindowAt: next?.getTime() ?? null };
    });
  }

  /**
   * A seller's "it was a person": the lead's call ended on an answering machine, but a person had
   * picked up (the detector's false positive). Recorded on the lead with `by` and on its audit
   * trail, once (a second mark answers `already_marked` with the first); counted by the
   * dashboard's machine mark rate. The lead's state is not changed: its calling is over.
   */
  async markMachineAsPerson(tenantId: string, leadId: string, by: string): Promise<MachinePersonResult> {
    const result = await this.store.markMachinePerson({ tenantId, leadId, by, at: this.clock.now() });
    if (result.outcome === 'marked') this.log.info({ leadId, tenantId, by }, 'machine marked as a person');
    return result;
  }

  /** The lead's current row, if it is `tenantId`'s: for a status page or a test. */
  async getLead(tenantId: string, leadId: string): Promise<StoredLead | null> {
    const lead = await this.store.getLead(leadId);
    return lead !== null && lead.tenantId === tenantId ? lead : null;
  }

  /** The store's counts, and the effects that failed on this instance (per tenant and kind). */
  async stats(): Promise<EngineStats> {
    return { ...(await this.store.stats()), failures: this.#dispatcher.failures.list() };
  }

  /**
   * Applies a person's event to the tenant's lead; when it changes nothing, `explain` (given the
   * lead as it is now) may say why, and the audit trail's `rejected` entry carries that reason.
   */
  async #act(
    tenantId: string,
    leadId: string,
    event: LeadEvent,
    explain?: (lead: StoredLead) => Promise<NotApplicableDetail>,
  ): Promise<ActionOutcome> {
    const lead = await this.getLead(tenantId, leadId);
    if (lead === null) return { outcome: 'unknown_lead' };
    const applied = await this.#writer.apply(tenantId, leadId, event);
    if (applied === null) {
      const now = (await this.getLead(tenantId, leadId)) ?? lead;
      const detail = explain === undefined ? {} : await explain(now);
      await this.store.recordAudit([
        audit(leadId, event.at, 'rejected', null, {
          ...describeObject(event),
          reason: detail.reason ?? 'not_applicable',
          ...(detail.nextWindowAt === undefined ? {} : { nextWindowAt: detail.nextWindowAt }),
        }),
      ]);
      return { outcome: 'not_applicable', crmState: now.crmState, callState: now.callState, ...detail };
    }
    this.log.info({ leadId, tenantId, event: event.type }, 'action applied');
    return { outcome: 'applied', crmState: applied.crmState, callState: applied.callState };
  }

  /** An event that changed nothing, on the lead's audit trail (or the id's, if no lead has it). */
  #recordRejection(leadId: string, event: DeliverableEvent, reason: string, tenantId: string): Promise<void> {
    return this.store.recordAudit([
      audit(leadId, event.at, 'rejected', `attempt:${event.attempt}`, {
        ...describeObject(event),
        reason,
        tenantId,
      }),
    ]);
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
}

/** Call states in which a lead waits for its next call: to retry, or for the shop's hours. */
const WAITING_FOR_A_CALL: ReadonlySet<string> = new Set(['call.nodial', 'call.night']);

type NotApplicableDetail = Pick<
  Extract<ActionOutcome, { outcome: 'not_applicable' }>,
  'reason' | 'nextWindowAt'
>;

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
