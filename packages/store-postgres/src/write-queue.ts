import type { Pool, PoolClient, QueryConfig, QueryResult } from 'pg';
import { plainName } from './migrations.js';

/**
 * What a write runs its statements on: the batch's connection, inside its transaction; and where
 * it says that something it wrote falls due at `at` (a lead's wake-up, an effect's availability),
 * for the batch's notification to other instances (`notifyChannel`).
 */
export interface Tx extends Pick<PoolClient, 'query'> {
  due(at: number | null): void;
  /** This transaction's: committed once its COMMIT is answered, never if it rolls back. */
  readonly batch: Batch;
}

/** A write transaction, as what it wrote may be relied on by another (known-leads.ts). */
export interface Batch {
  readonly committed: boolean;
}

/** Of a write that has committed. */
export const COMMITTED: Batch = { committed: true };

interface Job {
  /**
   * What the write reads and then writes from what it read (`lead:<id>`, `counters`…): writes of
   * one key run one after the other, in the order asked; others overlap. The first is also the
   * order a batch takes its lead locks in.
   */
  readonly keys: readonly string[];
  /**
   * False: the keys keep this write out of a batch in flight that has one, but within a batch it
   * starts with the others of its keys at once (they share their statements: coalesced.ts).
   */
  readonly ordered: boolean;
  readonly run: (tx: Tx) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The settings a write transaction's statements are planned under (test/write-plans.test.ts plans
 * them so). They run their generic plan, planned once per connection: left to choose, the server
 * keeps planning the big data-modifying ones afresh on every call (their custom plan's estimate
 * is lower), and that planning cost more server CPU than running them (pg_stat_statements:
 * apply_decision_if 0.52 ms planning, 0.35 ms executing a call). Their plans follow their keys (a
 * lead's id, an effect's id, a counter's key) whatever the values; a statement whose plan does
 * not is run with queryPlanned.
 *
 * Seq scans off: a generic plan is kept until an ANALYZE or DDL of its tables, not replanned as
 * they grow (this host has no autovacuum). Planned on a new install's near-empty table, a lookup
 * of a few keys (`id = ANY`, of unknown length: applyDecisions) costs more through the index than
 * a walk of the table, and would walk it for good. Off, a walk is planned only where no index
 * serves, and no write statement's lookup is such. GUCs count when a plan is built, not after.
 *
 * Bitmap scans off: the partial indexes the claims and the counts of calls in flight read
 * (effects_pending_by_tenant, effects_started_by_tenant) keep the entries of rows that have moved
 * on until a VACUUM. A plain index scan marks those dead as it passes them, and later scans step
 * over them without reading the heap; a bitmap scan never marks them, and read the heap for each,
 * every time (mid-run: 19,948 entries and 3,907 heap pages for one shop's count of calls in flight,
 * 3,802 pages for its next pending dial).
 */
const PLANNING = [
  // [setting, as a write transaction plans, as queryPlanned plans a statement for its values]
  ['plan_cache_mode', 'force_generic_plan', 'auto'],
  ['enable_seqscan', 'off', 'on'],
  ['enable_bitmapscan', 'off', 'on'],
] as const;
export const WRITE_PLAN_SETTINGS = PLANNING.map(([setting, generic]) => `${setting} = ${generic}`);
const PLAN_GENERIC = WRITE_PLAN_SETTINGS.map((setting) => `SET LOCAL ${setting}`).join('; ');
/** A write transaction's first message. */
const BEGIN = `BEGIN; ${PLAN_GENERIC}`;
const PLAN_AUTO = PLANNING.map(([setting, , auto]) => `SET LOCAL ${setting} = ${auto}`).join('; ');

/**
 * A statement of a write transaction planned as the server chooses (a claim's range over a
 * backlog: its best plan depends on its values), the transaction's generic plans set aside for it
 * alone: the three messages are queued on the connection one after the other, in this turn, so no
 * other statement goes between them.
 */
export function queryPlanned(tx: Tx, config: QueryConfig): Promise<QueryResult> {
  const ignored = () => undefined;
  // Their failures are the transaction's, reported by the statement itself or by the COMMIT.
  tx.query(PLAN_AUTO).catch(ignored);
  const result = tx.query(config);
  tx.query(PLAN_GENERIC).catch(ignored);
  return result;
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
 * different turns may commit in either order, as two instances' writes may, unless they share a
 * key: a write waits for the batch in flight that has one of its keys (#take). Within a batch, the
 * writes that overlap start in lead order (see runOverlapped), so two batches lock leads in about
 * the same order.
 *
 * With a `notifyChannel`, a batch whose writes said something falls due sends one NOTIFY on it,
 * with the earliest such instant, just before its COMMIT: PostgreSQL delivers it to the listening
 * instances when (and only if) the transaction commits.
 */
export class WriteQueue {
  readonly #pool: Pool;
  readonly #maxBatch: number;
  readonly #concurrency: number;
  #queue: Job[] = [];
  /** The keys of the jobs of the batches in flight, with how many jobs have each. */
  readonly #busy = new Map<string, number>();
  #scheduled = false;
  #inFlight = 0;
  #commits = 0;
  #idle: (() => void)[] = [];
  readonly #notifyChannel: string | null;

  constructor(pool: Pool, maxBatch = 256, concurrency = 1, notifyChannel: string | null = null) {
    this.#pool = pool;
    this.#maxBatch = maxBatch;
    this.#concurrency = concurrency;
    // Interpolated into the NOTIFY (commitText): a plain name only.
    this.#notifyChannel = notifyChannel === null ? null : plainName('notify channel', notifyChannel);
  }

  /** Transactions committed so far (a write alone counts as one). */
  get commits(): number {
    return this.#commits;
  }

  /**
   * Runs `write` in the next batch's transaction; settles once that commits. `keys`: see Job.
   * Writes without keys may overlap with any other: each of their statements stands alone.
   */
  run<T>(write: (tx: Tx) => Promise<T>, keys: readonly string[] = [], ordered = true): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ keys, ordered, run: write, resolve: resolve as (value: unknown) => void, reject });
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
      const batch = this.#take();
      if (batch.length === 0) return;
      this.#inFlight++;
      void this.#commit(batch).finally(() => {
        this.#inFlight--;
        for (const job of batch) for (const key of job.keys) this.#release(key);
        this.#schedule();
        if (this.#queue.length === 0 && this.#inFlight === 0) {
          for (const resolve of this.#idle.splice(0)) resolve();
        }
      });
      this.#schedule();
    });
  }

  /**
   * The next batch: the queue's jobs in order, up to maxBatch, but for those with a key another
   * batch in flight has, and every later one with a key of those (a key's writes keep their
   * order). Those wait for the batches that hold their keys: in the same transaction they would
   * wait for its row locks anyway, stalling every other job of theirs on the connection; after
   * its COMMIT they find its rows, and what updateLead remembers of them (known-leads.ts), as
   * written.
   */
  #take(): Job[] {
    const batch: Job[] = [];
    const kept: Job[] = [];
    const held = new Set<string>();
    for (const job of this.#queue) {
      const free = job.keys.every((key) => !this.#busy.has(key) && !held.has(key));
      if (free && batch.length < this.#maxBatch) batch.push(job);
      else {
        kept.push(job);
        for (const key of job.keys) held.add(key);
      }
    }
    this.#queue = kept;
    for (const job of batch) for (const key of job.keys) this.#busy.set(key, (this.#busy.get(key) ?? 0) + 1);
    return batch;
  }

  #release(key: string): void {
    const left = (this.#busy.get(key) ?? 1) - 1;
    if (left > 0) this.#busy.set(key, left);
    else this.#busy.delete(key);
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
    const tx = txOn(client);
    try {
      const outcomes = await runOverlapped(tx, batch);
      // After the first failure every later statement fails too (the transaction is aborted): a
      // deadlock anywhere means the whole batch again, anything else a run with savepoints.
      const errors = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.error]));
      if (errors.length > 0) throw errors.find(isRetryable) ?? errors[0];
      await tx.query(this.#commitText(tx.earliest()));
      tx.commit();
      this.#commits++;
      return outcomes;
    } catch (bareError) {
      await rollback(tx);
      if (isRetryable(bareError)) throw bareError;
      if (batch.length === 1) return [{ ok: false, error: bareError }];
    }
    const again = txOn(client);
    try {
      await again.query(BEGIN);
      const outcomes: Outcome[] = [];
      for (const job of batch) outcomes.push(await runInSavepoint(again, job));
      // A failed write's instant may be among them: a wake-up too many costs one empty tick.
      await again.query(this.#commitText(again.earliest()));
      again.commit();
      this.#commits++;
      return outcomes;
    } catch (error) {
      await rollback(again);
      throw error;
    }
  }

  /**
   * COMMIT, after the batch's NOTIFY when it has one: one message, one round trip. The channel is
   * a plain name (the store's dueChannel) and the payload a number, so both go in as literals.
   */
  #commitText(at: number | null): string {
    if (this.#notifyChannel === null || at === null) return 'COMMIT';
    return `NOTIFY ${this.#notifyChannel}, '${Number(at)}'; COMMIT`;
  }
}

