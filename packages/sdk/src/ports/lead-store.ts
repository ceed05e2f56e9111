import type { Dashboard, DashboardQuery } from './dashboard.js';
import type {
  LeadFacts,
  LeadFactsUpdate,
  MachinePersonMark,
  MachinePersonResult,
  NewLeadFacts,
} from './lead-facts.js';
import type { PendingCallStore } from './pending-calls.js';

/**
 * Where leads, their pending effects (the outbox) and their audit trail live, and the voice
 * adapter's pending calls (pending-calls.ts), so that a call in flight survives a restart. One
 * implementation per database (in-memory, SQLite, PostgreSQL), all passing one contract suite
 * (test/stores/lead-store-contract.ts). Every method that writes does so in one transaction.
 *
 * Times are milliseconds since the epoch. JSON values are stored as JSON and returned parsed.
 */
export interface LeadStore extends PendingCallStore {
  /** Creates the schema or brings it up to date (numbered migrations). Idempotent. */
  migrate(): Promise<void>;

  /**
   * Stores a new lead with its first effects and audit entries, atomically. Nothing is written
   * when the tenant already has a lead with the same non-null `ref` and `bodyHash` submitted less
   * than `REPLAY_WINDOW_MS` before this one, finished or not: the answer is that lead's first one
   * (`replay`, the newest such lead); nor when it has an unfinished lead with the same `ref` (a
   * duplicate); nor, asked first, when the lead is adopted from a CRM lead (`adoptedCrmLeadId`)
   * the tenant already has a lead of, finished or not, however long ago (`adopted`, that lead as
   * it is now). All are decided in the insert's transaction, so of two identical inserts at
   * once one is stored and the other replays it. Effects with a `claim` are stored already
   * claimed, and come back in `claimed`.
   */
  insertLead(
    lead: NewLead,
    effects: readonly NewEffect[],
    audit: readonly NewAuditEntry[],
  ): Promise<InsertResult>;

  getLead(leadId: string): Promise<StoredLead | null>;

  /**
   * The id of the tenant's lead adopted from CRM lead `crmLeadId` (the adoption rule's own index),
   * or null: what a CRM lead's card asks to show the lead Prozvon made of it.
   */
  findAdoptedLead(tenantId: string, crmLeadId: string): Promise<string | null>;

  /**
   * One page of a tenant's leads, newest first (`submittedAt`, then `id`, both descending): for
   * the app's lead list. `states` keeps the leads whose `crmState` or `callState` is one of them;
   * `from` (inclusive) and `to` (exclusive) bound `submittedAt`. `next` is the cursor of the page
   * after this one, null on the last page; a cursor stays valid however many leads arrive since.
   */
  listLeads(tenantId: string, query: LeadListQuery): Promise<LeadPage>;

  /**
   * Reads the lead, lets `decide` compute its next state, and writes it, all in one transaction
   * in which no other writer can change the lead. `decide` is pure and synchronous, and may be
   * called again if the store replays the transaction: only its last answer is written. Returning
   * `null` leaves the lead as it is (and keeps its lease) but still writes `options.audit` and
   * `options.completeEffect`: an effect whose result changes nothing is still finished.
   * `options.completeEffect` marks an outbox row finished in the same transaction, so a result
   * is applied exactly once even if the worker dies right after. Applying a decision clears the
   * lead's lease. Returns the effects stored claimed (NewEffect `claim`), or null when there is no
   * such lead; the lead as written is what `decide` answered (read it with `getLead`).
   */
  updateLead(
    leadId: string,
    decide: (lead: StoredLead) => LeadUpdate | null,
    options?: UpdateOptions,
  ): Promise<UpdateResult | null>;

  /**
   * Marks a started effect `done` or `failed` and files `audit`, in one transaction, without
   * reading or changing its lead: for an effect whose outcome is no event for the lead (a notice
   * sent, an SMS accepted). An effect already finished, or not of `leadId`, is left as it is.
   */
  finishEffect(leadId: string, completion: EffectCompletion, audit: readonly NewAuditEntry[]): Promise<void>;

