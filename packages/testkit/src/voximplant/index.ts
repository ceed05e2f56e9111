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
export { runScenario, type StandinOptions, type StandinSession } from './voxengine-standin.js';
