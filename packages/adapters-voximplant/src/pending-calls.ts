/**
 * What the server remembers of a call it started, until the scenario has fetched its plan and the
 * result is in: the plan is built from it, and `findCall` uses the session id when it has one.
 * A port, so a shop running several instances can keep it in its own database; the memory store
 * suits one process (a restart loses plans of calls in flight: those scenarios get a 404, hang up
 * without dialling, and the engine reconciles them through call history).
 */
export interface PendingCall {
  readonly callId: string;
  readonly key: string;
  readonly leadId: string;
  readonly attempt: number;
  /** Digits only, E.164 without `+`. */
  readonly phone: string;
  readonly callerId: string;
  readonly customerName: string;
  readonly scenarioId: string;
  readonly createdAt: number;
  readonly sessionId?: string;
}

export interface PendingCallStore {
  save(call: PendingCall): Promise<void>;
  get(callId: string): Promise<PendingCall | null>;
  setSession(callId: string, sessionId: string): Promise<void>;
}

/** Two days: longer than any retry chain's last callback or reconciliation. */
const DEFAULT_TTL_MS = 48 * 3600_000;

export class MemoryPendingCallStore implements PendingCallStore {
  readonly #calls = new Map<string, PendingCall>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  async save(call: PendingCall): Promise<void> {
    this.#prune();
    this.#calls.set(call.callId, call);
  }

  async get(callId: string): Promise<PendingCall | null> {
    const call = this.#calls.get(callId);
    return call !== undefined && !this.#expired(call) ? call : null;
  }

  async setSession(callId: string, sessionId: string): Promise<void> {
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
