import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { BusyRetry, isBusy, sleepSync } from './busy-retry.js';
import { immediate } from './connection.js';

interface Job {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit: the writes asked for in one turn of the event loop share one BEGIN IMMEDIATE …
 * COMMIT, each atomic on its own (see #commit). A commit is what a write costs here, not its
 * statements: measured on the throughput benchmark, BEGIN/COMMIT (the WAL append and its
 * checkpoints) were 46 % of the engine's CPU at one transaction a write, 14 a lifecycle.
 *
 * Nothing a caller sees changes: each write is still atomic (a failing one rolls back to its
 * savepoint and rejects alone, the others commit), writes run in the order they were asked for,
 * and a promise settles only after the COMMIT that holds its write, so an acknowledged write
 * survives `kill -9` as before. What is not yet committed is lost by a crash exactly as a write
 * not yet started would be: its caller was never answered.
 */
export class GroupCommit {
  readonly #db: DatabaseSync;
  readonly #maxBatch: number;
  readonly #busyRetryMs: number;
  readonly #savepoint: StatementSync;
  readonly #release: StatementSync;
  readonly #rollbackTo: StatementSync;
  #queue: Job[] = [];
  #scheduled = false;
  #commits = 0;
  /** The retries of the batch at the head of the queue while the database is busy. */
  #busy: BusyRetry | null = null;

  /**
   * `maxBatch` bounds one transaction, and so how long one flush holds the event loop: the rest
   * waits for the next turn, letting intake and callbacks in between. `busyRetryMs`: how long a
   * batch is tried again while another process holds the write lock past the busy timeout.
   */
  constructor(db: DatabaseSync, maxBatch = 256, busyRetryMs = 60_000) {
    this.#db = db;
    this.#maxBatch = maxBatch;
    this.#busyRetryMs = busyRetryMs;
    this.#savepoint = db.prepare('SAVEPOINT prozvon_write');
    this.#release = db.prepare('RELEASE prozvon_write');
    this.#rollbackTo = db.prepare('ROLLBACK TO prozvon_write');
  }

  /** Transactions committed so far (a write alone counts as one): what the writes cost. */
  get commits(): number {
    return this.#commits;
  }

  /** Runs `write` (synchronous) in the next group's transaction; settles once that commits. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run: write, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Commits everything queued, now (close() calls it, so nothing asked for is dropped). */
  drain(): void {
    while (this.#queue.length > 0) {
      const wait = this.#commit(this.#queue.splice(0, this.#maxBatch));
      // Closing is synchronous: wait here for the other process, within the budget.
      if (wait !== null) sleepSync(wait);
    }
  }

  #schedule(afterMs: number | null = null): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const flush = () => {
      this.#scheduled = false;
      const wait = this.#commit(this.#queue.splice(0, this.#maxBatch));
      // Busy: the batch went back to the head of the queue, tried again after the back-off.
      if (wait !== null) this.#schedule(wait);
      else if (this.#queue.length > 0) this.#schedule();
    };
    if (afterMs === null) setImmediate(flush);
    else setTimeout(flush, afterMs);
  }

  /**
   * One transaction for the batch: every job's outcome, or, when the transaction itself fails,
   * that failure for all of them. The jobs run bare first; only when one throws is the batch
   * rolled back and run again with a savepoint each, so the failing job rejects alone. A savepoint
   * copies every page its job touches into a journal: bare, a lifecycle took 0.06–0.1 ms less CPU
   * (of 0.9), and a write that throws is an exception. So a job may run twice: it must be a
   * function of the database alone (the store's are).
   *
   * A busy database (another process held the write lock past the busy timeout) rolls the whole
   * batch back: it goes back to the head of the queue, and this returns how long to wait before
   * trying again; past the budget, every job rejects with StoreBusyError. Otherwise null.
   */
  #commit(batch: readonly Job[]): number | null {
    if (batch.length === 0) return null; // drain() (close) emptied the queue before this turn came
    let outcomes: Outcome[];
    try {
      outcomes = immediate(this.#db, () => batch.map((job): Outcome => ({ ok: true, value: job.run() })));
      this.#commits++;
      this.#busy = null;
    } catch (bareError) {
      if (isBusy(bareError)) return this.#retryWhenFree(batch, bareError);
      try {
        if (batch.length === 1) throw bareError;
        outcomes = immediate(this.#db, () => batch.map((job) => this.#runInSavepoint(job)));
        this.#commits++;
        this.#busy = null;
      } catch (error) {
        if (isBusy(error)) return this.#retryWhenFree(batch, error);
        outcomes = batch.map(() => ({ ok: false, error }));
      }
    }
    batch.forEach((job, index) => {
      const outcome = outcomes[index] as Outcome;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
    return null;
  }

  /** The batch was rolled back for a busy database: back to the head of the queue, or given up. */
  #retryWhenFree(batch: readonly Job[], error: unknown): number | null {
    this.#busy ??= new BusyRetry(this.#busyRetryMs);
    try {
      const wait = this.#busy.next(error);
      this.#queue.unshift(...batch);
      return wait;
    } catch (gaveUp) {
      this.#busy = null;
      for (const job of batch) job.reject(gaveUp);
      return null;
    }
  }

  #runInSavepoint(job: Job): Outcome {
    this.#savepoint.run();
    try {
      const value = job.run();
      this.#release.run();
      return { ok: true, value };
    } catch (error) {
      // A full disk or an I/O error may end the transaction by itself: then nothing of the batch
      // is kept, and every job fails with it.
      if (!this.#db.isTransaction) throw error;
      this.#rollbackTo.run();
      this.#release.run();
      return { ok: false, error };
    }
  }
}
