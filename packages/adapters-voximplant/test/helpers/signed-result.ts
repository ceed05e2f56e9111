import { deriveCallRef, deriveSigningKey } from '../../src/call-keys.js';
import type { CallResult } from '../../src/protocol/call-result.js';
import { signResult } from '../../src/protocol/signature.js';
import { TEST_SECRET } from './shop-server.js';

/** A result exactly as the scenario would sign it, for verifier tests. */
export function signedResult(options: { at?: number; secret?: string; body?: Partial<CallResult> } = {}) {
  const secret = options.secret ?? TEST_SECRET;
  const at = options.at ?? Date.now();
  const key = options.body?.key ?? 'lead:L7:dial:1';
  const callId = deriveCallRef(TEST_SECRET, key);
  const body: CallResult = {
    v: 1,
    callId,
    leadId: 'L7',
    key,
    attempt: 1,
    outcome: 'answered',
    amd: { resultClass: 'HUMAN', subtype: 'NONE', confidence: 87 },
    durationSec: 12,
    failureCode: null,
    failureReason: null,
    sessionId: '123',
    t: { started: at - 20_000, ringing: at - 18_000, connected: at - 15_000, amd: at - 13_000, ended: at },
    ...options.body,
  };
  const raw = JSON.stringify(body);
  const timestamp = String(Math.floor(at / 1000));
  const signingKey = deriveSigningKey(secret, body.callId, body.leadId, body.attempt);
  const headers = new Headers({
    'content-type': 'application/json',
    'X-Prozvon-Call': body.callId,
    'X-Prozvon-Timestamp': timestamp,
    'X-Prozvon-Signature': signResult(signingKey, timestamp, raw),
  });
  return { raw, headers, body };
}
