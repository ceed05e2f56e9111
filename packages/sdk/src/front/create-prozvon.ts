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
import { checkPorts } from './check-ports.js';
import {
  createProzvonHost,
  type IntakeRouteOptions,
  type OrderFormRouteOptions,
} from './create-prozvon-host.js';

export interface ProzvonOptions {
  readonly store: LeadStore;
  readonly crm: CrmPort;
  readonly voice: VoicePort;
  readonly sms: SmsPort;
  readonly notifier: NotifierPort;
  /** The shop's settings; every field has a default (`tenantConfigSchema`; the table in @prozvon/sdk's README.md). */
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
  /** Calls a waiting lead now, within the shop's hours (outside them: `not_applicable`, `outside_hours`). */
  callNow(leadId: string, by: string): Promise<ActionOutcome>;
  /** Leads by state and the effects that failed, for a health page or metrics. */
  stats(): Promise<EngineStats>;
  /**
   * The route for the shop's order form, posted by the customer's browser (JSON or a plain HTML
   * form → 202 / 400 / 409 / 413 / 415 / 429): only name, phone, comment, time zone and `ref` are
   * taken from the body; the IP comes from the request, the partner from the `utm_source` cookie.
   * `orderFormHandler({ fromServer })` adds the order and the city.
   */
  handleOrderForm(request: Request): Promise<Response>;
  /** An order-form route with the shop's part of each lead (`fromServer`: the order, the city). */
  orderFormHandler(options?: OrderFormRouteOptions): (request: Request) => Promise<Response>;
  /**
   * The server-to-server intake route: the shop's backend posts the whole lead as JSON with
   * `secret` (as `Authorization: Bearer …`), and every field is believed. Never for a browser.
   */
  intakeHandler(options: IntakeRouteOptions): (request: Request) => Promise<Response>;
  /**
   * The voice provider's callback route as a Web handler: mount it at the URL the voice adapter
   * was given (Voximplant: its `callbackUrl`, for both the call plan and the signed result).
   */
  handleVoiceCallback(request: Request): Promise<Response>;
  start(): Promise<void>;
  /** Graceful: no new leads, effects in flight finish or stay safely `started`. */
  stop(): Promise<void>;
}

/**
 * The SDK's front door for one shop: the many-shop host (`createProzvonHost`, the composition
 * root) with a registry of exactly this shop, and every call bound to it. Throws a TypeError
 * naming the piece when an adapter is missing one (`voice.handleCallback`), or a setting is bad.
 */
export function createProzvon(options: ProzvonOptions): Prozvon {
  checkPorts(options);
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
  const orderFormHandler = (extra: OrderFormRouteOptions = {}) => host.orderFormHandler(tenantId, extra);

  return {
    engine: host.engine,
    config,
    submitLead: (input) => host.submitLead(tenantId, input),
    deliver: (leadId, event) => host.deliver(tenantId, leadId, event),
    getLead: (leadId) => host.getLead(tenantId, leadId),
    retryCrm: (leadId, by) => host.retryCrm(tenantId, leadId, by),
    cancelCalls: (leadId, by) => host.cancelCalls(tenantId, leadId, by),
    callNow: (leadId, by) => host.callNow(tenantId, leadId, by),
    stats: () => host.stats(),
    handleOrderForm: orderFormHandler(),
    orderFormHandler,
    intakeHandler: (extra) => host.intakeHandler(tenantId, extra),
    handleVoiceCallback: (request) => host.handleVoiceCallback(request),
    start: () => host.start(),
    stop: () => host.stop(),
  };
}
