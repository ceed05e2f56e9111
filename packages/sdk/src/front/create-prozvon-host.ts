import 'reflect-metadata';
import { Container } from 'inversify';
import {
  type ActionOutcome,
  type AdoptResult,
  createLogger,
  type DeliverOutcome,
  EngineLogger,
  EngineOptions,
  type EngineStats,
  LeadEngine,
  type Logger,
  type SubmitResult,
  type Tenant,
  TenantRegistry,
} from '../engine/index.js';
import {
  createIntakeHandler,
  createOrderFormHandler,
  type IntakeHandlerOptions,
  jsonResponse,
  type OrderFormHandlerOptions,
  tenantErrorResponse,
  unavailableResponse,
  unknownTenantResponse,
} from '../http/index.js';
import type { CrmLeadSourceInput, LeadInput } from '../lead/index.js';
import {
  type CallResultEvent,
  Clock,
  type Dashboard,
  type DashboardQuery,
  LeadStore,
  type MachinePersonResult,
  type StoredLead,
  SystemClock,
} from '../ports/index.js';
import { tenantFromVoicePath } from './voice-path-tenant.js';

/** The days of a tenant the registry does not know: the default of `hours.timezone`. */
const DEFAULT_ZONE = 'Europe/Moscow';

export interface ProzvonHostOptions {
  readonly store: LeadStore;
  /** Every shop's settings and adapters (the app's installed portals), asked at each decision. */
  readonly tenants: TenantRegistry;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly engine?: EngineOptions;
  /**
   * Whose voice callback a request is: its tenant id, or null when it names none (404). Default
   * `tenantFromVoicePath`, the segment after `/voice/` (`https://…/voice/<tenantId>`).
   */
  readonly resolveTenant?: (request: Request) => string | null | Promise<string | null>;
}

/** The server-to-server intake route's options: `secret` is required. */
export type IntakeRouteOptions = Omit<IntakeHandlerOptions, 'submit'>;
/** The browser-facing order-form route's options (`fromServer`: the shop's part of the lead). */
export type OrderFormRouteOptions = Omit<OrderFormHandlerOptions, 'submit'>;

export interface ProzvonHost {
  readonly engine: LeadEngine;
  /**
   * Validates and commits a lead of `tenantId`; throws InvalidLeadError (400), DuplicateLeadError
   * (409), UnknownTenantError (404) or TenantUnavailableError (503 suspended, 404 removed).
   */
  submitLead(tenantId: string, input: LeadInput): Promise<SubmitResult>;
  /**
   * Runs a lead that already exists in `tenantId`'s CRM through the machine from `crm.created`
   * on that CRM lead (no CRM lead made, no abuse guard). Once per tenant and `crm.crmLeadId`,
   * ever: again, it answers the lead made the first time with `known: true`. Throws as
   * `submitLead` does (InvalidLeadError also for a bad `crm`).
   */
  adoptCrmLead(tenantId: string, input: LeadInput, crm: CrmLeadSourceInput): Promise<AdoptResult>;
  /** A call result for a lead of `tenantId`; another tenant's lead is answered `unknown_lead`. */
  deliver(tenantId: string, leadId: string, event: CallResultEvent): Promise<DeliverOutcome>;
  /** The lead as stored, or null when `tenantId` has no such lead. */
  getLead(tenantId: string, leadId: string): Promise<StoredLead | null>;
  /** Sends a lead whose CRM creation failed to the CRM again (once its token is fixed). */
  retryCrm(tenantId: string, leadId: string, by: string): Promise<ActionOutcome>;
  /** Stops calling and texting a lead: it goes to the sellers, queued dials are cancelled. */
  cancelCalls(tenantId: string, leadId: string, by: string): Promise<ActionOutcome>;
  /**
   * Calls a waiting lead now, within the shop's hours (outside them: `not_applicable`, reason
   * `outside_hours`, and when calls may start).
   */
  callNow(tenantId: string, leadId: string, by: string): Promise<ActionOutcome>;
  /** A seller's "it was a person" on a lead whose call ended on an answering machine (idempotent). */
  markMachineAsPerson(tenantId: string, leadId: string, by: string): Promise<MachinePersonResult>;
  /**
   * `tenantId`'s figures over a period, counted by the store (LeadStore.dashboard); its days are
   * the tenant's (`hours.timezone` of its config) unless `timeZone` names another zone.
   */
  dashboard(
    tenantId: string,
    query: Omit<DashboardQuery, 'timeZone'> & { readonly timeZone?: string },
  ): Promise<Dashboard & { readonly timeZone: string }>;
  /** Leads by state and the effects that failed (per tenant and kind), for every tenant. */
  stats(): Promise<EngineStats>;
  /**
   * One tenant's server-to-server intake route as a Web handler (the app mounts one per portal):
   * JSON with the secret, every field of the contract believed.
   */
  intakeHandler(tenantId: string, options: IntakeRouteOptions): (request: Request) => Promise<Response>;
  /**
   * One tenant's browser-facing route for its order form: JSON or a plain form, no secret, only
   * what a customer may say taken from the body, the rest from the server (`fromServer`).
   */
  orderFormHandler(
    tenantId: string,
    options?: OrderFormRouteOptions,
  ): (request: Request) => Promise<Response>;
  /**
   * Every tenant's voice callback on one Web handler: the tenant comes from the request
   * (`resolveTenant`), and its voice adapter verifies the request and delivers to its leads only.
   */
  handleVoiceCallback(request: Request): Promise<Response>;
  start(): Promise<void>;
  /** Graceful: no new leads, effects in flight finish or stay safely `started`. */
  stop(): Promise<void>;
}

