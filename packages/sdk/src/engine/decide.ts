import { leadBodyHash } from '../lead/lead-hash.js';
import {
  EFFECT_TYPES,
  type Effect,
  isFinished,
  type LeadContext,
  type LeadEvent,
  type LeadMachine,
  type LeadMachineInput,
  type LeadSnapshot,
  PAID_EFFECTS,
  stateNames,
} from '../machine/index.js';
import type { JsonValue, LeadUpdate, NewAuditEntry, NewEffect, NewLead, StoredLead } from '../ports/index.js';
import { factsUpdate, newLeadFacts } from './lead-facts.js';
import { pureInitialTransition, pureTransition } from './pure-transition.js';

/**
 * The version of the machine that wrote a snapshot. A snapshot of an older version is migrated as
 * it is read (`migrateSnapshot`); one of a newer version (a rollback) cannot be read, and its lead
 * is parked, never retried in a loop.
 *  1. the first machine (stored without `v`);
 *  2. the callback timeout counts from DIAL_STARTED; `crmAttempt`; RETRY_CRM and CANCEL.
 * Leads adopted from the CRM took no new version: they pass through the crm region's `intake`,
 * which no snapshot is ever stored in, and rest in states version 2 has always had (`crm.created`
 * with its CRM lead id), so any version-2 machine reads them.
 */
export const MACHINE_VERSION = 2;

/** What is stored of a snapshot: its state value and context, enough to resolve it again. */
interface StoredSnapshot {
  readonly value: LeadSnapshot['value'];
  readonly context: LeadContext;
  readonly v?: number;
  /** Times in a row the lead could not be decided: its back-off (a successful decision clears it). */
  readonly parked?: number;
}

/** A stored snapshot this machine cannot read. */
export class SnapshotUnreadableError extends Error {
  readonly code = 'snapshot_unreadable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SnapshotUnreadableError';
  }
}

/**
 * The lead machine threw while deciding one lead (a guard, an action, its context): XState hands
 * back a snapshot in `error` status, which must never be stored as the lead's state. It fails that
 * lead alone — its intake answers 500, a stored lead is parked — and carries the cause.
 */