/**
 * The batch's Tx: its connection, and the earliest instant its writes said falls due.
 *
 * The connection's socket is corked from a statement's send to the end of the event-loop turn
 * (setImmediate): the statements the batch's jobs send in one turn (all their first ones, then
 * those that follow the answers of one read) leave in one write, not one system call each. On a
 * local server a send is most of a small statement's cost on both sides: the kernel runs the
 * receiving end too, and wakes the backend for each.
 */
function txOn(client: PoolClient): Tx & { earliest(): number | null; commit(): void } {
  let earliest: number | null = null;
  const batch = { committed: false };
  const stream = (client as unknown as { connection?: { stream?: Corkable } }).connection?.stream;
  let corked = false;
  const uncork = () => {
    corked = false;
    stream?.uncork();
  };
  return {
    query: ((...args: Parameters<PoolClient['query']>) => {
      if (!corked && stream !== undefined) {
        corked = true;
        stream.cork();
        setImmediate(uncork);
      }
      return (client.query as (...a: unknown[]) => unknown)(...args);
    }) as PoolClient['query'],
    due(at) {
      if (at !== null && (earliest === null || at < earliest)) earliest = at;
    },
    earliest: () => earliest,
    batch,
    commit: () => {
      batch.committed = true;
    },
  };
}

