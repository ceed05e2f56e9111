import type { CallReport } from '@prozvon/sdk';
import type { HistorySession } from './management/call-history.js';
import { outcomeForFailureCode } from './protocol/outcome.js';
import { refusalDetail, soundsLikeAccountRefusal } from './refusal.js';

/**
 * What call history says of a call whose result never came (VOXIMPLANT.md, reconciliation):
 * - a call that did not connect → by its SIP code as the scenario maps it (`end_reason` is assumed
 *   to start with one, "486 Busy Here"; its format is unverified): `invalid`, `refused` or `nodial`;
 * - a failure whose code says nothing more, or a session with no call, is `refused` when the
 *   platform's words say the account could not pay or may not call (the session's documented
 *   `finish_reason` "Insufficient funds", or such words in `end_reason`), else `nodial` (retried);
 * - a connected call → `answered` with `amd: 'unknown'`: history cannot tell a person from a
 *   machine, and both get the same confirmation SMS, so the label is the only thing at stake.
 */
export function reportFromHistory(key: string, session: HistorySession): CallReport {
  const call = session.calls.find((c) => c.successful) ?? session.calls.at(-1);
  if (call === undefined) return failed(key, session, undefined, undefined);
  if (call.successful) {
    return {
      key,
      outcome: 'answered',
      durationSec: call.duration ?? 0,
      amd: 'unknown',
      ...(call.record_url ? { recordingUrl: call.record_url } : {}),
    };
  }
  const { code, text } = endReason(call.end_reason);
  return failed(key, session, code, text);
}

function failed(
  key: string,
  session: HistorySession,
  code: number | undefined,
  text: string | undefined,
): CallReport {
  const byCode = code === undefined ? 'nodial' : outcomeForFailureCode(code);
  const words = [text, session.finish_reason].find(soundsLikeAccountRefusal);
  const outcome = byCode === 'nodial' && words !== undefined ? 'refused' : byCode;
  // The sellers get the platform's words for the refusal: the call's own, else the session's.
  const detail = outcome === 'refused' ? refusalDetail(words ?? text) : undefined;
  return {
    key,
    outcome,
    durationSec: 0,
    ...(code === undefined ? {} : { failureCode: code }),
    ...(detail === undefined ? {} : { detail }),
  };
}

/** "402 Insufficient funds" → 402 and "Insufficient funds"; text without a code is kept whole. */
function endReason(reason: string | null | undefined): { code?: number; text?: string } {
  const match = /^\s*(\d{3})\b\s*(.*)$/s.exec(reason ?? '');
  if (match === null) return reason ? { text: reason } : {};
  const text = match[2]?.trim();
  return { code: Number(match[1]), ...(text ? { text } : {}) };
}