  /**
   * Claims up to `limit` leads whose `wakeAt <= now` and whose lease is free or expired, oldest
   * `wakeAt` first, then first submitted; sets their lease to `owner` until `now + leaseMs`.
   */
  claimDueLeads(now: number, limit: number, owner: string, leaseMs: number): Promise<StoredLead[]>;

  /**
   * Claims up to `limit` effects that can run now, first submitted lead first (`priority`), then
   * in creation order: `pending` ones with `availableAt <= now`, and `started` ones of an
   * idempotent kind (`paid: false`) whose lease expired (their worker died). A paid `started`
   * effect is never claimed again. Claimed rows become `started`, leased to `owner` until
   * `now + leaseMs`, `attempts` + 1. Effects of `exclude.tenants` for the `exclude.kinds` are left
   * alone (a tenant at its limit of calls in flight). `kinds.only` / `kinds.except` restrict the
   * claim to, or away from, some kinds for every tenant (dials are claimed apart, paced).
   * With `caps`, a tenant's pending effects of `caps.kinds` are claimed only while it has fewer
   * than its cap of them in flight (InFlightCaps), across every instance on the store; a tenant
   * at its cap never keeps another tenant's effects from being claimed within `limit`.
   */
  claimEffects(
    now: number,
    limit: number,
    owner: string,
    leaseMs: number,
    exclude?: { tenants: readonly string[]; kinds: readonly string[] },
    kinds?: { only?: readonly string[]; except?: readonly string[] },
    caps?: InFlightCaps,
  ): Promise<EffectRow[]>;

  /**
   * Paid effects (`paid: true`) left `started` whose lease ran out: the instance that started them
   * died or hung, and whether their request left is unknown. Claims up to `limit` of them (the
   * lease set to `owner` until `now + leaseMs`, nothing else changed) only so that one instance
   * closes each: they are never performed again (DESIGN.md, "at most once per key").
   */
  claimOrphans(now: number, limit: number, owner: string, leaseMs: number): Promise<EffectRow[]>;

  /**
   * Extends the lease of a started effect `owner` holds, while its call is legitimately in flight.
   * False when the lease is no longer `owner`'s (it ran out and another instance took the effect).
   */
  renewEffectLease(effectId: number, owner: string, leaseUntil: number): Promise<boolean>;

  /**
   * Puts a started effect back to `pending` until `availableAt` (the service said "not now", so
   * the request was not performed). Only the owner of the lease may do so.
   */
  releaseEffect(effectId: number, owner: string, availableAt: number, note: unknown): Promise<void>;

  /**
   * The earliest instant something is due: a lead's `wakeAt`, a pending effect's `availableAt`, or
   * the lease expiry of a started effect (its worker may have died: it is then claimable again, or,
   * paid, an orphan to close);
   * with `after`, the earliest one strictly later than it (what a scheduler arms its timer for).
   * `of` narrows it to the leads' wake-ups or the effects' availability.
   */
  nextDueAt(after?: number, of?: DueKind): Promise<number | null>;

  /**
   * Optional, for stores several instances share (PostgreSQL's LISTEN/NOTIFY): calls
   * `listener(at)` whenever a write of any instance commits something due at `at` (a lead's
   * wake-up, an effect's availability). The engine arms its timer with it, so an earlier wake-up
   * committed by another instance is not left waiting for this one's timer. Resolves, once
   * listening, with what stops it. A store with one writer (memory, SQLite) leaves it out.
   */
  watchDue?(listener: (at: number) => void): Promise<() => Promise<void>>;

  /**
   * True for a store several instances write at once (PostgreSQL): a limit one instance holds in
   * memory is then no limit, so the engine asks the store to keep the tenants' calls in flight
   * (`caps` of claimEffects, EffectClaim `cap`). A store with one writer leaves it out: the
   * engine's own count is exact there, and cheaper.
   */
  readonly shared?: boolean;

  /**
   * Appends audit entries on their own, in one transaction, about a lead that need not exist: a
   * callback naming an unknown lead is still on record, under the id it named.
   */
  recordAudit(entries: readonly NewAuditEntry[]): Promise<void>;

  /** Audit trail of one lead (or of an id only `recordAudit` knows), oldest first. */
  getAudit(leadId: string): Promise<AuditEntry[]>;

