/** The time a notifier reads, and the waits it asked for, for a test to check and move on. */
export interface FakeClock {
  now: number;
  readonly waits: number[];
}

/**
 * A clock for the notifier's `now` and `sleep` (and the simulator's `now`): each wait is recorded
 * and passes at once, moving the clock on, so a test of pacing waits for nothing.
 */
export function fakeClock(start: number): {
  clock: FakeClock;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
} {
  const clock: FakeClock = { now: start, waits: [] };
  return {
    clock,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.waits.push(ms);
      clock.now += ms;
    },
  };
}
