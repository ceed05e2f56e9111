import type { Clock, LeadStore, StoredLead } from '../ports/index.js';
import type { DecisionWriter } from './decision-writer.js';
import type { EffectDispatcher } from './effect-dispatcher.js';
import { EngineSignals } from './engine-signals.js';
import type { Logger } from './logger.js';
import type { TenantDirectory } from './tenant-directory.js';
import { statusOf } from './tenants.js';
import { WakeTimer } from './wake-timer.js';

export interface SchedulerOptions {
  readonly owner: string;
  readonly leaseMs: number;
  /** Due leads claimed per store round trip. */
  readonly wakeBatch: number;
}

/** Due leads woken together: one store transaction, about 10 ms of work, then a turn for others. */
const WAKE_CHUNK = 100;

/** While something due is held elsewhere, the scheduler looks again this often. */
const SWEEP_MS = 5_000;

/** A suspended tenant's leads look again this often. */
const SUSPENDED_PARK_MS = 15 * 60_000;

/**
 * The one timer of DESIGN.md: armed for the earliest thing due (a lead's wake-up, an effect's
 * availability or lease expiry), it wakes due leads with WAKE and lets the dispatcher claim what can
 * run. It never polls every lead. Each lead is woken on its own: one that cannot be decided is
 * parked with a back-off, and the rest go on.
 */
export class WakeScheduler {
  readonly #timer: WakeTimer;
  #running = false;
  #ticking: Promise<void> | null = null;
  #tickAgain = false;
  #lastTickAt: number | null = null;
  #tickingSince: number | null = null;
  /** The instant of the last claim of due leads: what fell due after it was not yet asked for. */
  #lastWakeClaimAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: LeadStore,
    private readonly tenants: TenantDirectory,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: SchedulerOptions,
    private readonly writer: () => DecisionWriter,
    private readonly dispatcher: () => EffectDispatcher,
    private readonly signals: EngineSignals = new EngineSignals(),
  ) {
    this.#timer = new WakeTimer(clock, () => void this.tick());
  }

  /** When the last tick ended, and when the one running now began: for health checks. */
  get health(): {
    readonly running: boolean;
    readonly lastTickAt: number | null;
    readonly tickingSince: number | null;
  } {
    return { running: this.#running, lastTickAt: this.#lastTickAt, tickingSince: this.#tickingSince };
  }

  start(): Promise<void> {
    this.#running = true;
    return this.tick();
  }

  stop(): Promise<void> | null {
    this.#running = false;
    this.#timer.clear();
    return this.#ticking;
  }

  armAt(at: number): void {
    if (this.#running) this.#timer.armAt(at);
  }

  /** Wakes every due lead, starts what can run, and re-arms the timer for the next due instant. */
  tick(): Promise<void> {
    if (this.#ticking) {
      this.#tickAgain = true;
      return this.#ticking;
    }
    this.#tickingSince = this.clock.now();
    this.#ticking = (async () => {
      try {
        do {
          this.#tickAgain = false;
          if (!this.#running) return;
          this.dispatcher().markAll();
          await this.#wakeDueLeads();
          this.dispatcher().pump();
          await this.#rearm();
        } while (this.#tickAgain);
      } catch (error) {
        this.log.error({ err: error }, 'scheduler tick failed; retrying in a second');
        if (this.#running) this.#timer.armAt(this.clock.now() + 1_000);
      } finally {
        this.#ticking = null;
        this.#tickingSince = null;
        this.#lastTickAt = this.clock.now();
      }
    })();
    return this.#ticking;
  }

  async #wakeDueLeads(): Promise<void> {
    const { wakeBatch, owner, leaseMs } = this.options;
    for (;;) {
      const now = this.clock.now();
      this.#lastWakeClaimAt = now;
      const due = await this.store.claimDueLeads(now, wakeBatch, owner, leaseMs);
      // A chunk at a time, all of it at once: the store commits the writes of one event-loop turn
      // together (one transaction for the chunk, not one a lead), and between chunks intake,
      // callbacks and effects get their turn, so a morning herd never holds the event loop.
      for (let from = 0; from < due.length; from += WAKE_CHUNK) {
        if (!this.#running) return;
        const chunk = due.slice(from, from + WAKE_CHUNK);
        await Promise.all(chunk.map((lead) => this.#wake(lead, now)));
      }
      if (due.length < wakeBatch) return;
      await yieldToEventLoop();
    }
  }

  /** Wakes one lead; never throws, so one bad lead never stalls the others of its chunk. */
  async #wake(lead: StoredLead, now: number): Promise<void> {
    const writer = this.writer();
    try {
      const tenant = await this.tenants.lookup(lead.tenantId);
      if (tenant === null) return await writer.park(lead, 'unknown_tenant');
      const status = statusOf(tenant);
      if (status === 'removed') {
        await writer.cancelForRemovedTenant(lead.tenantId, lead.id, tenant.statusReason);
        return;
      }
      if (status === 'suspended') {
        const reason = `tenant_suspended${tenant.statusReason ? `: ${tenant.statusReason}` : ''}`;
        return await writer.park(lead, reason, SUSPENDED_PARK_MS);
      }
      await writer.apply(lead.tenantId, lead.id, { type: 'WAKE', at: now }, {}, tenant);
      if (lead.wakeAt !== null) {
        this.signals.wake({ tenantId: lead.tenantId, latenessMs: Math.max(0, now - lead.wakeAt) });
      }
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await writer
        .park(lead, reason)
        .catch((again) => this.log.error({ err: again, leadId: lead.id }, 'lead could not be parked'));
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
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