  /** Outbox rows of one lead, in creation order (for tests, the lead tab and reconciliation). */
  getEffects(leadId: string): Promise<EffectRow[]>;

  /** The lead's dashboard columns (lead-facts.ts), or null when there is no such lead. */
  getLeadFacts(leadId: string): Promise<LeadFacts | null>;

  /**
   * A seller's "it was a person" on a lead of `mark.tenantId` whose calling ended on an answering
   * machine (`outcome` machine): sets its `machinePersonAt`/`By` and files an audit entry (`event`
   * MACHINE_WAS_PERSON, with `by`) in one transaction. Idempotent: a lead marked before keeps its
   * first mark and nothing is written. Its state, version and lease are left alone: this is no
   * decision of the machine's. Another tenant's lead is `unknown_lead`.
   */
  markMachinePerson(mark: MachinePersonMark): Promise<MachinePersonResult>;

  /**
   * One tenant's figures over [from, to): in total, grouped by partner or site, and per calendar
   * day of `timeZone`, computed by the database over the dashboard columns (never by reading the
   * leads into memory). Throws a RangeError for an empty or reversed period, one longer than
   * DASHBOARD_MAX_DAYS, or an unknown zone.
   */
  dashboard(tenantId: string, query: DashboardQuery): Promise<Dashboard>;

  /**
   * Counts toward limits (the abuse guard's), for every instance on the store at once: adds each
   * hit's `by` to its counter, or none of them when one would take its counter past its `limit`.
   * A counter lives until its `until`; at or after it, it counts from zero again (and may be
   * deleted). Atomic: two instances counting one key never lose a count or both pass a limit.
   */
  countHits(hits: readonly CounterHit[], now: number): Promise<CountResult>;

  /** One submit refused (per phone, per IP…), counted per tenant and reason for `stats()`. */
  countRefusal(tenantId: string, reason: string): Promise<void>;

  /**
   * Counts of unfinished leads per `crmState` / `callState` pair, how many wait, and the refusals
   * counted so far (for ops).
   */
  stats(): Promise<StoreStats>;

  /**
   * Erases a tenant (a shop that asked for its data to be deleted: a Bitrix24 uninstall with
   * CLEAN): its leads with their effects, audit trails and pending calls, and its refusal counts.
   * Each transaction takes at most `batchSize` leads (default 500), so a tenant of a million leads
   * never holds the write lock for long; it goes on until a batch finds none left. Answers how
   * many leads it deleted (0 for an unknown tenant). The abuse guard's counters are not per
   * tenant to the store and are left to expire with their window.
   */
  deleteTenant(tenantId: string, options?: DeleteTenantOptions): Promise<number>;

  /**
   * Retention: deletes the audit trail and the outbox rows of up to `limit` finished leads
   * submitted before `before`, oldest first, in one transaction; the lead rows stay (their states
   * and the dashboard's columns). A pruned lead is not looked at again. Returns how many leads
   * were pruned: fewer than `limit` means none is left before `before`.
   */
  pruneFinished(before: number, limit: number): Promise<number>;

  close(): Promise<void>;
}

export interface DeleteTenantOptions {
  /** Leads per transaction (1 or more; default `DELETE_TENANT_BATCH`). */
  readonly batchSize?: number;
}

/** Leads (and their rows) deleted per transaction by default: a short hold of the write lock. */
export const DELETE_TENANT_BATCH = 500;

export const LeadStore = Symbol.for('prozvon.LeadStore');

/** Where a page of `listLeads` starts: after the lead with this `submittedAt` and `id`. */
export interface LeadCursor {
  readonly submittedAt: number;
  readonly id: string;
}

export interface LeadListQuery {
  /** Stored state names (`crm.manual`, `call.night`); absent or empty: every state. */
  readonly states?: readonly string[];
  readonly from?: number;
  readonly to?: number;
  /** At most this many leads (1 or more). */
  readonly limit: number;
  readonly cursor?: LeadCursor;
}

export interface LeadPage {
  readonly leads: readonly StoredLead[];
  readonly next: LeadCursor | null;
}

