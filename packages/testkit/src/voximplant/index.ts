export {
  type ApiError,
  AUTHORIZATION_FAILED,
  apiError,
  UNKNOWN_COMMAND,
  VOXIMPLANT_DEFAULT_FAULT,
  VOXIMPLANT_INSUFFICIENT_FUNDS,
  VOXIMPLANT_TOO_MANY_REQUESTS,
  voximplantApiFault,
} from './api-errors.js';
export { apiDate, parseApiDate } from './call-history.js';
export * from './credentials.js';
export type {
  RuleProgram,
  SimApplication,
  SimRule,
  SimScenario,
  VoximplantPlatform,
} from './platform-objects.js';
export { checkServiceToken, type JwtRefusal } from './service-jwt.js';
export type { HttpRecord, SessionRecord, VirtualCallRecord } from './session-record.js';
export { AMD_EVENTS, CALL_EVENTS } from './virtual-call.js';
export {
  failureOf,
  PHONE_PRESETS,
  type PhoneAnswer,
  type PhonePreset,
  resolvePhone,
  type VirtualPhone,
} from './virtual-phone.js';
export { AMD_MODEL, AMD_MODELS, VOICE_NAMES } from './voxengine-lists.js';
export { runScenario, type StandinOptions, type StandinSession } from './voxengine-standin.js';
export {
  type AccountFunds,
  startVoximplantSim,
  type VoximplantSim,
  type VoximplantSimOptions,
} from './voximplant-sim.js';
export { type ApiRequestRecord, type SimScenarioSession, VoximplantState } from './voximplant-state.js';
