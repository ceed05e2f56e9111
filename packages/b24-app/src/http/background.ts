import type { Logger } from '@prozvon/sdk';

/**
 * Work an HTTP handler starts after it answered (Bitrix24 wants events answered fast, BITRIX24.md
 * §3): failures are logged, never unhandled, and shutdown waits for what is in flight.
 */
export class Background {
  readonly #running = new Set<Promise<unknown>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  run(what: string, fields: Record<string, unknown>, work: () => Promise<unknown>): void {
    const task = work().catch((error: unknown) =>
      this.#logger.error({ ...fields, err: error }, `${what} failed`),
    );
    this.#running.add(task);
    void task.finally(() => this.#running.delete(task));
  }

  /** Resolves once every task started so far (and any they started) has settled. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }
}
