import type { Clock, TimerHandle } from '../ports/index.js';

/**
 * The scheduler's one timer: armed for the earliest thing due, re-armed only when something
 * earlier is written. No per-lead timers and no polling of every lead: a million waiting leads
 * cost one timer.
 */
export class WakeTimer {
  #handle: TimerHandle | null = null;
  #armedAt: number | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly fire: () => void,
  ) {}

  get armedAt(): number | null {
    return this.#armedAt;
  }

  /** Fires at `at` unless already armed for that time or earlier. */
  armAt(at: number): void {
    if (this.#armedAt !== null && this.#armedAt <= at) return;
    this.clear();
    this.#armedAt = at;
    this.#handle = this.clock.setTimer(() => {
      this.#handle = null;
      this.#armedAt = null;
      this.fire();
    }, at - this.clock.now());
  }

  clear(): void {
    if (this.#handle !== null) this.clock.clearTimer(this.#handle);
    this.#handle = null;
    this.#armedAt = null;
  }
}
