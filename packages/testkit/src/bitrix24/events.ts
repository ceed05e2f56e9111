import type { Bitrix24Clock } from './clock.js';
import { isoWithOffset } from './dates.js';
import { encodePhpParams } from './php-query.js';
import type { Portal } from './portal.js';

/**
 * Outbound POSTs from the portal to apps (events, install, frame opens): form-urlencoded with PHP
 * brackets, one attempt, no retries — the real portal drops an event whose handler fails (§3).
 * Every attempt is recorded on the portal; `idle()` lets a test wait until all have settled.
 */
export class Outbox {
  readonly #pending = new Set<Promise<unknown>>();
  /** Aborted on close, so a handler that never answers cannot hold the simulator open. */
  readonly #closing = new AbortController();
  readonly #clock: Bitrix24Clock;
  /** Per-attempt timeout: the portal gives slow handlers little time (figure unverified). */
  timeoutMs = 10_000;

  constructor(clock: Bitrix24Clock) {
    this.#clock = clock;
  }

  /** Posts and records; resolves with the HTTP status or the network error's message. */
  post(
    portal: Portal,
    event: string,
    url: string,
    body: Record<string, unknown>,
    query = '',
  ): Promise<number | string> {
    const delivery = {
      event,
      handler: url,
      body,
      at: isoWithOffset(this.#clock.now(), portal.offsetMinutes),
    } as Portal['deliveries'][number];
    portal.deliveries.push(delivery);
    const target = query === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${query}`;
    const attempt = fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'Bitrix24 Webhook Engine',
      },
      body: encodePhpParams(body),
      signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.#closing.signal]),
    })
      .then(async (response) => {
        await response.arrayBuffer(); // drain, so the socket is reused or closed
        return response.status;
      })
      .catch((error: unknown) => (error instanceof Error ? error.message : String(error)))
      .then((outcome) => {
        delivery.outcome = outcome;
        return outcome;
      });
    this.#pending.add(attempt);
    void attempt.finally(() => this.#pending.delete(attempt));
    return attempt;
  }

  /** Cuts every POST still in flight (recorded with the abort's message), then waits for them. */
  async close(): Promise<void> {
    this.#closing.abort(new Error('simulator closed'));
    await this.idle();
  }

  /** Resolves once every POST started so far (and any they caused) has settled. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
