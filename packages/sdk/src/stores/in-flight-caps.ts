import type { InFlightCaps } from '../ports/lead-store.js';

/** The cap InFlightCaps gives `tenantId`. */
export function capOf(caps: InFlightCaps, tenantId: string): number {
  return caps.perTenant[tenantId] ?? caps.otherwise;
}

/**
 * What a claim with InFlightCaps may still take of each tenant: its cap less what it has in
 * flight, taken one by one as the claim walks its rows in claim order. The memory and SQLite
 * stores keep the caps with it (one writer: the rule is cheap there, and the contract one).
 */
export class CapRoom {
  readonly #caps: InFlightCaps;
  readonly #kinds: ReadonlySet<string>;
  readonly #used = new Map<string, number>();

  // No parameter properties: the SQLite store's worker-thread tests run this file through Node's
  // type stripping, which does not support them.
  constructor(caps: InFlightCaps, inFlight: Iterable<{ readonly tenantId: string; readonly kind: string }>) {
    this.#caps = caps;
    this.#kinds = new Set(caps.kinds);
    for (const { tenantId, kind } of inFlight) {
      if (this.#kinds.has(kind)) this.#used.set(tenantId, (this.#used.get(tenantId) ?? 0) + 1);
    }
  }

  isCapped(kind: string): boolean {
    return this.#kinds.has(kind);
  }

  hasRoom(tenantId: string): boolean {
    return (this.#used.get(tenantId) ?? 0) < capOf(this.#caps, tenantId);
  }

  /** Takes a place of `tenantId` for an effect of `kind`; false when the tenant is at its cap. */
  take(tenantId: string, kind: string): boolean {
    if (!this.isCapped(kind)) return true;
    if (!this.hasRoom(tenantId)) return false;
    this.#used.set(tenantId, (this.#used.get(tenantId) ?? 0) + 1);
    return true;
  }
}

/** Whether a started effect counts as in flight at `now`: its lease has not run out. */
export function isInFlight(
  effect: { readonly status: string; readonly leaseUntil: number | null },
  now: number,
): boolean {
  return effect.status === 'started' && effect.leaseUntil !== null && effect.leaseUntil > now;
}
