import {
  parseSettings,
  type TenantConfig,
  type TenantConfigInput,
  tenantConfigSchema,
} from '../config/index.js';
import {
  type ActionOutcome,
  type DeliverOutcome,
  type EngineOptions,
  type EngineStats,
  type LeadEngine,
  type Logger,
  StaticTenants,
  type SubmitResult,
} from '../engine/index.js';
import type { IntakeHandlerOptions } from '../http/index.js';
import type { LeadInput } from '../lead/index.js';
import type {
  CallResultEvent,
  Clock,
  CrmPort,
  LeadStore,
  NotifierPort,
  SmsPort,
  StoredLead,
  VoicePort,
} from '../ports/index.js';
import { createProzvonHost } from './create-prozvon-host.js';

export interface ProzvonOptions {
  readonly store: LeadStore;
  readonly crm: CrmPort;
  readonly voice: VoicePort;
  readonly sms: SmsPort;
  readonly notifier: NotifierPort;
  /** The shop's settings; every field has a default (README, "Configuration"). */
  readonly config?: TenantConfigInput;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly engine?: EngineOptions;
  /** Names the shop in stored leads; one SDK instance serves one shop. Default `default`. */
  readonly tenantId?: string;
}

export interface Prozvon {
  readonly engine: LeadEngine;
  readonly config: TenantConfig;
  /** Validates and commits a lead; throws InvalidLeadError (400), DuplicateLeadError (409) or RateLimitedLeadError (429). */
  submitLead(input: LeadInput): Promise<SubmitResult>;
  /** A call result from the voice provider (what `handleVoiceCallback` does after verifying). */
  deliver(leadId: string, event: CallResultEvent): Promise<DeliverOutcome>;
  /** The lead as stored (states, snapshot), for a status page; null when the shop has no such lead. */
  getLead(leadId: string): Promise<StoredLead | null>;
  /** Sends a lead whose CRM creation failed to the CRM again (once its token is fixed). */
  retryCrm(leadId: string, by: string): Promise<ActionOutcome>;
  /** Stops calling and texting a lead: it goes to the sellers, queued dials are cancelled. */
  cancelCalls(leadId: string, by: string): Promise<ActionOutcome>;
  /** Leads by state and the effects that failed, for a health page or metrics. */
  stats(): Promise<EngineStats>;
  /** The intake route as a Web handler (`POST` a lead → 202 / 400 / 409 / 429). */
  handleIntake(request: Request): Promise<Response>;
  /** The voice provider's callback route as a Web handler. */
  handleVoiceCallback(request: Request): Promise<Response>;
  /** Builds another intake handler (with a secret, or enrichment from the request). */
  intakeHandler(options?: Omit<IntakeHandlerOptions, 'submit'>): (request: Request) => Promise<Response>;
  start(): Promise<void>;
  /** Graceful: no new leads, effects in flight finish or stay safely `started`. */
  stop(): Promise<void>;
}

/**
 * The SDK's front door for one shop: the many-shop host (`createProzvonHost`, the composition
 * root) with a registry of exactly this shop, and every call bound to it.
 */
export function createProzvon(options: ProzvonOptions): Prozvon {
  // A wrong setting fails here, one line per field, and not at every lead.
  const config = parseSettings(tenantConfigSchema, options.config ?? {}, '@prozvon/sdk', 'config');
  const tenantId = options.tenantId ?? 'default';
  const { crm, voice, sms, notifier } = options;
  const host = createProzvonHost({
    store: options.store,
    tenants: new StaticTenants([{ id: tenantId, config, ports: { crm, voice, sms, notifier } }]),
    clock: options.clock,
    logger: options.logger,
    // One shop: nobody to be fair to, so its caps are the lanes' own (see EngineOptions).
    engine: {
      ...options.engine,
      maxEffectsPerTenant: options.engine?.maxEffectsPerTenant ?? options.engine?.maxEffectsInFlight ?? 64,
    },
    // One shop: every callback is its own, whatever the route.
    resolveTenant: () => tenantId,
  });
  const intakeHandler = (extra: Omit<IntakeHandlerOptions, 'submit'> = {}) =>
    host.intakeHandler(tenantId, extra);

  return {
    engine: host.engine,
    config,
    submitLead: (input) => host.submitLead(tenantId, input),
    deliver: (leadId, event) => host.deliver(tenantId, leadId, event),
    getLead: (leadId) => host.getLead(tenantId, leadId),
    retryCrm: (leadId, by) => host.retryCrm(tenantId, leadId, by),
    cancelCalls: (leadId, by) => host.cancelCalls(tenantId, leadId, by),
    stats: () => host.stats(),
    handleIntake: intakeHandler(),
    intakeHandler,
    handleVoiceCallback: (request) => host.handleVoiceCallback(request),
    start: () => host.start(),
    stop: () => host.stop(),
  };
}