export class LeadDecisionError extends Error {
  readonly code = 'lead_not_decided';
  readonly leadId: string;
  constructor(leadId: string, cause: unknown) {
    super(`lead ${leadId} could not be decided: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'LeadDecisionError';
    this.leadId = leadId;
  }
}

function decided(leadId: string, snapshot: LeadSnapshot): LeadSnapshot {
  if (snapshot.status === 'error') throw new LeadDecisionError(leadId, snapshot.error);
  return snapshot;
}

/** The first decision about a new lead: its row, first effects and audit entries. */
export function decideNewLead(
  machine: LeadMachine,
  input: LeadMachineInput,
): { lead: NewLead; effects: NewEffect[]; audit: NewAuditEntry[] } {
  const [initial, actions] = pureInitialTransition(machine, input);
  const snapshot = decided(input.leadId, initial);
  const names = stateNames(snapshot);
  const effects = toEffects(actions, snapshot.context, input.at);
  return {
    lead: {
      id: input.leadId,
      tenantId: input.tenantId,
      ref: input.lead.ref ?? null,
      bodyHash: leadBodyHash(input.lead),
      adoptedCrmLeadId: input.adoptedFrom?.crmLeadId ?? null,
      ...names,
      snapshot: toStored(snapshot),
      wakeAt: snapshot.context.callWakeAt,
      finished: isFinished(snapshot),
      submittedAt: input.at,
      facts: newLeadFacts(snapshot.context, names.callState),
    },
    effects,
    audit: [
      audit(input.leadId, input.at, 'event', null, arrival(input)),
      audit(input.leadId, input.at, 'transition', null, { to: names }),
      ...effects.map((effect) =>
        audit(input.leadId, input.at, 'effect', effect.key, { queued: effect.kind }),
      ),
    ],
  };
}

/** How the lead came: submitted by the shop, or adopted from a lead already in its CRM. */
function arrival(input: LeadMachineInput): JsonValue {
  const from = input.adoptedFrom;
  if (from === undefined) return { event: 'SUBMITTED' };
  return {
    event: 'ADOPTED',
    source: 'crm',
    crmLeadId: from.crmLeadId,
    ...(from.crmUrl === undefined ? {} : { crmUrl: from.crmUrl }),
    ...(from.origin === undefined ? {} : { origin: from.origin }),
  };
}

/**
 * The next decision about a stored lead: null when the event changes nothing (a late or duplicate
 * result, a wake-up before its time), otherwise the update to write.
 */
export function decideEvent(machine: LeadMachine, stored: StoredLead, event: LeadEvent): LeadUpdate | null {
  const previous = fromStored(machine, stored);
  const [next, actions] = pureTransition(machine, previous, event);
  if (next === previous) return null;
  const snapshot = decided(stored.id, next);
  const names = stateNames(snapshot);
  const effects = toEffects(actions, snapshot.context, event.at);
  const moved = names.crmState !== stored.crmState || names.callState !== stored.callState;
  const cancel = cancelledKinds(event);
  const facts = factsUpdate(event, snapshot.context, stored.callState, names.callState);
  return {
    ...names,
    ...(cancel.length === 0 ? {} : { cancelEffects: cancel }),
    ...(facts === undefined ? {} : { facts }),
    snapshot: toStored(snapshot),
    wakeAt: snapshot.context.callWakeAt,
    finished: isFinished(snapshot),
    updatedAt: event.at,
    effects,
    audit: [
      audit(stored.id, event.at, 'event', eventKey(event), describeEvent(event)),
      ...(moved
        ? [
            audit(stored.id, event.at, 'transition', null, {
              from: { crmState: stored.crmState, callState: stored.callState },
              to: names,
            }),
          ]
        : []),
      ...effects.map((effect) => audit(stored.id, event.at, 'effect', effect.key, { queued: effect.kind })),
    ],
  };
}

export function contextOf(stored: StoredLead): LeadContext {
  return (stored.snapshot as unknown as StoredSnapshot).context;
}

function fromStored(machine: LeadMachine, stored: StoredLead): LeadSnapshot {
  const { value, context } = migrateSnapshot(stored.snapshot as unknown as StoredSnapshot);
  try {
    return machine.resolveState({ value, context });
  } catch (error) {
    throw new SnapshotUnreadableError(`lead ${stored.id}: ${(error as Error).message}`, { cause: error });
  }
}

/** Brings a stored snapshot up to this machine's version, or says it cannot. */
export function migrateSnapshot(stored: StoredSnapshot): StoredSnapshot {
  const version = stored.v ?? 1;
  if (typeof stored !== 'object' || stored === null || typeof stored.context !== 'object') {
    throw new SnapshotUnreadableError('the stored snapshot has no context');
  }
  if (version > MACHINE_VERSION) {
    throw new SnapshotUnreadableError(
      `the snapshot was written by machine version ${version}, newer than this one (${MACHINE_VERSION})`,
    );
  }
  if (version === MACHINE_VERSION) return stored;
  // 1 → 2: a lead still dialing had its callback timeout counted from the decision; it now counts
  // from DIAL_STARTED (a dial that never left is closed as abandoned by the dispatcher instead).
  const value = stored.value as { call?: string };
  const context: LeadContext = {
    ...stored.context,
    crmAttempt: stored.context.crmAttempt ?? 1,
    callWakeAt: value.call === 'dialing' ? null : stored.context.callWakeAt,
  };
  return { value: stored.value, context, v: MACHINE_VERSION };
}

/** How many times in a row this lead could not be decided (for its back-off). */
export function parkedCount(stored: StoredLead): number {
  const parked = (stored.snapshot as unknown as StoredSnapshot | null)?.parked;
  return typeof parked === 'number' ? parked : 0;
}

/** The stored snapshot with one more failed decision counted. */
export function withParked(stored: StoredLead, count: number): JsonValue {
  return { ...(stored.snapshot as Record<string, JsonValue>), parked: count };
}

// Value and context are plain data already; the store serialises them (a copy here would be a
// second JSON round trip on every decision).
function toStored(snapshot: LeadSnapshot): JsonValue {
  return { value: snapshot.value, context: snapshot.context, v: MACHINE_VERSION } as unknown as JsonValue;
}

/**
 * Effects a decision cancels with itself, still queued: a stop leaves no dial or text to be
 * performed after it, and a removed tenant nothing at all.
 */
function cancelledKinds(event: LeadEvent): string[] {
  if (event.type !== 'CANCEL') return [];
  return event.scope === 'all' ? [...EFFECT_TYPES] : [...PAID_EFFECTS, 'reconcileCall'];
}

function toEffects(actions: readonly { type: string; params?: unknown }[], context: LeadContext, at: number) {
  return actions
    .filter((action): action is Effect => EFFECT_TYPES.has(action.type))
    .map(
      (effect): NewEffect => ({
        key: effect.params.key,
        leadId: context.leadId,
        tenantId: context.tenantId,
        kind: effect.type,
        paid: PAID_EFFECTS.has(effect.type),
        params: effect.params as unknown as JsonValue,
        availableAt: at,
        priority: context.submittedAt,
      }),
    );
}

export function audit(
  leadId: string,
  at: number,
  type: NewAuditEntry['type'],
  key: string | null,
  detail: JsonValue,
): NewAuditEntry {
  return { leadId, at, type, key, detail };
}

function eventKey(event: LeadEvent): string | null {
  return 'effectKey' in event ? event.effectKey : 'attempt' in event ? `attempt:${event.attempt}` : null;
}

/** The event as the audit trail keeps it: its type and what it says, without repeating the lead. */
export function describeEvent(event: LeadEvent): JsonValue {
  const { type, at: _at, ...rest } = event;
  return { event: type, ...rest } as unknown as JsonValue;
}
