import type { DeliverCallResult } from '@prozvon/sdk';
import { SIGNATURE_HEADER } from '../protocol/headers.js';
import { createCallPlanHandler } from './call-plan-handler.js';
import type { CallPlanProvider } from './call-plan-provider.js';
import { createCallResultHandler } from './call-result-handler.js';
import type { CallResultVerifier } from './call-result-verifier.js';

export interface VoximplantCallbacks {
  readonly planFor: CallPlanProvider;
  readonly verifier: CallResultVerifier;
  /** Either request's body above this is refused with 413, unread. Default 16 KiB. */
  readonly maxBodyBytes?: number;
}

/**
 * Both of the scenario's requests on one route (the SDK's `handleVoiceCallback`): a signed POST is
 * a result, anything else asks for a call plan. `createVoximplantVoice` builds its `handleCallback`
 * with this, its `callbackUrl` being both the plan URL in custom data and the plan's `callbackUrl`.
 */
export function createCallbackRouter(
  callbacks: VoximplantCallbacks,
): (request: Request, deliver: DeliverCallResult) => Promise<Response> {
  const limit = callbacks.maxBodyBytes === undefined ? {} : { maxBodyBytes: callbacks.maxBodyBytes };
  const plan = createCallPlanHandler(callbacks.planFor, limit);
  return (request, deliver) => {
    if (request.headers.has(SIGNATURE_HEADER)) {
      return createCallResultHandler({ verifier: callbacks.verifier, deliver, ...limit })(request);
    }
    return plan(request);
  };
}
