/** Time is a port: decisions read it from events, the engine from here; tests inject their own. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once `ms` have passed on this clock. */
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}

export const Clock = Symbol.for('prozvon.Clock');

/** The wall clock. Timers are unref'd: a waiting scheduler never keeps a process alive by itself. */
export class SystemClock implements Clock {
  readonly #timers = new Map<number, NodeJS.Timeout>();
  #next = 0;

  now(): number {
    return Date.now();
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const id = ++this.#next;
    // setTimeout overflows past 2^31-1 ms (~24.8 days) and fires at once; cap it and let the
    // scheduler re-arm, since it always re-reads the earliest due time when a timer fires.
    const timeout = setTimeout(
      () => {
        this.#timers.delete(id);
        fn();
      },
      Math.min(Math.max(0, ms), 2_147_483_647),
    );
    timeout.unref();
    this.#timers.set(id, timeout);
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    clearTimeout(this.#timers.get(handle.id));
    this.#timers.delete(handle.id);
  }
}
