/**
 * Remembers signatures of results already delivered until their timestamps leave the accepted
 * window; past that the timestamp check refuses them anyway. Per process: a duplicate that reaches
 * another instance is delivered twice, which the engine's `deliver` ignores (same attempt, already
 * decided), so this guard saves work and keeps the audit clean rather than guarding correctness.
 */
export interface ReplayGuard {
  has(signature: string): boolean;
  remember(signature: string, forgetAtMs: number): void;
}

export class MemoryReplayGuard implements ReplayGuard {
  readonly #seen = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  has(signature: string): boolean {
    const until = this.#seen.get(signature);
    return until !== undefined && until > this.#now();
  }

  remember(signature: string, forgetAtMs: number): void {
    const now = this.#now();
    for (const [seen, until] of this.#seen) if (until <= now) this.#seen.delete(seen);
    this.#seen.set(signature, forgetAtMs);
  }
}
