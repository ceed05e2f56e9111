import type { Clock, TimerHandle } from '../ports/clock.js';

interface PendingTimer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/**
 * A clock that moves only when told to. `advance(ms)` fires due timers in time order and lets the
 * promises they start settle between them, so an engine driven by it behaves as it would in real
 * time, minus the waiting.
 */
export class SimulatedClock implements Clock {
  #now: number;
  #next = 0;
  #timers: PendingTimer[] = [];

  constructor(start: number | Date = Date.parse('2026-01-15T09:00:00Z')) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const timer = { id: ++this.#next, at: this.#now + Math.max(0, ms), fn };
    this.#timers.push(timer);
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle.id);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.#now + ms);
  }

  async advanceTo(target: number): Promise<void> {
    await settle();
    for (;;) {
      const due = this.#timers
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.#now = Math.max(this.#now, due.at);
      due.fn();
      await settle();
    }
    this.#now = Math.max(this.#now, target);
    await settle();
  }

  /** Timers waiting, for assertions ("the scheduler armed exactly one timer"). */
  get pendingTimers(): number {
    return this.#timers.length;
  }
}

/** Lets pending promise chains (store calls, port calls) run to completion. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
