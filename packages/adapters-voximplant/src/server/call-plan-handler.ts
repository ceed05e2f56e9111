import { CallPlanRequest } from '../protocol/call-plan.js';
import type { CallPlanProvider } from './call-plan-provider.js';
import { jsonResponse, readJsonBody } from './web.js';

/**
 * `POST <planUrl>` with `{v, callId, sessionId}`: the scenario's first request. The call
 * reference is the credential (132 unguessable bits, valid for one call); the answer carries the
 * phone and the call's signing key, so it is only ever served over HTTPS in production.
 */
export function createCallPlanHandler(planFor: CallPlanProvider): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'POST') return jsonResponse(405, { error: 'method_not_allowed' });
    const body = await readJsonBody(request);
    const parsed = CallPlanRequest.safeParse(body);
    if (!parsed.success) return jsonResponse(400, { error: 'invalid_request', issues: parsed.error.issues });
    const plan = await planFor(parsed.data.callId);
    if (plan === null) return jsonResponse(404, { error: 'unknown_call' });
    return jsonResponse(200, plan);
  };
}
