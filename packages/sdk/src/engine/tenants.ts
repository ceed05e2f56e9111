import type { TenantConfig } from '../config/index.js';
import { createLeadMachine, type LeadMachine } from '../machine/index.js';
import type { CrmPort, NotifierPort, SmsPort, VoicePort } from '../ports/index.js';

export interface TenantPorts {
  readonly crm: CrmPort;
  readonly voice: VoicePort;
  readonly sms: SmsPort;
  readonly notifier: NotifierPort;
}

/** One shop: its settings and its adapters (the app has one per Bitrix24 portal). */
export interface Tenant {
  readonly id: string;
  readonly config: TenantConfig;
  readonly ports: TenantPorts;
}

/** Where the engine finds a tenant's settings and adapters, read at each decision. */
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
