import { type AnyActorScope, createActor } from 'xstate';
import type { LeadEvent, LeadMachine, LeadMachineInput, LeadSnapshot } from '../machine/index.js';

/** An executable action as `transition()` returns it: a type and its resolved params. */
export interface ExecutableAction {
  readonly type: string;
  readonly params?: unknown;
}

interface Scope {
  readonly scope: AnyActorScope;
  actions: ExecutableAction[];
}

const scopes = new WeakMap<LeadMachine, Scope>();

/** Any valid input: the scope's own actor computes an initial snapshot once, from this. */
const PLACEHOLDER_INPUT: LeadMachineInput = {
  leadId: '',
  tenantId: '',
  lead: { name: '-', phone: '' },
  at: 0,
};

/**
 * XState's pure `transition(machine, snapshot, event)` builds a throwaway actor on every call, and
 * that actor computes a whole initial snapshot first: measured, more than half the cost of a
 * decision. This does what `transition()` does (the machine's own `transition` and
 * `getInitialSnapshot` with an inert scope that collects the actions) but keeps one scope per
 * machine. Decisions are synchronous, so one scope can serve them all in turn.
 */
function scopeFor(machine: LeadMachine): Scope {
  let entry = scopes.get(machine);
  if (entry === undefined) {
    const self = createActor(machine, { input: PLACEHOLDER_INPUT });
    const collected: Scope = { scope: undefined as unknown as AnyActorScope, actions: [] };
    const scope = {
      self,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system: self.system,
      emit: () => {},
      actionExecutor: (action: ExecutableAction) => {
        collected.actions.push(action);
      },
    };
    entry = Object.assign(collected, { scope: scope as unknown as AnyActorScope });
    scopes.set(machine, entry);
  }
  return entry;
}

export function pureInitialTransition(
  machine: LeadMachine,
  input: LeadMachineInput,
): [LeadSnapshot, ExecutableAction[]] {
  const entry = scopeFor(machine);
  entry.actions = [];
  const snapshot = machine.getInitialSnapshot(entry.scope, input) as LeadSnapshot;
  return [snapshot, entry.actions];
}

export function pureTransition(
  machine: LeadMachine,
  snapshot: LeadSnapshot,
  event: LeadEvent,
): [LeadSnapshot, ExecutableAction[]] {
  const entry = scopeFor(machine);
  entry.actions = [];
  const next = machine.transition(snapshot, event, entry.scope) as LeadSnapshot;
  return [next, entry.actions];
}
