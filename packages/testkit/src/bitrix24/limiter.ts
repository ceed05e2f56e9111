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

/** One minute's basket: the time spent in it, and when its first call came. */
interface Basket {
  ms: number;
  firstAt: number;
}

/**
 * Execution time per method per app or webhook in one-minute baskets (limits.md, "Resource
 * Intensity Limits"). A basket's countdown starts at the first call of its minute and lasts the
 * window: a first call at 10:05:20 drops out at 10:15:20, and that is `operating_reset_at` while it
 * is the oldest. Over the limit, the next call of that method gets 429 OPERATION_TIME_LIMIT until
 * enough baskets dropped out; other methods keep working.
 */
export class OperatingMeter {
  readonly #baskets = new Map<string, Map<number, Basket>>();

  #window(key: string, now: number, limit: OperatingLimit): Map<number, Basket> {
    let baskets = this.#baskets.get(key);
    if (baskets === undefined) {
      baskets = new Map();
      this.#baskets.set(key, baskets);
    }
    for (const [minute, basket] of baskets)
      if (now >= basket.firstAt + limit.windowMs) baskets.delete(minute);
    return baskets;
  }

  #status(baskets: Map<number, Basket>, now: number, limit: OperatingLimit): Operating {
    let sum = 0;
    let oldest = now;
    for (const basket of baskets.values()) {
      sum += basket.ms;
      if (basket.firstAt < oldest) oldest = basket.firstAt;
    }
    return { operating: sum / 1000, resetAt: Math.ceil((oldest + limit.windowMs) / 1000) };
  }

  isBlocked(key: string, now: number, limit: OperatingLimit): boolean {
    const baskets = this.#window(key, now, limit);
    return this.#status(baskets, now, limit).operating * 1000 > limit.limitMs;
  }

  record(key: string, now: number, ms: number, limit: OperatingLimit): Operating {
    const baskets = this.#window(key, now, limit);
    const minute = Math.floor(now / MINUTE);
    const basket = baskets.get(minute);
    if (basket === undefined) baskets.set(minute, { ms, firstAt: now });
    else basket.ms += ms;
    return this.#status(baskets, now, limit);
  }
}
