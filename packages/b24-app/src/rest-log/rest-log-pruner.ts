import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RestLog } from './rest-log.js';

export const DAY_MS = 86_400_000;

export interface RestLogPrunerOptions {
  readonly log: RestLog;
  /** Rows older than this go (PROZVON_REST_LOG_DAYS; the Market asks for at least 3 days). */
  readonly retentionMs: number;
  readonly now: () => number;
  readonly onError: (error: unknown) => void;
  /** How often the old rows are looked for. */
  readonly everyMs?: number;
  /** Rows deleted per statement: the write lock is held for one small batch at a time. */
  readonly batchSize?: number;
}

/**
 * Deletes the REST log's rows past the retention, on a timer, in small batches with a turn of
 * the event loop between them, so the engine's writes to the same file never wait long.
 */
export class RestLogPruner {
  readonly #options: RestLogPrunerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #stopped = false;

  constructor(options: RestLogPrunerOptions) {
    this.#options = options;
  }

  /** Prunes now, then every `everyMs` (10 minutes by default), until `stop`. */
  start(): void {
    const tick = () => {
      this.prune().catch(this.#options.onError);
    };
    tick();
    this.#timer = setInterval(tick, this.#options.everyMs ?? 10 * 60_000);
    this.#timer.unref();
  }

  /** One pass: batches until none is left past the retention; how many rows went. */
  prune(): Promise<number> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #pass(): Promise<number> {
    const { log, retentionMs, now, batchSize = 500 } = this.#options;
    const before = now() - retentionMs;
    let total = 0;
    while (!this.#stopped) {
      const deleted = await log.prune(before, batchSize);
      total += deleted;
      if (deleted < batchSize) break;
      await nextTurn();
    }
    return total;
  }

  /** Stops the timer and waits for a pass under way (it ends after its current batch). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }
}
