import type { Operating } from './envelope.js';

export interface RateLimit {
  /** X: the bucket's size; a request that would overflow it gets 503 QUERY_LIMIT_EXCEEDED. */
  burst: number;
  /** Y: how much the bucket drains per second. */
  drainPerSecond: number;
}

/** BITRIX24.md §7: enterprise plans 250 / 5 per s, every other plan 50 / 2 per s. */
export const RATE_LIMITS: Record<'standard' | 'enterprise', RateLimit> = {
  standard: { burst: 50, drainPerSecond: 2 },
  enterprise: { burst: 250, drainPerSecond: 5 },
};

/**
 * The portal's leaky bucket: each request adds 1, the level drains continuously. A refused request
 * is not added (unverified; it lets a client that backs off recover, as the SDK expects).
 */
export class LeakyBucket {
  #level = 0;
  #at: number | undefined;

  tryTake(now: number, limit: RateLimit): boolean {
    if (this.#at !== undefined) {
      this.#level = Math.max(0, this.#level - ((now - this.#at) / 1000) * limit.drainPerSecond);
    }
    this.#at = now;
    if (this.#level + 1 > limit.burst) return false;
    this.#level += 1;
    return true;
  }

  get level(): number {
    return this.#level;
  }
}

export interface OperatingLimit {
  /** The rolling window, 10 one-minute buckets in the cloud. */
  windowMs: number;
  /** Summed execution time above which the method is blocked (480 s in the cloud). */
  limitMs: number;
  /**
   * What one call of a method costs. By default the real (tiny) handler time; a test that wants to
   * reach the limit gives a figure, e.g. `() => 60_000`.
   */
  costMs?: (method: string) => number;
}

export const CLOUD_OPERATING_LIMIT: OperatingLimit = { windowMs: 600_000, limitMs: 480_000 };

const MINUTE = 60_000;

/**
 * Execution time per method per app or webhook in one-minute buckets over a rolling window
 * (BITRIX24.md §7). Over the limit, the next call of that method gets 429 OPERATION_TIME_LIMIT
 * until the oldest bucket drops out; other methods keep working.
 */
export class OperatingMeter {
  readonly #buckets = new Map<string, Map<number, number>>();

  #window(key: string, now: number, limit: OperatingLimit): Map<number, number> {
    let buckets = this.#buckets.get(key);
    if (buckets === undefined) {
      buckets = new Map();
      this.#buckets.set(key, buckets);
    }
    const oldest = Math.floor((now - limit.windowMs) / MINUTE);
    for (const minute of buckets.keys()) if (minute <= oldest) buckets.delete(minute);
    return buckets;
  }

  #status(buckets: Map<number, number>, now: number, limit: OperatingLimit): Operating {
    let sum = 0;
    let first = Math.floor(now / MINUTE);
    for (const [minute, ms] of buckets) {
      sum += ms;
      if (minute < first) first = minute;
    }
    return { operating: sum / 1000, resetAt: Math.ceil((first * MINUTE + limit.windowMs) / 1000) };
  }

  isBlocked(key: string, now: number, limit: OperatingLimit): boolean {
    const buckets = this.#window(key, now, limit);
    return this.#status(buckets, now, limit).operating * 1000 > limit.limitMs;
  }

  record(key: string, now: number, ms: number, limit: OperatingLimit): Operating {
    const buckets = this.#window(key, now, limit);
    const minute = Math.floor(now / MINUTE);
    buckets.set(minute, (buckets.get(minute) ?? 0) + ms);
    return this.#status(buckets, now, limit);
  }
}
