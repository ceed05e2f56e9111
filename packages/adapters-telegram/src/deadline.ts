import { TransientError } from '@prozvon/sdk';

/**
 * The error for a notice abandoned at the engine's deadline. Transient: a request cut off may
 * have been delivered (a duplicate seller notice is acceptable, a lost one is not), and a notice
 * still waiting for its chat's turn simply goes later.
 */
export function deadlinePassed(what: string, signal: AbortSignal): TransientError {
  return new TransientError(`Telegram: the deadline passed ${what}`, { cause: signal.reason });
}
