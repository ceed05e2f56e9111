// @prozvon/adapters-voximplant: the VoicePort on Voximplant, made from its settings with its one
// callback route (the call plan and the signed result), and the pieces it is built of for those
// who mount them otherwise. Wire formats: ./protocol.
export { deriveCallRef, deriveSigningKey } from './call-keys.js';
export { type VoximplantEnvSettings, voximplantFromEnv } from './from-env.js';
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
export type {
  ProvisionVoximplantOptions,
  VoximplantProvisioning,
} from './provisioning/options.js';
export { provisionVoximplant } from './provisioning/provision.js';
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
export { createVoximplantVoice } from './voice-adapter.js';
export {
  DEFAULT_VOICE,
  type MessageSetting,
  parseVoiceSettings,
  VoximplantVoiceOptions,
  type VoximplantVoiceSettings,
} from './voice-settings.js';
