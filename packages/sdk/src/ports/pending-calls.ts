/**
 * What a voice adapter remembers of a call it started, until the provider's scenario has fetched
 * its plan and the result is in: the plan is built from it, and reconciliation uses the session id
 * when it has one. Every LeadStore keeps them (in the same database as the leads), so a call in
 * flight survives a restart of the process and is seen by every instance on that database.
 */
export interface PendingCall {
  /** The short reference the provider carries (derived from `key`); the row's key. */
  readonly callId: string;
  readonly key: string;
  readonly leadId: string;
  readonly attempt: number;
  /** Digits only, E.164 without `+`. */
  readonly phone: string;
  readonly callerId: string;
  readonly customerName: string;
  readonly scenarioId: string;
  /** When the call was started, ms since the epoch: what pruning counts from. */
  readonly createdAt: number;
  readonly sessionId?: string;
}

export interface PendingCallStore {
  /**
   * Remembers a call, replacing one stored under the same `callId`. Forgets calls created more
   * than `PENDING_CALL_TTL_MS` before this one: a store needs no clock and no sweeper of its own.
   */
  savePendingCall(call: PendingCall): Promise<void>;
  getPendingCall(callId: string): Promise<PendingCall | null>;
  /** Records the provider's session id of a stored call; a call not stored is left alone. */
  setPendingCallSession(callId: string, sessionId: string): Promise<void>;
}

export const PendingCallStore = Symbol.for('prozvon.PendingCallStore');

/** Two days: longer than any retry chain's last callback or reconciliation. */
export const PENDING_CALL_TTL_MS = 48 * 3600_000;
