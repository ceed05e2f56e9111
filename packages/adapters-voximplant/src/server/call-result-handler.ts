import type { CallResultEvent, CallResultVerifier } from './call-result-verifier.js';
import { jsonResponse } from './web.js';

export interface CallResultHandlerOptions {
  readonly verifier: CallResultVerifier;
  /** Usually `(leadId, event) => engine.deliver(leadId, event)`. */
  readonly deliver: (leadId: string, event: CallResultEvent) => Promise<unknown>;
}

/**
 * `POST <callbackUrl>`: the scenario's signed result. The status codes are what the scenario's
 * retry loop reads: 2xx stops it (a duplicate is acknowledged, not delivered again), 4xx stops it
 * (retrying a bad signature is pointless), 5xx makes it try again (delivery failed on our side, and
 * nothing was remembered, so the retry is delivered).
 */
export function createCallResultHandler(
  options: CallResultHandlerOptions,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'POST') return jsonResponse(405, { error: 'method_not_allowed' });
    const verified = options.verifier.verify(await request.text(), request.headers);
    if (!verified.ok) {
      if (verified.reason === 'replay') return jsonResponse(200, { status: 'duplicate' });
      const status = verified.reason === 'malformed' ? 400 : 401;
      return jsonResponse(status, { error: verified.reason, message: verified.message });
    }
    try {
      await options.deliver(verified.leadId, verified.event);
    } catch {
      return jsonResponse(500, { error: 'delivery_failed' });
    }
    options.verifier.markDelivered(verified);
    return jsonResponse(200, { status: 'accepted' });
  };
}
