import type { LeadEvent } from '../machine/index.js';
import type {
  Clock,
  EffectRow,
  InsertResult,
  LeadStore,
  LeadUpdate,
  NewAuditEntry,
  NewEffect,
  NewLead,
  StoredLead,
  UpdateOptions,
} from '../ports/index.js';
import { audit, decideEvent, migrateSnapshot, parkedCount, withParked } from './decide.js';
import type { EffectDispatcher } from './effect-dispatcher.js';
import { UnknownTenantError } from './engine-errors.js';
import type { Logger } from './logger.js';
import type { TenantDirectory } from './tenant-directory.js';
import { machineFor, type Tenant } from './tenants.js';

export interface StateChange {
  readonly leadId: string;
  readonly tenantId: string;
  readonly from: { crmState: string; callState: string } | null;
  readonly to: { crmState: string; callState: string };
  readonly at: number;
  readonly submittedAt: number;
}

export interface WriterHooks {
  /** The scheduler's timer, for a lead's new wake-up time. */
  armAt(at: number): void;
  /** After every committed state change. */
  emit(change: StateChange): void;
}

/** A lead that could not be decided waits 1 minute, then 2, 4… at most a day. */
const PARK_FIRST_MS = 60_000;
const PARK_LONGEST_MS = 24 * 3600_000;

/**
 * The "persist" of decide, persist, do: each decision about a lead is written in one store
 * transaction with its effects (claimed as they are queued where a slot is free) and its audit
 * entries; only then are the effects started and the timer armed.
 */
export class DecisionWriter {
  constructor(
    private readonly store: LeadStore,
    private readonly tenants: TenantDirectory,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly dispatcher: () => EffectDispatcher,
    private readonly hooks: WriterHooks,
  ) {}