/** What `nextDueAt` looks at: waiting leads, pending effects, or both. */
export type DueKind = 'all' | 'leads' | 'effects';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface NewLead {
  readonly id: string;
  readonly tenantId: string;
  /** The shop's idempotency reference; at most one unfinished lead per tenant and ref. */
  readonly ref: string | null;
  /**
   * SHA-256 of the request as validated (the engine's `leadBodyHash`): with `ref`, the same body
   * again within `REPLAY_WINDOW_MS` replays this lead's first answer. Absent or null: never
   * replayed (leads imported in bulk). Kept by the store for that alone; `getLead` omits it.
   */
  readonly bodyHash?: string | null;
  /**
   * The CRM lead this lead was adopted from (`LeadEngine.adoptCrmLead`): a tenant has at most one
   * lead per adopted CRM lead, ever, finished or not, since the CRM's own events may bring the
   * same CRM lead again a month later. Absent or null for a lead Prozvon created in the CRM
   * itself: such a lead is not found by its CRM id. Kept by the store for that alone; `getLead`
   * omits it (the snapshot's context has the CRM lead id of every lead).
   */
  readonly adoptedCrmLeadId?: string | null;
  readonly crmState: string;
  readonly callState: string;
  readonly snapshot: JsonValue;
  readonly wakeAt: number | null;
  readonly finished: boolean;
  readonly submittedAt: number;
  /**
   * The dashboard's columns the lead starts with (partner, site, order sum…); absent fields are
   * null. Read back with `getLeadFacts`, not `getLead`.
   */
  readonly facts?: NewLeadFacts;
}

export interface StoredLead extends Omit<NewLead, 'bodyHash' | 'adoptedCrmLeadId' | 'facts'> {
  readonly updatedAt: number;
  /** Incremented by every update: what a reader saw can be compared with what is stored. */
  readonly version: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: number | null;
}

/**
 * How long a shop's retry of the same request (same `ref`, same body) gets the first answer
 * instead of a new lead: Stripe keeps an idempotency key for 24 hours.
 */
export const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1_000;

export type InsertResult =
  | { inserted: true; claimed: readonly EffectRow[] }
  /** An unfinished lead has this `ref` and another body: the caller answers 409. */
  | { inserted: false; existingLeadId: string }
  /** The same request again: the lead it made, and the states it was stored with (its answer). */
  | { inserted: false; replay: true; leadId: string; crmState: string; callState: string }
  /** The tenant already has a lead adopted from this CRM lead: that lead, in its states now. */
  | { inserted: false; adopted: true; leadId: string; crmState: string; callState: string };

export interface UpdateResult {
  /** The effects of this write stored claimed, in the order given (none when `decide` said null). */
  readonly claimed: readonly EffectRow[];
  /** The effect `options.handOff` claimed in the write's transaction, if it claimed one. */
  readonly handedOff?: EffectRow;
}

/** What updateLead writes besides the decision (see there). */
export interface UpdateOptions {
  readonly completeEffect?: EffectCompletion;
  readonly audit?: readonly NewAuditEntry[];
  readonly handOff?: EffectHandOff;
}

/**
 * With a completion that frees a tenant's capped slot (a dial's outcome on a shared store), the
 * same transaction claims the tenant's next pending effect of `caps.kinds` in claim order, if its
 * cap (counted as claimEffects counts it, the completion included) leaves room and no other
 * transaction is deciding the tenant's calls right now. The freed slot goes on to the next call
 * without a claim of its own after the commit: on a shared store that claim is a transaction and
 * a few round trips, paid once a call per slot (pg_herd_drain_s). A store that keeps no caps
 * (`shared` unset) ignores it.
 */
export interface EffectHandOff {
  readonly tenantId: string;
  readonly now: number;
  readonly owner: string;
  readonly leaseUntil: number;
  readonly caps: InFlightCaps;
}

