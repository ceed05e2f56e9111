/** Where the simulator reads the time: token expiry, the leaky bucket, `time` in the envelope. */
export interface Bitrix24Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Bitrix24Clock = { now: () => Date.now() };

/** A clock a test moves by hand, e.g. past an access token's hour. */
export class ManualClock implements Bitrix24Clock {
  #now: number;

  constructor(start: number | Date = Date.now()) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance needs ms ≥ 0, got ${ms}`);
    this.#now += ms;
  }

  set(at: number | Date): void {
    this.#now = typeof at === 'number' ? at : at.getTime();
  }
}
