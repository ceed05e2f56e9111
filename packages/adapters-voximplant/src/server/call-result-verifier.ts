import type { LeadEvent } from '@prozvon/sdk';
import { deriveCallRef, deriveSigningKey } from '../call-keys.js';
import { CallResult } from '../protocol/call-result.js';
import { CALL_HEADER, SIGNATURE_HEADER, SIGNATURE_VERSION, TIMESTAMP_HEADER } from '../protocol/headers.js';
import { macInHeader, signatureMatches } from '../protocol/signature.js';
import { refusalDetail } from '../refusal.js';
import { MemoryReplayGuard, type ReplayGuard } from './replay-guard.js';

export type CallResultEvent = Extract<LeadEvent, { type: 'CALL_RESULT' }>;

export type VerifiedResult = {
  readonly ok: true;
  readonly leadId: string;
  /** What the engine's `deliver(leadId, event)` takes. */
  readonly event: CallResultEvent;
  readonly result: CallResult;
  readonly signature: string;
  readonly timestampMs: number;
};

export type RefusedResult = {
  readonly ok: false;
  readonly reason: 'malformed' | 'bad_signature' | 'stale' | 'replay';
  readonly message: string;
};

export interface CallResultVerifierOptions {
  readonly secret: string;
  /** How far a result's timestamp may be from our clock. Default 300 s. */
  readonly toleranceSec?: number;
  readonly replayGuard?: ReplayGuard;
  readonly now?: () => number;
}

export interface CallResultVerifier {
  /** Checks one result POST: signature first, then freshness, then shape, then replay. */
  verify(rawBody: string, headers: Headers): VerifiedResult | RefusedResult;
  /** Call once the result is delivered, so a repeat of it is answered as a duplicate. */
  markDelivered(result: VerifiedResult): void;
}

/**
 * The verifier of the scenario's signed result. The signing key is derived again from the
 * server secret and the call's own ids, so nothing needs to be looked up; the MAC is compared in
 * constant time; a result whose timestamp is more than five minutes off is refused, and one
 * already delivered is reported as a replay.
 */
export function createCallResultVerifier(options: CallResultVerifierOptions): CallResultVerifier {
  const now = options.now ?? Date.now;
  const toleranceMs = (options.toleranceSec ?? 300) * 1000;
  const guard = options.replayGuard ?? new MemoryReplayGuard(now);
  const refuse = (reason: RefusedResult['reason'], message: string): RefusedResult => ({
    ok: false,
    reason,
    message,
  });

  return {
    verify(rawBody, headers) {
      const callHeader = headers.get(CALL_HEADER);
      const timestamp = headers.get(TIMESTAMP_HEADER);
      const signature = headers.get(SIGNATURE_HEADER);
      if (callHeader === null || timestamp === null || signature === null)
        return refuse(
          'malformed',
          `${CALL_HEADER}, ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} are required`,
        );
      if (!/^\d{1,12}$/.test(timestamp))
        return refuse('malformed', `${TIMESTAMP_HEADER} is not unix seconds`);
      // Parsed once: the ids choose the key before anything is trusted, the schema reads it after.
      const body = parseJson(rawBody);
      const ids = idsOf(body);
      if (ids === null || ids.callId !== callHeader)
        return refuse('malformed', `body needs callId (equal to ${CALL_HEADER}), leadId, attempt and key`);
      const signingKey = deriveSigningKey(options.secret, ids.callId, ids.leadId, ids.attempt);
      if (!signatureMatches(signingKey, timestamp, rawBody, signature))
        return refuse('bad_signature', 'signature does not match');
      // The key the engine gave this attempt must be the one the call reference was made from.
      if (deriveCallRef(options.secret, ids.key) !== ids.callId)
        return refuse('bad_signature', 'key does not belong to this call');
      const timestampMs = Number(timestamp) * 1000;
      if (Math.abs(now() - timestampMs) > toleranceMs)
        return refuse('stale', `timestamp more than ${toleranceMs / 1000} s from our clock`);
      const parsed = CallResult.safeParse(body);
      if (!parsed.success) return refuse('malformed', parsed.error.message);
      // One MAC, however it was written (hex in either case, base64): a replay in another encoding
      // is still a replay.
      const normalised = `${SIGNATURE_VERSION}=${macInHeader(signature)?.toString('hex') ?? ''}`;
      if (guard.has(normalised)) return refuse('replay', 'this result was already delivered');
      const result = parsed.data;
      return {
        ok: true,
        leadId: result.leadId,
        event: { type: 'CALL_RESULT', at: now(), attempt: result.attempt, report: reportOf(result) },
        result,
        signature: normalised,
        timestampMs,
      };
    },
    markDelivered(verified) {
      guard.remember(verified.signature, verified.timestampMs + toleranceMs);
    },
  };
}

function reportOf(result: CallResult): CallResultEvent['report'] {
  // Only a refusal and an unheard message carry the reason on: it is what the sellers must act on
  // ("Insufficient funds", the playback's error); for a busy line or our own 'hard-timeout' the
  // outcome and the code say enough.
  const detail =
    result.outcome === 'refused' || result.outcome === 'unheard'
      ? refusalDetail(result.failureReason)
      : undefined;
  return {
    key: result.key,
    outcome: result.outcome,
    durationSec: result.durationSec,
    ...(result.failureCode === null ? {} : { failureCode: result.failureCode }),
    ...(detail === undefined ? {} : { detail }),
    ...(result.amd === null ? {} : { amd: amdLabel(result.amd) }),
  };
}

/** `human`, `voicemail`, `voicemail/mimic`, `timeout`, `call_ended`: short, for the card and the audit. */
function amdLabel(amd: NonNullable<CallResult['amd']>): string {
  const base = amd.resultClass.toLowerCase();
  return amd.subtype && amd.subtype !== 'NONE' ? `${base}/${amd.subtype.toLowerCase()}` : base;
}

/** The ids that choose the signing key, read before the MAC is checked (nothing is trusted yet). */
function idsOf(body: unknown): { callId: string; leadId: string; attempt: number; key: string } | null {
  if (typeof body !== 'object' || body === null) return null;
  const { callId, leadId, attempt, key } = body as Record<string, unknown>;
  if (typeof callId !== 'string' || typeof leadId !== 'string' || typeof key !== 'string') return null;
  if (typeof attempt !== 'number' || !Number.isInteger(attempt)) return null;
  return { callId, leadId, attempt, key };
}

/** The body as JSON, or undefined when it is not JSON (refused as malformed by `idsOf`). */
function parseJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    return undefined;
  }
}
