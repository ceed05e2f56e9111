export {
  CRM_EFFECTS,
  EFFECT_TYPES,
  type Effect,
  type EffectParams,
  type EffectType,
  effectKey,
  PAID_EFFECTS,
} from './effects.js';
export type { AdoptedCrmLead, CrmWrite, LeadContext, LeadMachineInput } from './lead-context.js';
export type { LeadEvent, LeadEventType } from './lead-events.js';
export { createLeadMachine, type LeadMachine } from './lead-machine.js';
export {
  CALL_STATES,
  type CallState,
  CRM_STATES,
  type CrmState,
  isCallDone,
  isFinished,
  type LeadSnapshot,
  stateNames,
} from './lead-state.js';
