// The crash harness's clock. Simulated time runs `speed` times faster than real time, but only
// while an engine is alive: each life starts where the furthest life before it got to (every life
// appends its progress to one file), so the time a loaded machine spends spawning and loading a
// process adds nothing. With a wall-clock-based clock a slow CI machine let the simulated day run
// out while the lives were still submitting: the leads met the night and waited for the morning,
// and the kills never hit a call.
//
// The final life can also jump over idle stretches (a night, a 30-minute retry) to the next
// wake-up, so every lead runs to its end in bounded real time.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export class RelayClock {
  #timers = new Map();
  #nextId = 0;
  #base;
  #realBase;
  #recorder;

  /**
   * @param {string} path where lives record how far simulated time got
   * @param {number} speed simulated milliseconds per real one
   * @param {number} simulatedStart where the first life starts
   */
  constructor(path, speed, simulatedStart) {
    this.path = path;
    this.speed = speed;
    this.#base = Math.max(simulatedStart, furthestRecorded(path));
    this.#realBase = performance.now();
    // Progress is recorded often enough that a SIGKILL loses a negligible stretch of time. A
    // life killed before it records anything lets the next one start a little earlier than
    // where it stopped: a small step back, like clock skew between two instances.
    this.#recorder = setInterval(() => this.record(), 20);
    this.#recorder.unref();
  }

  now() {
    return Math.floor(this.#base + (performance.now() - this.#realBase) * this.speed);
  }

  record() {
    appendFileSync(this.path, `${this.now()}\n`);
  }

  setTimer(fn, ms) {
    const id = ++this.#nextId;
    const timer = { at: this.now() + Math.max(0, ms), fn, handle: null };
    this.#timers.set(id, timer);
    this.#arm(id, timer);
    return { id };
  }

  clearTimer(handle) {
    const timer = this.#timers.get(handle.id);
    if (timer !== undefined) clearTimeout(timer.handle);
    this.#timers.delete(handle.id);
  }

  /** Moves simulated time forward to `at`; timers falling due on the way fire at once. */
  jumpTo(at) {
    const now = this.now();
    if (at <= now) return;
    this.#base += at - now;
    for (const [id, timer] of this.#timers) {
      clearTimeout(timer.handle);
      this.#arm(id, timer);
    }
  }

  stop() {
    clearInterval(this.#recorder);
    this.record();
  }

  #arm(id, timer) {
    const delay = Math.ceil(Math.max(0, timer.at - this.now()) / this.speed);
    // Unref'd like the SystemClock's: a waiting scheduler never holds a process open by itself.
    timer.handle = setTimeout(() => {
      this.#timers.delete(id);
      timer.fn();
    }, delay);
    timer.handle.unref();
  }
}

/** The furthest simulated instant any life recorded in `path` (0 before the first). */
export function furthestRecorded(path) {
  if (!existsSync(path)) return 0;
  let max = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const value = Number(line);
    if (line.length > 0 && value > max) max = value;
  }
  return max;
}
