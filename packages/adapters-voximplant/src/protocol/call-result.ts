import { z } from 'zod';
import { PROTOCOL_VERSION } from './headers.js';
import { AMD_RESULT_CLASSES } from './outcome.js';

const instant = z.number().int().nonnegative();

/**
 * The JSON body the scenario POSTs when a call ends, signed over its raw bytes. `callId`,
 * `leadId` and `attempt` choose the signing key, so none of them can be changed without the MAC
 * failing; `key` is bound to `callId` by the verifier.
 */
export const CallResult = z.object({
  v: z.literal(PROTOCOL_VERSION),
  callId: z.string().min(16).max(64),
  leadId: z.string().min(1),
  key: z.string().min(1),
  attempt: z.number().int().min(1),
  /**
   * `refused`: the platform would not place the call (no funds, forbidden); `unheard`: the callee
   * picked up but the message failed to play. `failureReason` says why in both.
   */
  outcome: z.enum(['answered', 'machine', 'nodial', 'invalid', 'refused', 'unheard']),
  amd: z
    .object({
      resultClass: z.enum(AMD_RESULT_CLASSES),
      subtype: z.string().nullable(),
      confidence: z.number().nullable(),
    })
    .nullable(),
  durationSec: z.number().nonnegative(),
  /** The SIP-style code of a call that failed before answer, else null. */
  failureCode: z.number().int().nullable(),
  /**
   * The platform's own words for that failure (`e.reason`, a playback's `e.error`), or our marker
   * ('hard-timeout', 'unknown voice …', 'scenario error: …').
   */
  failureReason: z.string().nullable(),
  sessionId: z.string().nullable(),
  /** Milliseconds since the epoch on VoxEngine's clock, for latency figures. */
  t: z.object({
    started: instant,
    ringing: instant.nullable(),
    connected: instant.nullable(),
    amd: instant.nullable(),
    ended: instant,
  }),
});
export type CallResult = z.output<typeof CallResult>;
