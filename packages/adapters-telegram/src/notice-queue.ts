import { RateLimitedError, TransientError } from '@prozvon/sdk';

/** The chat's pacing, as the queue sees it (the notifier's ChatPacer on its current chat). */
export interface QueuePace {
  /** Milliseconds until the chat's next turn (0: now). */
  untilTurn(): number;
  /** The gap between two messages to the chat. */
  intervalMs(): number;
  /** Takes the turn the queue has just waited for. */
  take(): void;
}

export interface NoticeQueueOptions<T> {
  readonly pace: QueuePace;
  /** Longest a notice may wait here; past it, it is handed back to the engine (RateLimitedError). */
  readonly maxWaitMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** How many of `items`, from the first, fit in one message (at least one). */
  readonly fitting: (items: readonly T[]) => number;
  /**
   * Sends one message for `batch` (one item: the notice alone; more: a digest), with a signal
   * that aborts once no caller waits for it any more. Rejects with a PortError.
   */
  readonly send: (batch: readonly T[], signal: AbortSignal | undefined) => Promise<void>;
}

interface Waiter<T> {
  readonly item: T;
  readonly signal: AbortSignal | undefined;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly detach: () => void;
}

/**
 * The notices waiting for one chat's next turn. The first notice to an idle chat goes at once;
 * those that come while the chat is busy (a message in flight, or the pacer's gap not yet over)
 * wait, and at the next turn all of them go out as one message (split where it would pass
 * Telegram's length limit). Each caller's promise settles with the message that carried its
 * notice. Nothing waits longer than `maxWaitMs`: a notice that would is refused at once with a
 * RateLimitedError, so the engine keeps it durably in its outbox instead of us holding it in memory.
 */
export class NoticeQueue<T> {
  readonly #options: NoticeQueueOptions<T>;
  readonly #waiting: Waiter<T>[] = [];
  #draining = false;

  constructor(options: NoticeQueueOptions<T>) {
    this.#options = options;
  }

  /** Resolves once a message carrying `item` is accepted; rejects with that message's error. */
  submit(item: T, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abandoned(signal));
    const waitMs = this.#estimatedWait(item);
    if (waitMs > this.#options.maxWaitMs)
      return Promise.reject(
        new RateLimitedError(
          `Telegram: the sellers' chat is paced; next turn for this notice in ${waitMs} ms`,
          waitMs,
        ),
      );
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = this.#waiting.indexOf(waiter);
        if (at < 0) return; // already on its way: its fate is its message's
        this.#waiting.splice(at, 1);
        reject(abandoned(signal as AbortSignal));
      };
      const waiter: Waiter<T> = {
        item,
        signal,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
      if (!this.#draining) void this.#drain();
    });
  }

  /** The chat's next turn, plus one gap for each message the notices ahead of `item` fill. */
  #estimatedWait(item: T): number {
    const { pace, fitting } = this.#options;
    let rest = [...this.#waiting.map((w) => w.item), item];
    let messagesAhead = 0;
    for (;;) {
      const count = fitting(rest);
      if (count >= rest.length) break;
      rest = rest.slice(count);
      messagesAhead += 1;
    }
    return pace.untilTurn() + messagesAhead * pace.intervalMs();
  }

  /** Sends what waits, one message a turn, until nothing does. Never throws. */
  async #drain(): Promise<void> {
    const { pace, maxWaitMs, sleep, fitting, send } = this.#options;
    this.#draining = true;
    try {
      while (this.#waiting.length > 0) {
        const waitMs = pace.untilTurn();
        if (waitMs > maxWaitMs) {
          // The chat is held (Telegram's retry_after): all of them come back together, and go
          // out then as one digest.
          const error = new RateLimitedError(`Telegram: the sellers' chat is held for ${waitMs} ms`, waitMs);
          for (const waiter of this.#waiting.splice(0)) settle(waiter, error);
          return;
        }
        // Notices arriving meanwhile join this turn's message.
        if (waitMs > 0) await sleep(waitMs);
        if (this.#waiting.length === 0) return;
        pace.take();
        const batch = this.#waiting.splice(0, fitting(this.#waiting.map((w) => w.item)));
        for (const waiter of batch) waiter.detach();
        try {
          await send(
            batch.map((w) => w.item),
            whenAllAborted(batch.map((w) => w.signal)),
          );
          for (const waiter of batch) waiter.resolve();
        } catch (error) {
          for (const waiter of batch) waiter.reject(error);
        }
      }
    } catch (error) {
      // A bug in fitting or the pacer: fail what waits rather than leave it hanging.
      for (const waiter of this.#waiting.splice(0)) settle(waiter, error);
    } finally {
      this.#draining = false;
    }
  }
}

function settle<T>(waiter: Waiter<T>, error: unknown): void {
  waiter.detach();
  waiter.reject(error);
}

function abandoned(signal: AbortSignal): TransientError {
  return new TransientError(
    'Telegram: the deadline passed while the notice waited for its turn; nothing was sent',
    {
      cause: signal.reason,
    },
  );
}

/**
 * A signal that aborts once every one of `signals` has: a message is abandoned only when nobody
 * waits for it. Undefined when one of them can never abort.
 */
function whenAllAborted(signals: readonly (AbortSignal | undefined)[]): AbortSignal | undefined {
  if (signals.length === 1) return signals[0];
  if (signals.some((s) => s === undefined)) return undefined;
  const controller = new AbortController();
  let left = signals.length;
  for (const signal of signals as AbortSignal[]) {
    const done = () => {
      left -= 1;
      if (left === 0) controller.abort(signal.reason);
    };
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  }
  return controller.signal;
}
