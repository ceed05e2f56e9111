import type { SnapshotFrom } from 'xstate';
import type { LeadMachine } from './lead-machine.js';

export type LeadSnapshot = SnapshotFrom<LeadMachine>;

// The crm region's resting states; `intake`, where every lead enters, is never rested in.
export const CRM_STATES = ['partnerLookup', 'creating', 'created', 'manual'] as const;
export const CALL_STATES = [
  'callable',
  'night',
  'dialing',
  'awaitingResult',
  'answered',
  'machine',
  'nodial',
  'invalid',
  'manual',
] as const;
export type CrmState = (typeof CRM_STATES)[number];
export type CallState = (typeof CALL_STATES)[number];

const CRM_DONE: ReadonlySet<string> = new Set(['created', 'manual']);
const CALL_DONE: ReadonlySet<string> = new Set(['answered', 'machine', 'invalid', 'manual']);

/** Whether a stored call state (`call.answered`) is one where calling the lead has ended. */
export function isCallDone(stored: string): boolean {
  return stored.startsWith('call.') && CALL_DONE.has(stored.slice('call.'.length));
}

/** The region states as stored and shown to sellers: `crm.created`, `call.night`. */
export function stateNames(snapshot: LeadSnapshot): { crmState: string; callState: string } {
  const value = snapshot.value as { crm: CrmState; call: CallState };
  return { crmState: `crm.${value.crm}`, callState: `call.${value.call}` };
}

/**
 * A lead is finished when both regions are done and nothing is left to write on its card; only
 * then may a new lead with the same `ref` be accepted.
 */
export function isFinished(snapshot: LeadSnapshot): boolean {
  const value = snapshot.value as { crm: CrmState; call: CallState };
  const { context } = snapshot;
  const cardDone = value.crm === 'manual' || (context.crmQueue.length === 0 && context.crmWriting === null);
  return CRM_DONE.has(value.crm) && CALL_DONE.has(value.call) && cardDone;
}
