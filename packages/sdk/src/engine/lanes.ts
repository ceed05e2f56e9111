import { CRM_EFFECTS, EFFECT_TYPES, type EffectType } from '../machine/index.js';

/** The services effects wait on; each lane has its own slots, so a slow CRM never holds a call. */
export type LaneName = 'crm' | 'messages' | 'dial';

const LANE_OF_KIND: ReadonlyMap<string, LaneName> = new Map(
  [...EFFECT_TYPES].map((kind) => [
    kind,
    kind === 'dial' ? 'dial' : CRM_EFFECTS.has(kind as EffectType) ? 'crm' : 'messages',
  ]),
);

export function laneOf(kind: string): LaneName {
  return LANE_OF_KIND.get(kind) ?? 'messages';
}

export function kindsOf(lane: LaneName): string[] {
  return [...LANE_OF_KIND].filter(([, name]) => name === lane).map(([kind]) => kind);
}

/** Backlog key for a whole lane: something may wait there that no tenant's new effect may overtake. */
const WHOLE_LANE = '*';

/**
 * One lane's slots and its one "has work" signal. At most `overall` effects of the lane in flight,
 * and at most `perTenant(tenant)` of one tenant's: one slow portal (a hanging CRM, a chat paced at
 * one message per 3 s) holds its own slots, never all of them.
 *
 * The signal is a flag plus a version: a claim that comes back short clears the flag only if nothing
 * marked the lane while it ran. The backlog says where an effect waits that a new one must not
 * overtake (first submitted, first served): the whole lane, or one tenant at its cap.
 */
export class Lane {
  readonly kinds: readonly string[];
  readonly #byTenant = new Map<string, number>();
  #total = 0;
  #hasWork = true;
  #version = 0;
  readonly #backlog = new Set<string>([WHOLE_LANE]);

  constructor(
    readonly name: LaneName,
    readonly overall: number,
    private readonly perTenant: (tenantId: string) => number,
  ) {
    this.kinds = kindsOf(name);
  }

  get inFlight(): number {
    return this.#total;
  }

  get free(): number {
    return this.overall - this.#total;
  }

  get hasWork(): boolean {
    return this.#hasWork;
  }

  get version(): number {
    return this.#version;
  }

  inFlightOf(tenantId: string): number {
    return this.#byTenant.get(tenantId) ?? 0;
  }

  canTake(tenantId: string): boolean {
    return this.#total < this.overall && this.inFlightOf(tenantId) < this.perTenant(tenantId);
  }

  /** Takes a slot if there is one; false when the lane or the tenant is at its cap. */
  tryTake(tenantId: string): boolean {
    if (!this.canTake(tenantId)) return false;
    this.#byTenant.set(tenantId, this.inFlightOf(tenantId) + 1);
    this.#total++;
    return true;
  }

  /**
   * Gives a slot back. When the lane or the tenant was at its cap, effects may have been left
   * unclaimed for it: the lane is marked so the dispatcher looks again.
   */
  give(tenantId: string): void {
    const count = this.inFlightOf(tenantId);
    const wasFull = this.#total >= this.overall || count >= this.perTenant(tenantId);
    if (count <= 1) this.#byTenant.delete(tenantId);
    else this.#byTenant.set(tenantId, count - 1);
    this.#total = Math.max(0, this.#total - 1);
    if (wasFull) this.mark();
  }

  /** Tenants that may not start another effect of this lane now. */
  saturatedTenants(): string[] {
    return [...this.#byTenant].filter(([tenant, count]) => count >= this.perTenant(tenant)).map(([t]) => t);
  }

  /**
   * The most effects one tenant may still start (the overall cap aside), at least 1: of the tenants
   * in `known`, or a tenant with nothing in flight whose cap is not known yet (after a restart, the
   * pending effects' tenants have not been looked up), which gets the lane's default cap.
   */
  mostFreeForOneTenant(known: Iterable<string>): number {
    let most = Math.max(1, this.perTenant(''));
    for (const tenant of known) most = Math.max(most, this.perTenant(tenant) - this.inFlightOf(tenant));
    return most;
  }

  /** Something may be claimable: an effect was queued unclaimed, a slot freed, the timer fired. */
  mark(): void {
    this.#hasWork = true;
    this.#version++;
  }

  /** An effect was left waiting for want of a slot: of this tenant, or (no tenant) of the lane. */
  markBacklog(tenantId?: string): void {
    this.#backlog.add(tenantId ?? WHOLE_LANE);
    this.mark();
  }

  /** Whether a new effect of `tenantId` must queue behind one already waiting. */
  isBackedUp(tenantId: string): boolean {
    return this.#backlog.has(WHOLE_LANE) || this.#backlog.has(tenantId);
  }

  /** The scheduler's tick: effects may wait that this instance did not queue (another's, a restart). */
  markAll(): void {
    this.#backlog.add(WHOLE_LANE);
    this.mark();
  }

  /**
   * A claim of up to `limit` (leaving out `saturated`) returned `claimed` rows. If nothing marked
   * the lane meanwhile, a short claim means no tenant it looked at has more waiting: no work until
   * something is queued or a slot frees (which marks the lane), and only the tenants it left out
   * keep a backlog.
   */
  settleClaim(versionBefore: number, limit: number, claimed: number, saturated: readonly string[]): void {
    if (this.#version !== versionBefore) return;
    if (claimed < limit) {
      this.#hasWork = false;
      this.#backlog.clear();
      for (const tenant of saturated) this.#backlog.add(tenant);
    }
  }
}
