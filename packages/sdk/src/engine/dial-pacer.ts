/**
 * Paces calls being started: at most `perTenant(tenant)` of one shop's and `overall` of all
 * dial requests in flight at once. Voximplant accepts at most 200 concurrent StartScenarios
 * requests; the per-shop limit keeps one shop's morning herd from starving the others.
 */
export class DialPacer {
  readonly #inFlight = new Map<string, number>();
  #total = 0;

  constructor(
    readonly overall: number,
    private readonly perTenant: (tenantId: string) => number,
    private readonly knownTenants: () => readonly string[] = () => [...this.#inFlight.keys()],
  ) {}

  get total(): number {
    return this.#total;
  }

  canStart(tenantId: string): boolean {
    return this.#total < this.overall && (this.#inFlight.get(tenantId) ?? 0) < this.perTenant(tenantId);
  }

  /** Tenants that may not start another call now (all of them when the overall limit is reached). */
  saturatedTenants(): string[] {
    return [...this.#inFlight]
      .filter(([tenant, count]) => count >= this.perTenant(tenant))
      .map(([tenant]) => tenant);
  }

  /** The most calls one shop may still start (the overall limit aside), at least 1. */
  mostFreeForOneTenant(): number {
    let most = this.knownTenants().reduce(
      (free, tenant) => Math.max(free, this.perTenant(tenant) - (this.#inFlight.get(tenant) ?? 0)),
      0,
    );
    if (most < 1) most = 1;
    return most;
  }

  start(tenantId: string): void {
    this.#inFlight.set(tenantId, (this.#inFlight.get(tenantId) ?? 0) + 1);
    this.#total++;
  }

  finish(tenantId: string): void {
    const count = (this.#inFlight.get(tenantId) ?? 1) - 1;
    if (count <= 0) this.#inFlight.delete(tenantId);
    else this.#inFlight.set(tenantId, count);
    this.#total--;
  }
}
