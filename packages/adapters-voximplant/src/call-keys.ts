import { createHmac } from 'node:crypto';

/**
 * Everything per-call is derived from one server secret with HMAC, so nothing long-lived leaves
 * the server and nothing needs storing to check a result later. The labels keep the two uses apart.
 */

/**
 * The call reference sent in custom data: 22 base64url characters (132 bits) of
 * HMAC(secret, key). Unguessable, so it can stand as the bearer credential for the call plan, and
 * derivable again from the engine's key alone, so `findCall(key)` can search call history for it.
 */
export function deriveCallRef(secret: string, key: string): string {
  return createHmac('sha256', secret).update(`prozvon/call-ref\0${key}`).digest('base64url').slice(0, 22);
}

/**
 * The key the scenario signs its result with: bound to the call reference, the lead and the
 * attempt, so a key read from one session's log cannot sign a result for any other call.
 */
export function deriveSigningKey(secret: string, callRef: string, leadId: string, attempt: number): string {
  return createHmac('sha256', secret)
    .update(`prozvon/call-signing\0${callRef}\0${leadId}\0${attempt}`)
    .digest('hex');
}