export interface LeadUpdate {
  readonly crmState: string;
  readonly callState: string;
  readonly snapshot: JsonValue;
  readonly wakeAt: number | null;
  readonly finished: boolean;
  readonly updatedAt: number;
  readonly effects: readonly NewEffect[];
  readonly audit: readonly NewAuditEntry[];
  /**
   * Kinds of this lead's `pending` effects to cancel in the same transaction (`failed`, with
   * `{ cancelled: true }` as result): a stop leaves nothing queued to be performed after it.
   */
  readonly cancelEffects?: readonly string[];
  /** What the decision changes of the lead's dashboard columns (LeadFactsUpdate's rules). */
  readonly facts?: LeadFactsUpdate;
}

export interface NewEffect {
  /** Unique across the store, e.g. `lead:<id>:dial:2`: an effect is queued once per key. */
  readonly key: string;
  readonly leadId: string;
  readonly tenantId: string;
  /** What to do, e.g. `dial`, `sendSms`, `createCrmLead`. */
  readonly kind: string;
  /** Costs money: performed at most once, never re-claimed once started. */
  readonly paid: boolean;
  readonly params: JsonValue;
  readonly availableAt: number;
  /** Lower runs first: the lead's submit time, so the earliest customer is served first. */
  readonly priority: number;
  /**
   * Claimed as it is queued: stored `started`, leased to `owner` until `leaseUntil`, `attempts`
   * 1, exactly as if `claimEffects` had taken it at once. The writer then performs it without a
   * claim round trip. Not applied when the key is already queued (nothing is written then).
   */
  readonly claim?: EffectClaim;
}

export interface EffectClaim {
  readonly owner: string;
  readonly leaseUntil: number;
  /**
   * The tenant's cap of effects of this kind in flight (InFlightCaps): the effect is stored
   * claimed only while the tenant has fewer than `cap` of them in flight at the write's time
   * (its `createdAt`), counting the write's own claimed ones before it; otherwise it is stored
   * `pending`, available at once, and is not among the write's `claimed`.
   */
  readonly cap?: number;
}

/**
 * Per-tenant caps of effects in flight, kept by the store across every instance writing it: an
 * effect of `kinds` is in flight while it is `started` with a lease that has not run out, whoever
 * holds it (so a dial counts from its claim until its outcome is written, or its lease ends).
 */
export interface InFlightCaps {
  readonly kinds: readonly string[];
  /** Each tenant's cap; a tenant not named here has `otherwise`. */
  readonly perTenant: Readonly<Record<string, number>>;
  readonly otherwise: number;
}

export type EffectStatus = 'pending' | 'started' | 'done' | 'failed';

export interface EffectRow extends Omit<NewEffect, 'claim'> {
  readonly id: number;
  readonly status: EffectStatus;
  readonly attempts: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: number | null;
  readonly result: JsonValue;
  readonly createdAt: number;
  readonly finishedAt: number | null;
}

export interface EffectCompletion {
  readonly effectId: number;
  readonly status: 'done' | 'failed';
  readonly result: JsonValue;
  readonly at: number;
}

/** `parked`: the lead could not be decided (its tenant unknown or suspended, its snapshot unreadable). */
export type AuditType = 'event' | 'transition' | 'effect' | 'rejected' | 'parked';

export interface NewAuditEntry {
  readonly leadId: string;
  readonly at: number;
  readonly type: AuditType;
  /** The effect or event key this entry is about, when there is one. */
  readonly key: string | null;
  readonly detail: JsonValue;
}

export interface AuditEntry extends NewAuditEntry {
  readonly id: number;
}

export interface StoreStats {
  readonly unfinished: number;
  readonly waiting: number;
  readonly byState: readonly { crmState: string; callState: string; count: number }[];
  readonly pendingEffects: number;
  /** Submits refused since the store was created, by tenant then reason. */
  readonly refusals: readonly { tenantId: string; reason: string; count: number }[];
}

export interface CounterHit {
  /** Names the counter, its window included (`abuse:shop-1:phone:+79161234567:h:493712`). */
  readonly key: string;
  readonly by: number;
  /** The most the counter may reach. */
  readonly limit: number;
  /** When the counter's window ends. */
  readonly until: number;
}

export interface CountResult {
  /** Every hit was added; false when one would have passed its limit, and none was. */
  readonly counted: boolean;
  /** Each counter's total as it stands after the call, in the order of the hits. */
  readonly totals: readonly number[];
}
