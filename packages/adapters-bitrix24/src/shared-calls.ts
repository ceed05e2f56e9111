import { untilAborted } from '@prozvon/sdk';
import { deadlinePassed } from './deadline.js';

interface Running<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  callers: number;
}

/**
 * Calls under way by key, shared by every caller that asks for the same key meanwhile (two
 * createLead calls for one lead must not both add it; a burst from one referral link asks the
 * portal once). Each caller keeps its own deadline: it stops waiting when its signal aborts, and
 * the shared call itself is abandoned only when every caller has left (or never, while a caller
 * without a deadline waits).
 */
export class SharedCalls<T> {
  readonly #what: string;
  readonly #running = new Map<string, Running<T>>();

  constructor(what: string) {
    this.#what = what;
  }

  join(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(deadlinePassed(this.#what, signal));
    let running = this.#running.get(key);
    if (running === undefined) {
      const controller = new AbortController();
      const promise = start(controller.signal).finally(() => {
        if (this.#running.get(key) === entry) this.#running.delete(key);
      });
      const entry: Running<T> = { promise, controller, callers: 0 };
      this.#running.set(key, entry);
      running = entry;
    }
    const joined = running;
    if (signal === undefined) {
      // A caller without a deadline waits however long it takes: the call is never abandoned.
      joined.callers = Number.POSITIVE_INFINITY;
      return joined.promise;
    }
    joined.callers += 1;
    const leave = () => {
      joined.callers -= 1;
      if (joined.callers > 0) return;
      // Nobody waits for it any more: a later caller starts afresh rather than join a dead call.
      if (this.#running.get(key) === joined) this.#running.delete(key);
      joined.controller.abort(signal.reason);
    };
    signal.addEventListener('abort', leave, { once: true });
    void joined.promise.then(
      () => signal.removeEventListener('abort', leave),
      () => signal.removeEventListener('abort', leave),
    );
    return untilAborted(joined.promise, signal, () => deadlinePassed(this.#what, signal));
  }
}
