// @prozvon/adapters-voximplant/protocol: the wire formats between our server and our VoxEngine
// scenario, defined once. The scenario (plain JS) has its own copy, tested to agree with this one.
export { AmdSettings, CallPlan, type CallPlanInput, CallPlanRequest, MessageSpec } from './call-plan.js';
export { CallResult } from './call-result.js';
export { CustomData, encodeCustomData, MAX_CUSTOM_DATA_BYTES } from './custom-data.js';
export {
  CALL_HEADER,
  PROTOCOL_VERSION,
  SIGNATURE_HEADER,
  SIGNATURE_VERSION,
  TIMESTAMP_HEADER,
} from './headers.js';
export {
  AMD_RESULT_CLASSES,
  type AmdResultClass,
  INVALID_NUMBER_CODES,
  outcomeForAmd,
  outcomeForFailureCode,
  REFUSED_CODES,
} from './outcome.js';
export { signatureMatches, signResult } from './signature.js';
export { AMD_MODELS, type AmdModel, VOICE_NAMES } from './voxengine-lists.js';
