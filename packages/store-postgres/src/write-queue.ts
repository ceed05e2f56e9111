import type { Pool, PoolClient } from 'pg';

/** What a write runs its statements on: the batch's connection, inside its transaction. */
export type Tx = Pick<PoolClient, 'query'>;

interface Job {
  /** The lead whose row the write locks, if any: a batch takes its row locks in this order. */
  readonly key: string | undefined;
  readonly run: (tx: Tx) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** deadlock_detected and serialization_failure: the whole batch may be run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_RETRIES = 8;

export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has((error as { code?: unknown })?.code as string);
}

/**
 * Group commit, as the SQLite store's (sdk src/stores/sqlite/group-commit.ts): the writes asked
 * for in one turn of the event loop share one transaction on one connection, each atomic on its
 * own. A commit is a WAL flush on the server and a round trip; a lifecycle's seven writes in one
 * commit each would cost seven.
 *
 * The jobs run bare first; only when one throws is the batch rolled back and run again with a
 * savepoint each, so the failing job rejects alone. So a job may run twice: it must be a function
 * of the database alone (the store's are; `decide` is pure). A deadlock or serialization failure
 * (another instance locked the same rows in the other order) rolls the batch back and runs it
 * again after a short pause. A promise settles only after the COMMIT that holds its write.
 *
 * `concurrency` batches may be in flight at once, each on its own connection: with 1, writes
 * commit in the order they were asked for, as on SQLite; with more, two writes asked for in
 * different turns may commit in either order, as two instances' writes may. Within a batch, the
 * writes that lock a lead's row run in lead order (stable: one lead's keep their order), so two
 * batches lock leads in the same order and cannot deadlock on them.
 */
export class WriteQueue {
  readonly #pool: Pool;
  readonly #maxBatch: number;
  readonly #concurrency: number;
  #queue: Job[] = [];
  #scheduled = false;
  #inFlight = 0;
  #commits = 0;
  #idle: (() => void)[] = [];

  constructor(pool: Pool, maxBatch = 256, concurrency = 1) {
    this.#pool = pool;
    this.#maxBatch = maxBatch;
    this.#concurrency = concurrency;
  }

  /** Transactions committed so far (a write alone counts as one). */
  get commits(): number {
    return this.#commits;
  }

  /**
   * Runs `write` in the next batch's transaction; settles once that commits. `key`: the lead whose
   * row it locks (see above); writes without one run first, in the order asked.
   */
  run<T>(write: (tx: Tx) => Promise<T>, key?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ key, run: write, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Resolves once everything asked for so far has settled (close() waits for it). */
  async drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#concurrency || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const batch = this.#queue.splice(0, this.#maxBatch).sort(byKey);
      if (batch.length === 0) return;
      this.#inFlight++;
      void this.#commit(batch).finally(() => {
        this.#inFlight--;
        this.#schedule();
        if (this.#queue.length === 0 && this.#inFlight === 0) {
          for (const resolve of this.#idle.splice(0)) resolve();
        }
      });
      this.#schedule();
    });
  }

  async #commit(batch: readonly Job[]): Promise<void> {
    let outcomes: Outcome[];
    for (let attempt = 0; ; attempt++) {
      try {
        outcomes = await this.#withClient((client) => this.#runBatch(client, batch));
        break;
      } catch (error) {
        if (isRetryable(error) && attempt < MAX_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10 * (attempt + 1)));
          continue;
        }
        outcomes = batch.map(() => ({ ok: false, error }));
        break;
      }
    }
    batch.forEach((job, index) => {
      const outcome = outcomes[index] as Outcome;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  async #withClient<T>(use: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      return await use(client);
    } catch (error) {
      // Not the server's answer (no SQLSTATE): the connection may be gone; do not reuse it.
      if (!/^[0-9A-Z]{5}$/.test(String((error as { code?: unknown })?.code))) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Every job's outcome. Throws, after ROLLBACK, what the whole batch fails or is retried for: a
   * deadlock, or a connection that is gone (then ROLLBACK TO fails too).
   */
  async #runBatch(client: PoolClient, batch: readonly Job[]): Promise<Outcome[]> {
    try {
      await client.query('BEGIN');
      const values: unknown[] = [];
      for (const job of batch) values.push(await job.run(client));
      await client.query('COMMIT');
      this.#commits++;
      return values.map((value) => ({ ok: true, value }));
    } catch (bareError) {
      await rollback(client);
      if (isRetryable(bareError)) throw bareError;
      if (batch.length === 1) return [{ ok: false, error: bareError }];
    }
    try {
      await client.query('BEGIN');
      const outcomes: Outcome[] = [];
      for (const job of batch) outcomes.push(await runInSavepoint(client, job));
      await client.query('COMMIT');
      this.#commits++;
      return outcomes;
    } catch (error) {
      await rollback(client);
      throw error;
    }
  }
}

/** Unkeyed first; then by key, byte order. Array.prototype.sort is stable. */
function byKey(a: Job, b: Job): number {
  if (a.key === b.key) return 0;
  if (a.key === undefined) return -1;
  if (b.key === undefined) return 1;
  return a.key < b.key ? -1 : 1;
}

async function runInSavepoint(client: PoolClient, job: Job): Promise<Outcome> {
  await client.query('SAVEPOINT prozvon_write');
  try {
    const value = await job.run(client);
    await client.query('RELEASE prozvon_write');
    return { ok: true, value };
  } catch (error) {
    if (isRetryable(error)) throw error;
    await client.query('ROLLBACK TO prozvon_write');
    await client.query('RELEASE prozvon_write');
    return { ok: false, error };
  }
}

async function rollback(client: PoolClient): Promise<void> {
  await client.query('ROLLBACK').catch(() => undefined);
}
