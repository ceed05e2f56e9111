/** What became of one effect this instance performed. */
export interface EffectSignal {
  readonly tenantId: string;
  /** The effect's kind: `dial`, `sms`, `crm.create`… */
  readonly kind: string;
  /**
   * `done` and `failed` are final; `retry` will be tried again after a failure; `rate_limited`
   * waits for a provider's limit (nothing was performed).
   */
  readonly status: 'done' | 'failed' | 'retry' | 'rate_limited';
  /** Why it failed or is retried: the port error's code (`transient`, `auth`…), absent when done. */
  readonly reason?: string;
  /** From the port call's start to its answer. */
  readonly durationMs: number;
}

/** A lead woken by the timer: how long after its `wakeAt`. */
export interface WakeSignal {
  readonly tenantId: string;
  readonly latenessMs: number;
}

/** Listens to the engine's work as it happens, for metrics (`@prozvon/sdk/metrics`). */
export interface EngineObserver {
  effect?(signal: EffectSignal): void;
  wake?(signal: WakeSignal): void;
}

/**
 * The engine's observers. An observer that throws is ignored: counting must never stop a lead.
 * Kept outside the store transaction and after it, so a signal is only sent for work done.
 */
export class EngineSignals {
  readonly #observers = new Set<EngineObserver>();

  add(observer: EngineObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  effect(signal: EffectSignal): void {
    for (const observer of this.#observers) {
      try {
        observer.effect?.(signal);
      } catch {
        // see the class comment
      }
    }
  }

  wake(signal: WakeSignal): void {
    for (const observer of this.#observers) {
      try {
        observer.wake?.(signal);
      } catch {
        // see the class comment
      }
    }
  }
}
