import type { Clock, TimerHandle } from '../ports/clock.js';
import { SystemClock } from '../ports/clock.js';

/**
 * Real time, sped up: `speed` simulated milliseconds pass per real one, counted from a fixed pair
 * of instants, so a restarted process that is given the same pair carries on where the last one
 * stopped. For the demo (a night in seconds) and the crash harness; never for production.
 */
export class AcceleratedClock implements Clock {
  readonly #system = new SystemClock();

  constructor(
    readonly speed: number,
    /** The simulated instant that `realStart` corresponds to. */
    readonly simulatedStart: number,
    readonly realStart: number = Date.now(),
  ) {
    if (!(speed > 0)) throw new RangeError('speed must be positive');
  }

  now(): number {
    return Math.floor(this.simulatedStart + (Date.now() - this.realStart) * this.speed);
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    return this.#system.setTimer(fn, Math.ceil(Math.max(0, ms) / this.speed));
  }

  clearTimer(handle: TimerHandle): void {
    this.#system.clearTimer(handle);
  }
}
