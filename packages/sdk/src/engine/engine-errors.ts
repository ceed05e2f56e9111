/**
 * A lead with this `ref` and another body is still in progress (HTTP 409 in the intake contract);
 * the same body again is no error but a replay of the first answer.
 */
export class DuplicateLeadError extends Error {
  readonly code = 'duplicate';
  constructor(readonly leadId: string) {
    super(`A lead with this ref is still in progress: ${leadId}`);
    this.name = 'DuplicateLeadError';
  }
}

/** The engine was asked to work for a tenant it does not know. */
export class UnknownTenantError extends Error {
  readonly code = 'unknown_tenant';
  constructor(readonly tenantId: string) {
    super(`Unknown tenant: ${tenantId}`);
    this.name = 'UnknownTenantError';
  }
}

/** The engine is stopping or stopped and takes no new work. */
export class EngineStoppedError extends Error {
  readonly code = 'stopped';
  constructor() {
    super('The engine is stopped and takes no new leads');
    this.name = 'EngineStoppedError';
  }
}

/** The tenant is suspended or removed: it takes no new leads (HTTP 503 for a suspended one). */
export class TenantUnavailableError extends Error {
  readonly code = 'tenant_unavailable';
  constructor(
    readonly tenantId: string,
    readonly status: string,
  ) {
    super(`Tenant ${tenantId} is ${status} and takes no new leads`);
    this.name = 'TenantUnavailableError';
  }
}

/** Which of a tenant's abuse limits a refused lead met (config `abuse`). */
export type RateLimit = 'phone_hour' | 'phone_day' | 'ip_hour';

/**
 * The lead was refused by the abuse guard: too many leads for this phone or from this IP (HTTP
 * 429 with `Retry-After` in the intake contract). Nothing was stored.
 */
export class RateLimitedLeadError extends Error {
  readonly code = 'too_many_requests';
  constructor(
    readonly limit: RateLimit,
    /** Seconds until the window that refused it ends: a retry before then is refused too. */
    readonly retryAfterSec: number,
  ) {
    super(`Too many leads (${limit}); retry in ${retryAfterSec} s`);
    this.name = 'RateLimitedLeadError';
  }
}
