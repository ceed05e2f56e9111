import { StoreBusyError } from '../../ports/store-errors.js';

/**
 * SQLite's busy timeout covers most waits for another connection's lock, not all: switching a new
 * file to WAL while another process creates it fails at once, and a write under load can wait
 * past the timeout (the lock is polled, not queued, so a busy writer can win it again and again).
 * What is left is retried here with back-off, within a budget, then reported as StoreBusyError.
 */

/** SQLITE_BUSY, with its extended codes (BUSY_RECOVERY, BUSY_SNAPSHOT, BUSY_TIMEOUT). */
export function isBusy(error: unknown): boolean {
  if (error instanceof StoreBusyError) return true;
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' && (code & 0xff) === 5;
}

/** 10, 20, 40 … ms, capped at a second, jittered so two waiting processes do not retry in step. */
export function busyBackoffMs(attempt: number): number {
  const base = Math.min(1_000, 10 * 2 ** attempt);
  return Math.ceil(base * (0.5 + Math.random() * 0.5));
}

/** Tracks one operation's retries against its budget (wall time: it is other processes we wait for). */
export class BusyRetry {
  readonly #budgetMs: number;
  readonly #since = Date.now();
  #attempt = 0;

  constructor(budgetMs: number) {
    this.#budgetMs = budgetMs;
  }

  /** After a busy failure: how long to wait before the next try; throws once over budget. */
  next(error: unknown): number {
    const wait = busyBackoffMs(this.#attempt++);
    if (Date.now() - this.#since + wait > this.#budgetMs) throw new StoreBusyError(wait, { cause: error });
    return wait;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread: only where the caller is synchronous (opening a store, closing it). */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Runs `fn` (which must leave nothing behind when it fails) until it is not busy, or the budget ends. */
export function retryBusySync<T>(fn: () => T, budgetMs: number): T {
  const retry = new BusyRetry(budgetMs);
  for (;;) {
    try {
      return fn();
    } catch (error) {
      if (!isBusy(error)) throw error;
      sleepSync(retry.next(error));
    }
  }
}
