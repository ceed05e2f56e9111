import type { ServerResponse } from 'node:http';

/** What a failing request gets: an HTTP answer, or 'reset' for a dropped connection. */
export type InjectedError = { status: number; body: unknown; headers?: Record<string, string> } | 'reset';

/**
 * Fault injection shared by every simulator. Each simulator passes the error its real service
 * gives when it is down, so a test that only says `faults.failNext(1)` gets a realistic failure.
 */
export class Faults {
  #latencyMs = 0;
  #rate = 0;
  #rateError: InjectedError;
  #pending: InjectedError[] = [];
  #outage: InjectedError | undefined;
  readonly #defaultError: InjectedError;
  readonly #random: () => number;

  /** `random` is injectable so a test of errorRate between 0 and 1 can be deterministic. */
  constructor(defaultError: InjectedError, random: () => number = Math.random) {
    this.#defaultError = defaultError;
    this.#rateError = defaultError;
    this.#random = random;
  }

  /** Delay before every answer (including injected errors). */
  latency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be ≥ 0 ms, got ${ms}`);
    this.#latencyMs = ms;
  }

  /** That fraction (0…1) of requests fail with `error`. */
  errorRate(rate: number, error: InjectedError = this.#defaultError): void {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`error rate must be within 0…1, got ${rate}`);
    this.#rate = rate;
    this.#rateError = error;
  }

  /** The next `count` requests fail with `error` (queued after any already pending). */
  failNext(count: number, error: InjectedError = this.#defaultError): void {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`count must be an integer ≥ 0, got ${count}`);
    for (let i = 0; i < count; i++) this.#pending.push(error);
  }

  /** Every request fails until `outage(false)`; the default error 'reset' drops the socket. */
  outage(on = true, error: InjectedError = 'reset'): void {
    this.#outage = on ? error : undefined;
  }

  reset(): void {
    this.#latencyMs = 0;
    this.#rate = 0;
    this.#rateError = this.#defaultError;
    this.#pending = [];
    this.#outage = undefined;
  }

  /**
   * Whether next() could delay or fail anything. A server skips awaiting next() when not: that
   * promise and the turn of the microtask queue after it were ~1 % of a busy simulator's CPU.
   */
  get armed(): boolean {
    return this.#latencyMs > 0 || this.#outage !== undefined || this.#pending.length > 0 || this.#rate > 0;
  }

  /** Applies latency, then returns the error to answer with, or undefined to proceed normally. */
  async next(): Promise<InjectedError | undefined> {
    // The global setTimeout, not timers/promises: a test's fake timers then control the wait.
    if (this.#latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
    if (this.#outage !== undefined) return this.#outage;
    const queued = this.#pending.shift();
    if (queued !== undefined) return queued;
    if (this.#rate > 0 && this.#random() < this.#rate) return this.#rateError;
    return undefined;
  }
}

/** Writes an injected error; 'reset' destroys the socket so the client sees a network error. */
export function sendInjected(res: ServerResponse, error: InjectedError): void {
  // A fault is answered before the body is read: discard the body now rather than buffer it.
  res.req?.resume();
  if (error === 'reset') {
    res.socket?.destroy();
    res.destroy();
    return;
  }
  const isText = typeof error.body === 'string';
  const payload = isText ? (error.body as string) : JSON.stringify(error.body);
  res.writeHead(error.status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...error.headers,
  });
  res.end(payload);
}
