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
import { pureInitialTransition, pureTransition } from './pure-transition.js';

/** What is stored of a snapshot: its state value and context, enough to resolve it again. */
interface StoredSnapshot {
  readonly value: LeadSnapshot['value'];
  readonly context: LeadContext;
}

/** The first decision about a new lead: its row, first effects and audit entries. */
export function decideNewLead(
  machine: LeadMachine,
  input: LeadMachineInput,
): { lead: NewLead; effects: NewEffect[]; audit: NewAuditEntry[] } {
  const [snapshot, actions] = pureInitialTransition(machine, input);
  const names = stateNames(snapshot);
  const effects = toEffects(actions, snapshot.context, input.at);
  return {
    lead: {
      id: input.leadId,
      tenantId: input.tenantId,
      ref: input.lead.ref ?? null,
      bodyHash: leadBodyHash(input.lead),
      ...names,
      snapshot: toStored(snapshot),
      wakeAt: snapshot.context.callWakeAt,
      finished: isFinished(snapshot),
      submittedAt: input.at,
    },
    effects,
    audit: [
      audit(input.leadId, input.at, 'event', null, { event: 'SUBMITTED' }),
      audit(input.leadId, input.at, 'transition', null, { to: names }),
      ...effects.map((effect) =>
        audit(input.leadId, input.at, 'effect', effect.key, { queued: effect.kind }),
      ),
    ],
  };
}

/**
 * The next decision about a stored lead: null when the event changes nothing (a late or duplicate
 * result, a wake-up before its time), otherwise the update to write.
 */
export function decideEvent(machine: LeadMachine, stored: StoredLead, event: LeadEvent): LeadUpdate | null {
  const previous = fromStored(machine, stored);
  const [snapshot, actions] = pureTransition(machine, previous, event);
  if (snapshot === previous) return null;
  const names = stateNames(snapshot);
  const effects = toEffects(actions, snapshot.context, event.at);
  const moved = names.crmState !== stored.crmState || names.callState !== stored.callState;
  return {
    ...names,
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
  const { value, context } = stored.snapshot as unknown as StoredSnapshot;
  return machine.resolveState({ value, context });
}

// Value and context are plain data already; the store serialises them (a copy here would be a
// second JSON round trip on every decision).
function toStored(snapshot: LeadSnapshot): JsonValue {
  return { value: snapshot.value, context: snapshot.context } as unknown as JsonValue;
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
