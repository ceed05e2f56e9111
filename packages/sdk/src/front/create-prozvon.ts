import 'reflect-metadata';
import { Container } from 'inversify';
import { type TenantConfig, type TenantConfigInput, tenantConfigSchema } from '../config/index.js';
import {
  type ActionOutcome,
  createLogger,
  type DeliverOutcome,
  EngineLogger,
  EngineOptions,
  type EngineStats,
  LeadEngine,
  type Logger,
  StaticTenants,
  type SubmitResult,
  TenantRegistry,
} from '../engine/index.js';
import { createIntakeHandler, type IntakeHandlerOptions, jsonResponse } from '../http/index.js';
import type { LeadInput } from '../lead/index.js';
import {
  type CallResultEvent,
  Clock,
  type CrmPort,
  LeadStore,
  type NotifierPort,
  type SmsPort,
  type StoredLead,
  SystemClock,
  type VoicePort,
} from '../ports/index.js';

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
 * The SDK's front door, and its composition root: the ports and settings go into one Inversify
 * container, the engine comes out with its dependencies injected (STYLE.md, "Inversify at the edge").
 */
export function createProzvon(options: ProzvonOptions): Prozvon {
  const config = tenantConfigSchema.parse(options.config ?? {});
  const tenantId = options.tenantId ?? 'default';
  const { crm, voice, sms, notifier } = options;
  const logger = options.logger ?? createLogger();

  const clock = options.clock ?? new SystemClock();
  const container = new Container();
  container.bind(LeadStore).toConstantValue(options.store);
  container.bind(Clock).toConstantValue(clock);
  container.bind(EngineLogger).toConstantValue(logger);
  container.bind(EngineOptions).toConstantValue(options.engine ?? {});
  container
    .bind(TenantRegistry)
    .toConstantValue(new StaticTenants([{ id: tenantId, config, ports: { crm, voice, sms, notifier } }]));
  container.bind(LeadEngine).toSelf().inSingletonScope();
  const engine = container.get(LeadEngine);

  const submitLead = (input: unknown) => engine.submitLead(input, tenantId);
  // A result is stamped when it reaches us, on the engine's clock: the provider's own timestamps
  // only serve its signature's freshness check.
  const deliver = (leadId: string, event: CallResultEvent) =>
    engine.deliver(tenantId, leadId, { ...event, at: clock.now() });
  const intakeHandler = (extra: Omit<IntakeHandlerOptions, 'submit'> = {}) =>
    createIntakeHandler({
      onError: (error) => logger.error({ err: error, tenantId }, 'intake failed'),
      ...extra,
      submit: submitLead,
    });
  const handleIntake = intakeHandler();

  return {
    engine,
    config,
    submitLead,
    deliver,
    getLead: (leadId) => engine.getLead(tenantId, leadId),
    retryCrm: (leadId, by) => engine.retryCrm(tenantId, leadId, by),
    cancelCalls: (leadId, by) => engine.cancelCalls(tenantId, leadId, by),
    stats: () => engine.stats(),
    handleIntake,
    intakeHandler,
    async handleVoiceCallback(request) {
      if (!voice.handleCallback) return jsonResponse(404, { error: 'this voice adapter takes no callbacks' });
      return voice.handleCallback(request, deliver);
    },
    start: () => engine.start(),
    stop: () => engine.stop(),
  };
}
