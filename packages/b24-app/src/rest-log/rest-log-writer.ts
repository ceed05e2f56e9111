import type { RestLog, RestLogEntry } from './rest-log.js';

export interface RestLogWriterOptions {
  /** Entries written in one append (one transaction). */
  readonly maxBatch?: number;
  /** How long an entry may wait for others before it is written. */
  readonly delayMs?: number;
  readonly onError: (error: unknown) => void;
}

/**
 * Gathers REST log entries and appends them in groups: a burst of a portal's requests costs one
 * transaction per group beside the engine's own writes, not one per request. A failed append is
 * reported and dropped — the log must never stop a REST call.
 */
export class RestLogWriter {
  readonly #log: RestLog;
  readonly #maxBatch: number;
  readonly #delayMs: number;
  readonly #onError: (error: unknown) => void;
  #queue: RestLogEntry[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(log: RestLog, options: RestLogWriterOptions) {
    this.#log = log;
    this.#maxBatch = options.maxBatch ?? 200;
    this.#delayMs = options.delayMs ?? 250;
    this.#onError = options.onError;
  }

  record(entry: RestLogEntry): void {
    // A request abandoned at its deadline may still be answered after the app stopped.
    if (this.#closed) return;
    this.#queue.push(entry);
    if (this.#queue.length >= this.#maxBatch) void this.flush();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => void this.flush(), this.#delayMs);
      this.#timer.unref();
    }
  }

  /** Writes what is queued; resolves when every entry recorded so far is written (or reported). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length > 0) {
      this.#writing = this.#writing.then(() => this.#log.append(batch)).catch(this.#onError);
    }
    return this.#writing;
  }

  /** Writes what is queued; what is recorded afterwards is dropped (the log is being closed). */
  close(): Promise<void> {
    const last = this.flush();
    this.#closed = true;
    return last;
  }
}
