export {
  type DeliverOutcome,
  EngineOptions,
  LeadEngine,
  type StateChange,
  type SubmitResult,
} from './engine.js';
export {
  DuplicateLeadError,
  EngineStoppedError,
  type RateLimit,
  RateLimitedLeadError,
  UnknownTenantError,
} from './engine-errors.js';
export { createLogger, EngineLogger, type Logger, silentLogger } from './logger.js';
export type { EffectOutcome } from './perform-effect.js';
export { StaticTenants, type Tenant, type TenantPorts, TenantRegistry } from './tenants.js';
