/**
 * A rate rule: a token bucket (`burst` at once, refilled at `perSecond`) where Telegram speaks of
 * a rate, or a sliding window (at most `max` in any `windowMs`) where it speaks of a count.
 */
export type RateRule = { burst: number; perSecond: number } | { max: number; windowMs: number };

/**
 * Telegram's flood limits (MESSAGING.md §4, Bot FAQ): ≈ 1 message/s per chat with short bursts
 * tolerated, ≤ 20 messages a minute in one group, ≈ 30/s across all chats. Burst sizes are not
 * published; `chat.burst = 3` is an assumption. `null` switches a rule off.
 */
export interface TelegramLimits {
  chat: RateRule | null;
  group: RateRule | null;
  global: RateRule | null;
}

export const DEFAULT_TELEGRAM_LIMITS: TelegramLimits = {
  chat: { burst: 3, perSecond: 1 },
  group: { max: 20, windowMs: 60_000 },
  global: { burst: 30, perSecond: 30 },
};

type Keyed = readonly (readonly [string, RateRule])[];

/** Buckets and windows keyed by name, on an injected clock, so a test decides when time passes. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #windows = new Map<string, number[]>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Whole seconds to wait before one more message passes every rule (0: now). Takes nothing. */
  waitSeconds(rules: Keyed): number {
    const now = this.#now();
    let waitMs = 0;
    for (const [key, rule] of rules) {
      if ('burst' in rule) {
        const { tokens } = this.#bucket(key, rule, now);
        if (tokens < 1) waitMs = Math.max(waitMs, ((1 - tokens) / rule.perSecond) * 1000);
      } else {
        const times = this.#window(key, rule, now);
        const oldest = times[0];
        if (times.length >= rule.max && oldest !== undefined)
          waitMs = Math.max(waitMs, oldest + rule.windowMs - now);
      }
    }
    return Math.ceil(waitMs / 1000);
  }

  /** Counts one message against every rule; call once it is accepted. */
  take(rules: Keyed): void {
    const now = this.#now();
    for (const [key, rule] of rules) {
      if ('burst' in rule) this.#bucket(key, rule, now).tokens -= 1;
      else this.#window(key, rule, now).push(now);
    }
  }

  #bucket(key: string, rule: { burst: number; perSecond: number }, now: number) {
    const bucket = this.#buckets.get(key) ?? { tokens: rule.burst, at: now };
    bucket.tokens = Math.min(rule.burst, bucket.tokens + ((now - bucket.at) / 1000) * rule.perSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    return bucket;
  }

  #window(key: string, rule: { windowMs: number }, now: number): number[] {
    const times = (this.#windows.get(key) ?? []).filter((t) => t > now - rule.windowMs);
    this.#windows.set(key, times);
    return times;
  }
}
