import {
  DuplicateLeadError,
  LeadDecisionError,
  RateLimitedLeadError,
  type SubmitResult,
} from '../engine/index.js';
import { InvalidLeadError, invalidLeadBody } from '../lead/index.js';
import { jsonResponse } from './json-response.js';
import { tenantErrorResponse, unavailableResponse } from './tenant-error-response.js';

/**
 * The HTTP answer to submitting a lead, for both intake handlers: 202 with the lead, or the 4xx/503
 * its error calls for (DESIGN.md's public HTTP contract). Anything unexpected is reported to
 * `onError` and answered 503, as nothing was accepted and the sender may retry.
 */
export async function answerSubmit(
  submit: () => Promise<SubmitResult>,
  onError: ((error: unknown) => void) | undefined,
): Promise<Response> {
  try {
    const { leadId, state } = await submit();
    return jsonResponse(202, { leadId, state });
  } catch (error) {
    if (error instanceof InvalidLeadError) return invalidLeadResponse(error);
    if (error instanceof DuplicateLeadError)
      return jsonResponse(409, { error: 'duplicate', leadId: error.leadId });
    const forTenant = tenantErrorResponse(error);
    if (forTenant !== null) return forTenant;
    // Which limit stays ours: a prober learns only when to try again.
    if (error instanceof RateLimitedLeadError)
      return jsonResponse(
        429,
        { error: 'too_many_requests' },
        { 'retry-after': String(error.retryAfterSec) },
      );
    // The machine threw on this lead (the engine logged why): sending it again meets the same
    // error, so no Retry-After; other leads are decided as before.
    if (error instanceof LeadDecisionError) return jsonResponse(500, { error: 'lead_failed' });
    // Stopping, or the store failed: nothing was accepted, and the shop's form may retry.
    onError?.(error);
    return unavailableResponse();
  }
}

export function invalidLeadResponse(error: InvalidLeadError): Response {
  return jsonResponse(400, invalidLeadBody(error));
}
