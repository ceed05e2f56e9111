import type { TenantConfig } from '../config/index.js';
import { createLeadMachine, type LeadMachine } from '../machine/index.js';
import type { CrmPort, NotifierPort, SmsPort, VoicePort } from '../ports/index.js';

export interface TenantPorts {
  readonly crm: CrmPort;
  readonly voice: VoicePort;
  readonly sms: SmsPort;
  readonly notifier: NotifierPort;
}

/**
 * Whether the engine may work for a tenant: `active`; `suspended` (its token revoked, its account
 * blocked: its due leads and effects wait, parked with the reason, until it is active again);
 * `removed` for good (the app uninstalled: its waiting leads are cancelled, nothing more is done).
 */
export type TenantStatus = 'active' | 'suspended' | 'removed';

/** One shop: its settings and its adapters (the app has one per Bitrix24 portal). */
export interface Tenant {
  readonly id: string;
  readonly config: TenantConfig;
  readonly ports: TenantPorts;
  /** Default `active`. */
  readonly status?: TenantStatus;
  /** Why it is suspended or removed: goes on the audit trail of what it parks or cancels. */
  readonly statusReason?: string;
}

/**
 * Where the engine finds a tenant's settings and adapters, read at each decision and effect.
 *
 * The contract: `get` returns the same Tenant object for a tenant until its settings change (the
 * machine is built once per config object, and adapters with state — batchers, rate limiters,
 * token refresh — must be one per tenant, not one per call); after an edit it returns a new object,
 * which the tenant's next decision uses. `null` means the registry does not know the tenant: its
 * leads are parked with a back-off, never an error inside the engine.
 */
export interface TenantRegistry {
  get(tenantId: string): Promise<Tenant | null>;
}

export const TenantRegistry = Symbol.for('prozvon.TenantRegistry');

/** A fixed set of tenants: the SDK in one shop's backend has exactly one. */
export class StaticTenants implements TenantRegistry {
  readonly #tenants: ReadonlyMap<string, Tenant>;

  constructor(tenants: readonly Tenant[]) {
    this.#tenants = new Map(tenants.map((tenant) => [tenant.id, tenant]));
  }

  async get(tenantId: string): Promise<Tenant | null> {
    return this.#tenants.get(tenantId) ?? null;
  }
}

const machines = new WeakMap<TenantConfig, LeadMachine>();

/** The lead machine for a config, built once per config object (settings edits make a new one). */
export function machineFor(config: TenantConfig): LeadMachine {
  let machine = machines.get(config);
  if (!machine) {
    machine = createLeadMachine(config);
    machines.set(config, machine);
  }
  return machine;
}

export function statusOf(tenant: Tenant): TenantStatus {
  return tenant.status ?? 'active';
}
