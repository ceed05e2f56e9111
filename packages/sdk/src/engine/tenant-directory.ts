import { statusOf, type Tenant, type TenantRegistry } from './tenants.js';

/**
 * The engine's view of the registry: each lookup asks it (an edit takes effect at the tenant's next
 * decision), and the last answer per tenant is kept for what must be known synchronously inside a
 * store transaction (a shop's cap of calls in flight).
 */
export class TenantDirectory {
  readonly #last = new Map<string, Tenant>();

  constructor(private readonly registry: TenantRegistry) {}

  /** The tenant as the registry has it now, or null when it does not know it. */
  async lookup(tenantId: string): Promise<Tenant | null> {
    const tenant = await this.registry.get(tenantId);
    if (tenant === null) this.#last.delete(tenantId);
    else this.#last.set(tenantId, tenant);
    return tenant;
  }

  /** The last answer for this tenant, without asking. */
  cached(tenantId: string): Tenant | undefined {
    return this.#last.get(tenantId);
  }

  known(): Iterable<string> {
    return this.#last.keys();
  }

  isActive(tenant: Tenant | null): tenant is Tenant {
    return tenant !== null && statusOf(tenant) === 'active';
  }
}
