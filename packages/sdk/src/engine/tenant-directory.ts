import { statusOf, type Tenant, type TenantRegistry } from './tenants.js';

/** Tenants whose last cap is remembered; the least recently looked up is forgotten first. */
const REMEMBERED = 4_096;

/**
 * The engine's view of the registry: each lookup asks it (an edit takes effect at the tenant's next
 * decision), and the last cap of calls in flight per tenant is kept for what must be known
 * synchronously inside a store transaction. Only that number is kept, never the tenant: a tenant
 * holds its adapters (clients, batchers, limiters), which the registry lets go when the tenant is
 * idle — kept here, a thousand portals' adapter sets would live as long as the process.
 */
export class TenantDirectory {
  // Map order is recency: a looked-up tenant moves to the end, the front is forgotten first.
  readonly #callCaps = new Map<string, number>();
  /** The caps as one object (callCaps), built again only after a tenant came, went or changed. */
  #capsObject: Readonly<Record<string, number>> | null = null;

  constructor(
    private readonly registry: TenantRegistry,
    private readonly remembered = REMEMBERED,
  ) {}

  /** The tenant as the registry has it now, or null when it does not know it. */
  async lookup(tenantId: string): Promise<Tenant | null> {
    const tenant = await this.registry.get(tenantId);
    const before = this.#callCaps.get(tenantId);
    this.#callCaps.delete(tenantId);
    if (tenant !== null) {
      this.#callCaps.set(tenantId, tenant.config.maxCallsInFlight);
      for (const oldest of this.#callCaps.keys()) {
        if (this.#callCaps.size <= this.remembered) break;
        this.#callCaps.delete(oldest);
        this.#capsObject = null;
      }
    }
    if (before !== this.#callCaps.get(tenantId)) this.#capsObject = null;
    return tenant;
  }

  /** The tenant's cap of calls in flight as last looked up, without asking. */
  callCap(tenantId: string): number | undefined {
    return this.#callCaps.get(tenantId);
  }

  known(): Iterable<string> {
    return this.#callCaps.keys();
  }

  /**
   * Every remembered tenant's cap, for a shared store's dial claim: the same object from claim to
   * claim until a tenant is remembered, forgotten or its cap changes (a claim is on the hot path;
   * the caps hardly ever change).
   */
  callCaps(): Readonly<Record<string, number>> {
    this.#capsObject ??= Object.fromEntries(this.#callCaps);
    return this.#capsObject;
  }

  /** Tenants remembered (at most the bound given). */
  get size(): number {
    return this.#callCaps.size;
  }

  isActive(tenant: Tenant | null): tenant is Tenant {
    return tenant !== null && statusOf(tenant) === 'active';
  }
}
