// Moves this process's wall clock (`Date`) by PROZVON_TEST_CLOCK_SHIFT_MS, so a shop wired as the
// README shows runs in its opening hours whatever the hour of the test. Preloaded into the shop's
// process with `--import` (its environment, not its code) and loaded into the test's, which runs
// the simulators: both sides of every signature and token read the same clock. Timers are untouched.
const shift = Number(process.env.PROZVON_TEST_CLOCK_SHIFT_MS ?? 0);
const RealDate = globalThis.Date;

class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + shift);
    else super(...args);
  }

  static now() {
    return RealDate.now() + shift;
  }
}

if (shift !== 0) globalThis.Date = ShiftedDate;

/** Puts the real `Date` back (the test's process, after it). */
export function restoreClock() {
  globalThis.Date = RealDate;
}