  /** Writes a new lead with its first effects; null-safe for a refused duplicate `ref`. */
  async insert(lead: NewLead, decided: readonly NewEffect[], trail: readonly NewAuditEntry[]) {
    const effects = this.dispatcher().claimAsQueued(decided);
    const inserted: InsertResult = await this.#claimsKept(effects, () =>
      this.store.insertLead(lead, effects, trail),
    );
    if (!inserted.inserted) return inserted;
    const { crmState, callState } = lead;
    this.hooks.emit({
      leadId: lead.id,
      tenantId: lead.tenantId,
      from: null,
      to: { crmState, callState },
      at: lead.submittedAt,
      submittedAt: lead.submittedAt,
    });
    this.#afterWrite(lead.wakeAt, effects, inserted.claimed);
    return inserted;
  }

  /**
   * Decides `event` for the lead and writes the decision. Null when the lead does not exist or the
   * event changes nothing (`options` are written all the same: an effect's completion, its audit).
   */
  async apply(
    tenantId: string,
    leadId: string,
    event: LeadEvent,
    options: UpdateOptions = {},
    /** The tenant as its caller just looked it up: not asked for twice. */
    known?: Tenant,
  ): Promise<LeadUpdate | null> {
    return (await this.applyAndRead(tenantId, leadId, event, options, known)).update;
  }

  /**
   * `apply`, answering also the lead as the write read it (null if there is none; it may be
   * another tenant's, left unmoved), so that a caller explaining a null needs no read of its own,
   * and the effect `options.handOff` claimed in the write (null if none).
   */
  async applyAndRead(
    tenantId: string,
    leadId: string,
    event: LeadEvent,
    options: UpdateOptions = {},
    known?: Tenant,
  ): Promise<{ update: LeadUpdate | null; lead: StoredLead | null; handedOff: EffectRow | null }> {
    const tenant = known?.id === tenantId ? known : await this.tenants.lookup(tenantId);
    if (tenant === null) throw new UnknownTenantError(tenantId);
    const machine = machineFor(tenant.config);
    const dispatcher = this.dispatcher();
    let update: LeadUpdate | null = null;
    let before: StoredLead | null = null;
    const result = await this.#claimsKept(
      () => update?.effects,
      () =>
        this.store.updateLead(
          leadId,
          (stored) => {
            // The store may run this twice (a transaction replayed): the slots the first run
            // took are given back before they are taken again.
            dispatcher.releaseClaims(update?.effects);
            update = null;
            before = stored;
            // Another tenant's lead is never moved: a result signed with one portal's key must
            // not touch another's lead.
            if (stored.tenantId !== tenantId) {
              update = null;
              return null;
            }
            const decided = decideEvent(machine, stored, event);
            if (decided === null && event.type === 'WAKE') {
              update = refreshedWake(stored, event.at);
              return update;
            }
            update = decided && { ...decided, effects: dispatcher.claimAsQueued(decided.effects) };
            return update;
          },
          options,
        ),
    );
    const written = update as LeadUpdate | null;
    const previous = before as StoredLead | null;
    const handedOff = result?.handedOff ?? null;
    if (written === null || previous === null || result === null) {
      return { update: null, lead: previous, handedOff };
    }
    const to = { crmState: written.crmState, callState: written.callState };
    const from = { crmState: previous.crmState, callState: previous.callState };
    if (to.crmState !== from.crmState || to.callState !== from.callState) {
      this.log.info({ leadId, tenantId, ...to, event: event.type }, 'lead moved');
      this.hooks.emit({ leadId, tenantId, from, to, at: event.at, submittedAt: previous.submittedAt });
    }
    this.#afterWrite(written.wakeAt, written.effects, result.claimed);
    return { update: written, lead: previous, handedOff };
  }

  /**
   * Sets a lead that could not be decided aside: its wake-up moves later (1 minute, doubling to a
   * day, or `delayMs`), its lease is given back, and the audit trail says why. Its state is kept,
   * so once the cause is gone (the tenant back, a newer machine deployed) it goes on as it was.
   */
  async park(lead: StoredLead, reason: string, delayMs?: number): Promise<void> {
    const now = this.clock.now();
    const count = parkedCount(lead) + 1;
    const until = now + (delayMs ?? Math.min(PARK_LONGEST_MS, PARK_FIRST_MS * 2 ** Math.min(20, count - 1)));
    this.log.warn({ leadId: lead.id, tenantId: lead.tenantId, reason, until }, 'lead parked');
    await this.store.updateLead(lead.id, (stored) => ({
      crmState: stored.crmState,
      callState: stored.callState,
      snapshot: withParked(stored, count),
      wakeAt: until,
      finished: stored.finished,
      updatedAt: now,
      effects: [],
      audit: [audit(lead.id, now, 'parked', null, { reason, until, times: count })],
    }));
    this.hooks.armAt(until);
  }

  /** The tenant was removed for good: no call, no text, nothing more for this lead. */
  cancelForRemovedTenant(tenantId: string, leadId: string, reason = 'tenant_removed') {
    const event: LeadEvent = {
      type: 'CANCEL',
      at: this.clock.now(),
      by: 'system',
      reason: reason === '' ? 'tenant_removed' : reason,
      scope: 'all',
    };
    return this.apply(tenantId, leadId, event);
  }

  /**
   * Runs a write whose effects may carry claims, and gives back the slots of those it did not
   * store claimed: all of them when the write fails, a key already queued otherwise.
   */
  async #claimsKept<T extends { claimed: readonly EffectRow[] } | { inserted: false } | null>(
    effects: (() => readonly NewEffect[] | undefined) | readonly NewEffect[],
    write: () => Promise<T>,
  ): Promise<T> {
    const current = () => (typeof effects === 'function' ? effects() : effects);
    const dispatcher = this.dispatcher();
    let result: T;
    try {
      result = await write();
    } catch (error) {
      dispatcher.releaseClaims(current());
      throw error;
    }
    const claimed = new Set(
      result !== null && 'claimed' in result ? result.claimed.map((row) => row.key) : [],
    );
    dispatcher.releaseClaims(current()?.filter((effect) => !claimed.has(effect.key)));
    return result;
  }

  #afterWrite(wakeAt: number | null, effects: readonly NewEffect[], claimed: readonly EffectRow[]): void {
    this.dispatcher().afterWrite(effects, claimed);
    if (wakeAt !== null) this.hooks.armAt(wakeAt);
  }
}

/**
 * A WAKE that decided nothing met a stored wake-up the lead no longer wants (a snapshot of an older
 * machine, whose timeout now counts from DIAL_STARTED): the column takes the machine's own wake-up,
 * and the lease is given back, instead of the lead being claimed again at every lease's end.
 */
function refreshedWake(stored: StoredLead, at: number): LeadUpdate | null {
  const wanted = migrateSnapshot(stored.snapshot as never).context.callWakeAt;
  if (wanted === stored.wakeAt || (wanted !== null && wanted <= at)) return null;
  return {
    crmState: stored.crmState,
    callState: stored.callState,
    snapshot: stored.snapshot,
    wakeAt: wanted,
    finished: stored.finished,
    updatedAt: at,
    effects: [],
    audit: [],
  };
}
