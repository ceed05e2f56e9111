import type { Clock, LeadStore, TimerHandle } from '../ports/index.js';
import type { Logger } from './logger.js';

export interface RetentionOptions {
  /** How long a finished lead keeps its audit trail and outbox rows, from its submission. */
  readonly keepMs: number;
  /** Between passes. */
  readonly everyMs: number;
  /** Leads per store transaction: a short hold of the write lock, other writes go between. */
  readonly batch: number;
}

/** A pass starts this long after the engine does, so a restart's own work goes first. */
const FIRST_PASS_DELAY_MS = 60_000;

/**
 * Retention: every `everyMs`, deletes the audit trails and outbox rows of finished leads submitted
 * more than `keepMs` ago (LeadStore.pruneFinished), in batches until none is left; the lead rows,
 * their final states and the dashboard's columns stay. What a finished lead's trail costs on disk
 * (about 8 KB a lead in SQLite) is then paid for a bounded time, not forever.
 */
export class RetentionPruner {
  #timer: TimerHandle | null = null;
  #running = false;
  #pass: Promise<void> | null = null;

  constructor(
    private readonly store: LeadStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: RetentionOptions,
  ) {}

  start(): void {
    this.#running = true;
    this.#arm(FIRST_PASS_DELAY_MS);
  }

  /** Stops the timer; the pass in progress, if any, ends after its current batch. */
  stop(): Promise<void> | null {
    this.#running = false;
    if (this.#timer !== null) this.clock.clearTimer(this.#timer);
    this.#timer = null;
    return this.#pass;
  }

  /** One pass now: prunes until nothing is left before the cut. Returns how many leads it pruned. */
  async prune(): Promise<number> {
    const { keepMs, batch } = this.options;
    const before = this.clock.now() - keepMs;
    let pruned = 0;
    for (;;) {
      const n = await this.store.pruneFinished(before, batch);
      pruned += n;
      if (n < batch || !this.#running) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (pruned > 0) this.log.info({ pruned, before }, 'finished leads pruned: audit trails and outbox rows');
    return pruned;
  }

  #arm(ms: number): void {
    if (!this.#running) return;
    this.#timer = this.clock.setTimer(() => {
      this.#timer = null;
      this.#pass = this.prune()
        .then(
          () => undefined,
          (error: unknown) =>
            this.log.error({ err: error }, 'pruning finished leads failed; next pass later'),
        )
        .finally(() => {
          this.#pass = null;
          this.#arm(this.options.everyMs);
        });
    }, ms);
  }
}
