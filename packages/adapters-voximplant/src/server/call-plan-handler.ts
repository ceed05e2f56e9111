import { CallPlanRequest } from '../protocol/call-plan.js';
import type { CallPlanProvider } from './call-plan-provider.js';
import { CALLBACK_MAX_BODY_BYTES, jsonResponse, parseJson, readText } from './web.js';

/**
 * `POST <plan URL>` (the adapter's `callbackUrl`) with `{v, callId, sessionId}`: the scenario's first request. The call
 * reference is the credential (132 unguessable bits, valid for one call); the answer carries the
 * phone and the call's signing key, so it is only ever served over HTTPS in production.
 */
export function createCallPlanHandler(
  planFor: CallPlanProvider,
  options: { readonly maxBodyBytes?: number } = {},
): (request: Request) => Promise<Response> {
  const maxBytes = options.maxBodyBytes ?? CALLBACK_MAX_BODY_BYTES;
  return async (request) => {
    if (request.method !== 'POST') return jsonResponse(405, { error: 'method_not_allowed' });
    const text = await readText(request, maxBytes);
    if (typeof text !== 'string') return text;
    const parsed = CallPlanRequest.safeParse(parseJson(text));
    if (!parsed.success) return jsonResponse(400, { error: 'invalid_request', issues: parsed.error.issues });
    const plan = await planFor(parsed.data.callId);
    if (plan === null) return jsonResponse(404, { error: 'unknown_call' });
    return jsonResponse(200, plan);
  };
}
