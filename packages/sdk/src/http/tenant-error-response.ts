import { TenantUnavailableError, UnknownTenantError } from '../engine/index.js';
import { jsonResponse } from './json-response.js';

/** How long a suspended shop's form is asked to wait: a revoked token is fixed by a person. */
const SUSPENDED_RETRY_AFTER_SEC = 60;

/** The answer for a shop this engine does not serve: a wrong URL, or an app uninstalled for good. */
export function unknownTenantResponse(): Response {
  return jsonResponse(404, { error: 'unknown_tenant' });
}

/** Nothing was accepted (a store or registry failure, the engine stopping): the sender may retry. */
export function unavailableResponse(): Response {
  return jsonResponse(503, { error: 'unavailable' }, { 'retry-after': '5' });
}

/**
 * The HTTP answer for an engine error about the tenant, or null for any other error: an unknown
 * or removed tenant is a 404 (retrying will not help), a suspended one a 503 with `Retry-After`
 * (it takes leads again once its token or account is fixed). One place, so the intake route and
 * the host's voice callback answer alike.
 */
export function tenantErrorResponse(error: unknown): Response | null {
  if (error instanceof UnknownTenantError) return unknownTenantResponse();
  if (error instanceof TenantUnavailableError) {
    if (error.status === 'removed') return unknownTenantResponse();
    return jsonResponse(
      503,
      { error: 'tenant_unavailable' },
      { 'retry-after': String(SUSPENDED_RETRY_AFTER_SEC) },
    );
  }
  return null;
}
