// @prozvon/adapters-voximplant: the VoicePort on Voximplant and the two HTTP handlers a shop mounts
// for its scenario (the call plan and the signed result). Wire formats: ./protocol.
export { deriveCallRef, deriveSigningKey } from './call-keys.js';
export { reportFromHistory } from './history-report.js';
export { DEFAULT_RETRY_AFTER_MS } from './management/api-errors.js';
export {
  type ApiParams,
  DEFAULT_API_BASE,
  ManagementClient,
  type ManagementClientOptions,
} from './management/client.js';
export { type ServiceAccount, signServiceToken, TOKEN_LIFETIME_SEC } from './management/jwt.js';
export { MemoryPendingCallStore, type PendingCall, type PendingCallStore } from './pending-calls.js';
export { SCENARIO_FILE } from './scenario-file.js';
export { createCallPlanHandler } from './server/call-plan-handler.js';
export {
  type CallPlanProvider,
  type CallPlanProviderOptions,
  createCallPlanProvider,
  type MessageSource,
} from './server/call-plan-provider.js';
export { type CallResultHandlerOptions, createCallResultHandler } from './server/call-result-handler.js';
export {
  type CallResultEvent,
  type CallResultVerifier,
  type CallResultVerifierOptions,
  createCallResultVerifier,
  type RefusedResult,
  type VerifiedResult,
} from './server/call-result-verifier.js';
export { createCallbackRouter, type VoximplantCallbacks } from './server/callback-router.js';
export { MemoryReplayGuard, type ReplayGuard } from './server/replay-guard.js';
export { createVoximplantVoice, VoximplantVoiceOptions } from './voice-adapter.js';
