import { TransientError } from '@prozvon/sdk';

/**
 * The error for a call abandoned at its deadline. Transient, because it is ambiguous: the request
 * may have reached the portal and been performed; the engine finds out through its look-ups
 * (ORIGIN_ID for a lead), never by re-sending blindly.
 */
export function deadlinePassed(what: string, signal: AbortSignal): TransientError {
  return new TransientError(`Bitrix24 ${what}: the deadline passed before an answer came`, {
    cause: signal.reason,
  });
}
