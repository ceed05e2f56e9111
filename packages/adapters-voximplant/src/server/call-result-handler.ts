import type { CallResultEvent, CallResultVerifier } from './call-result-verifier.js';
import { CALLBACK_MAX_BODY_BYTES, jsonResponse, readText } from './web.js';

export interface CallResultHandlerOptions {
  readonly verifier: CallResultVerifier;
  /** Usually `(leadId, event) => engine.deliver(leadId, event)`. */
  readonly deliver: (leadId: string, event: CallResultEvent) => Promise<unknown>;
  /** A body above this is refused with 413 before its signature is checked. Default 16 KiB. */
  readonly maxBodyBytes?: number;
}

/**
 * `POST <callbackUrl>`: the scenario's signed result. The status codes are what the scenario's
 * retry loop reads: 2xx stops it (a duplicate is acknowledged, not delivered again), 4xx stops it
 * (retrying a bad signature is pointless), 5xx makes it try again (delivery failed on our side, and
 * nothing was remembered, so the retry is delivered). A body over the limit is a 413 (a 4xx: the
 * scenario's results are far below it, so only a stranger sends one).
 */
export function createCallResultHandler(
  options: CallResultHandlerOptions,
): (request: Request) => Promise<Response> {
  const maxBytes = options.maxBodyBytes ?? CALLBACK_MAX_BODY_BYTES;
  return async (request) => {
    if (request.method !== 'POST') return jsonResponse(405, { error: 'method_not_allowed' });
    const raw = await readText(request, maxBytes);
    if (typeof raw !== 'string') return raw;
    const verified = options.verifier.verify(raw, request.headers);
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
