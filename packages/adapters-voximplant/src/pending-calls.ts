import { PENDING_CALL_TTL_MS, type PendingCall, type PendingCallStore } from '@prozvon/sdk';

// The port lives in the SDK (every LeadStore implements it, durably, beside the leads): give the
// shop's LeadStore to `createVoximplantVoice` and `createCallPlanProvider`. Re-exported here so
// the adapter's own names stay.
export type { PendingCall, PendingCallStore };

/**
 * Pending calls in process memory, for tests. A restart loses the plans of calls in flight:
 * those scenarios get a 404, hang up without dialling, and their leads end with the sellers
 * (call history shows no call). Production passes the shop's LeadStore instead.
 */
export class MemoryPendingCallStore implements PendingCallStore {
  readonly #calls = new Map<string, PendingCall>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? PENDING_CALL_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  async savePendingCall(call: PendingCall): Promise<void> {
    this.#prune();
    this.#calls.set(call.callId, call);
  }

  async getPendingCall(callId: string): Promise<PendingCall | null> {
    const call = this.#calls.get(callId);
    return call !== undefined && !this.#expired(call) ? call : null;
  }

  async setPendingCallSession(callId: string, sessionId: string): Promise<void> {
    const call = this.#calls.get(callId);
    if (call !== undefined) this.#calls.set(callId, { ...call, sessionId });
  }

  #expired(call: PendingCall): boolean {
    return this.#now() - call.createdAt > this.#ttlMs;
  }

  /** Maps keep insertion order, so the oldest entries come first: stop at the first live one. */
  #prune(): void {
    for (const [callId, call] of this.#calls) {
      if (!this.#expired(call)) return;
      this.#calls.delete(callId);
    }
  }
}
