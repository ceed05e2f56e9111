/**
 * The store could not get its database for longer than it is willing to wait (another process
 * held the write lock past every retry). Nothing was written: the caller may try again after
 * `retryAfterMs`. The intake answers it with 503 and `Retry-After`, like any store failure.
 */
export class StoreBusyError extends Error {
  readonly code = 'busy';
  /** How long the caller may wait before trying again. */
  readonly retryAfterMs: number;
  // No parameter property: the store also runs type-stripped (worker threads, the crash child).
  constructor(retryAfterMs: number, options?: { cause?: unknown }) {
    super('The database is busy; try again shortly', options);
    this.retryAfterMs = retryAfterMs;
    this.name = 'StoreBusyError';
  }
}
