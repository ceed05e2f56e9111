export { LeadDecisionError, MACHINE_VERSION, SnapshotUnreadableError } from './decide.js';
export {
  type ActionOutcome,
  type AdoptResult,
  type DeliverOutcome,
  type EngineHealth,
  EngineOptions,
  type EngineStats,
  LeadEngine,
  type StateChange,
  type SubmitResult,
} from './engine.js';
export {
  DuplicateLeadError,
  EngineStoppedError,
  type RateLimit,
  RateLimitedLeadError,
  TenantUnavailableError,
  UnknownTenantError,
} from './engine-errors.js';
export type { EffectSignal, EngineObserver, WakeSignal } from './engine-signals.js';
export type { FailureCount } from './failure-counts.js';
export { createLogger, EngineLogger, type Logger, silentLogger } from './logger.js';
export type { EffectOutcome } from './perform-effect.js';
export {
  StaticTenants,
  type Tenant,
  type TenantPorts,
  TenantRegistry,
  type TenantStatus,
} from './tenants.js';