/**
 * The SDK's composition root for many shops in one engine (the Bitrix24 app's portals): the store,
 * the tenant registry and the clock go into one Inversify container, the engine comes out with its
 * dependencies injected (Inversify, at this edge only). `createProzvon` is this with one shop.
 */
export function createProzvonHost(options: ProzvonHostOptions): ProzvonHost {
  const logger = options.logger ?? createLogger();
  const clock = options.clock ?? new SystemClock();
  const resolveTenant = options.resolveTenant ?? tenantFromVoicePath;
  const container = new Container();
  container.bind(LeadStore).toConstantValue(options.store);
  container.bind(Clock).toConstantValue(clock);
  container.bind(EngineLogger).toConstantValue(logger);
  container.bind(EngineOptions).toConstantValue(options.engine ?? {});
  container.bind(TenantRegistry).toConstantValue(options.tenants);
  container.bind(LeadEngine).toSelf().inSingletonScope();
  const engine = container.get(LeadEngine);

  const submitLead = (tenantId: string, input: unknown) => engine.submitLead(input, tenantId);
  // A result is stamped when it reaches us, on the engine's clock: the provider's own timestamps
  // only serve its signature's freshness check.
  const deliver = (tenantId: string, leadId: string, event: CallResultEvent) =>
    engine.deliver(tenantId, leadId, { ...event, at: clock.now() });

  /** The tenant a callback is for, null when none is named or known, or the failure to find it. */
  async function callbackTenant(request: Request): Promise<{ id: string; tenant: Tenant | null }> {
    const id = await resolveTenant(request);
    return { id: id ?? '', tenant: id === null ? null : await options.tenants.get(id) };
  }

  return {
    engine,
    submitLead,
    adoptCrmLead: (tenantId, input, crm) => engine.adoptCrmLead(tenantId, input, crm),
    deliver,
    getLead: (tenantId, leadId) => engine.getLead(tenantId, leadId),
    retryCrm: (tenantId, leadId, by) => engine.retryCrm(tenantId, leadId, by),
    cancelCalls: (tenantId, leadId, by) => engine.cancelCalls(tenantId, leadId, by),
    callNow: (tenantId, leadId, by) => engine.callNow(tenantId, leadId, by),
    markMachineAsPerson: (tenantId, leadId, by) => engine.markMachineAsPerson(tenantId, leadId, by),
    async dashboard(tenantId, query) {
      const timeZone =
        query.timeZone ?? (await options.tenants.get(tenantId))?.config.hours.timezone ?? DEFAULT_ZONE;
      return { ...(await options.store.dashboard(tenantId, { ...query, timeZone })), timeZone };
    },
    stats: () => engine.stats(),
    intakeHandler: (tenantId, extra) =>
      createIntakeHandler({
        onError: (error) => logger.error({ err: error, tenantId }, 'intake failed'),
        ...extra,
        submit: (body) => submitLead(tenantId, body),
      }),
    orderFormHandler: (tenantId, extra = {}) =>
      createOrderFormHandler({
        onError: (error) => logger.error({ err: error, tenantId }, 'order form failed'),
        ...extra,
        submit: (body) => submitLead(tenantId, body),
      }),
    async handleVoiceCallback(request) {
      let found: { id: string; tenant: Tenant | null };
      try {
        found = await callbackTenant(request);
      } catch (error) {
        // The registry failed: a 5xx, so the scenario tries again.
        logger.error({ err: error }, 'voice callback: tenant look-up failed');
        return unavailableResponse();
      }
      const { id: tenantId, tenant } = found;
      // A suspended tenant's callbacks are still taken: a call placed before it was suspended has
      // a result to record, and the engine starts nothing new for it. A removed one's are not.
      if (tenant === null || tenant.status === 'removed') return unknownTenantResponse();
      const { voice } = tenant.ports;
      if (!voice.handleCallback) {
        return jsonResponse(404, { error: 'this voice adapter takes no callbacks' });
      }
      try {
        // Bound to this tenant: a result signed with its key can only reach its own leads.
        // A failed delivery is logged here: the adapter answers it 500 (so the scenario retries)
        // and keeps no error of its own.
        return await voice.handleCallback(request, (leadId, event) =>
          deliver(tenantId, leadId, event).catch((error: unknown) => {
            logger.error({ err: error, tenantId, leadId }, 'voice result could not be delivered');
            throw error;
          }),
        );
      } catch (error) {
        const forTenant = tenantErrorResponse(error);
        if (forTenant !== null) return forTenant;
        logger.error({ err: error, tenantId }, 'voice callback failed');
        return jsonResponse(500, { error: 'callback_failed' });
      }
    },
    start: () => engine.start(),
    stop: () => engine.stop(),
  };
}
