import type { CallReport } from '@prozvon/sdk';
import type { HistorySession } from './management/call-history.js';
import { outcomeForFailureCode } from './protocol/outcome.js';

/**
 * What call history says of a call whose result never came (VOXIMPLANT.md, reconciliation):
 * - a session with no call, or a call that did not connect → `nodial` (retried), with the SIP code
 *   when `end_reason` starts with one (its format is unverified: "486 Busy Here" is assumed);
 * - a failed call whose code means a wrong number → `invalid`;
 * - a connected call → `answered` with `amd: 'unknown'`: history cannot tell a person from a
 *   machine, and both get the same confirmation SMS, so the label is the only thing at stake.
 */
export function reportFromHistory(key: string, session: HistorySession): CallReport {
  const call = session.calls.find((c) => c.successful) ?? session.calls.at(-1);
  if (call === undefined) return { key, outcome: 'nodial', durationSec: 0 };
  if (call.successful) {
    return {
      key,
      outcome: 'answered',
      durationSec: call.duration ?? 0,
      amd: 'unknown',
      ...(call.record_url ? { recordingUrl: call.record_url } : {}),
    };
  }
  const code = leadingCode(call.end_reason);
  return {
    key,
    outcome: code === undefined ? 'nodial' : outcomeForFailureCode(code),
    durationSec: 0,
    ...(code === undefined ? {} : { failureCode: code }),
  };
}

function leadingCode(reason: string | null | undefined): number | undefined {
  const match = /^\s*(\d{3})\b/.exec(reason ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