interface Corkable {
  cork(): void;
  uncork(): void;
}

/** Unkeyed first; then by first key, byte order. */
function byFirstKey(a: Job, b: Job): number {
  const [x, y] = [a.keys[0], b.keys[0]];
  if (x === y) return 0;
  if (x === undefined) return -1;
  if (y === undefined) return 1;
  return x < y ? -1 : 1;
}

/**
 * BEGIN and every job at once on a pipelined connection (pool.ts): a job's statements go out
 * without waiting for another job's answers, so a batch costs a few round trips, not two a write.
 * The server still runs the statements one after the other, in the order sent. What must not
 * overlap is a job that reads and then writes from what it read (updateLead's decide, the insert
 * rules, the counters) with an earlier one of the same key: it waits for every earlier job that
 * shares a key with it, so those run in the order asked. The jobs that wait for none start in
 * lead order (unkeyed first), so two batches take their lead locks in the same order. Every
 * outcome is awaited before this returns: nothing is in flight when the caller commits or rolls
 * back.
 */
async function runOverlapped(client: Tx, batch: readonly Job[]): Promise<Outcome[]> {
  const begin = client.query(BEGIN);
  const done = batch.map(() => Promise.withResolvers<unknown>());
  const tails = new Map<string, Promise<unknown>>();
  const heads: number[] = [];
  batch.forEach((job, index) => {
    const keys = job.ordered ? job.keys : [];
    const before = [...new Set(keys.map((key) => tails.get(key)).filter((tail) => tail !== undefined))];
    for (const key of keys) tails.set(key, (done[index] as PromiseWithResolvers<unknown>).promise);
    if (before.length === 0) heads.push(index);
    else start(Promise.allSettled([begin, ...before]), index);
  });
  const order = heads.sort((a, b) => byFirstKey(batch[a] as Job, batch[b] as Job) || a - b);
  for (const index of order) start(begin, index);

  function start(after: Promise<unknown>, index: number): void {
    const { resolve, reject } = done[index] as PromiseWithResolvers<unknown>;
    after.then(() => (batch[index] as Job).run(client)).then(resolve, reject);
  }

  const [opened, ...settled] = await Promise.allSettled([begin, ...done.map((d) => d.promise)]);
  if (opened?.status === 'rejected') throw opened.reason;
  return settled.map((result) =>
    result.status === 'fulfilled' ? { ok: true, value: result.value } : { ok: false, error: result.reason },
  );
}

async function runInSavepoint(client: Tx, job: Job): Promise<Outcome> {
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

async function rollback(client: Tx): Promise<void> {
  await client.query('ROLLBACK').catch(() => undefined);
}
