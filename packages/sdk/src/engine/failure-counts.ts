/** One count of failed effects: what a dashboard or `/metrics` shows per tenant and kind. */
export interface FailureCount {
  readonly tenantId: string;
  readonly kind: string;
  /** `failed` (given up or refused for good), or the error code of a failure that will be retried. */
  readonly reason: string;
  readonly count: number;
}

/**
 * Failures of effects on this instance since it started, per tenant, effect kind and reason. A bot
 * removed from the sellers' chat or a revoked SMS key fails every message: counted here and logged
 * at warn, it is seen, not silently dropped.
 */
export class FailureCounts {
  readonly #counts = new Map<string, FailureCount>();

  count(tenantId: string, kind: string, reason: string): void {
    const key = JSON.stringify([tenantId, kind, reason]);
    const current = this.#counts.get(key);
    this.#counts.set(key, { tenantId, kind, reason, count: (current?.count ?? 0) + 1 });
  }

  list(): FailureCount[] {
    return [...this.#counts.values()].sort(
      (a, b) =>
        a.tenantId.localeCompare(b.tenantId) ||
        a.kind.localeCompare(b.kind) ||
        a.reason.localeCompare(b.reason),
    );
  }
}
