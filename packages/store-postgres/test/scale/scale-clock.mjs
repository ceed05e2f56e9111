// The scale test's clock, shared by every engine process without a file: simulated time is the
// wall clock's progress since the parent's start, `speed` times faster, from `simulatedStart`. A
// process restarted after a SIGKILL finds the time where the others have brought it (unlike the
// SDK crash harness's relay clock, which stands still between lives: here lives overlap).
export class ScaleClock {
  #timers = new Map();
  #next = 0;

  constructor(speed, realStart, simulatedStart) {
    this.speed = speed;
    this.realStart = realStart;
    this.simulatedStart = simulatedStart;
  }

  now() {
    return this.simulatedStart + Math.floor((Date.now() - this.realStart) * this.speed);
  }

  setTimer(fn, ms) {
    const id = ++this.#next;
    const timeout = setTimeout(
      () => {
        this.#timers.delete(id);
        fn();
      },
      Math.min(Math.max(0, Math.ceil(ms / this.speed)), 2_147_483_647),
    );
    // The engine's timers never hold a process open by themselves (as SystemClock's).
    timeout.unref();
    this.#timers.set(id, timeout);
    return { id };
  }

  clearTimer(handle) {
    clearTimeout(this.#timers.get(handle.id));
    this.#timers.delete(handle.id);
  }
}
