import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/telegram/rate-limiter.js';

describe('RateLimiter', () => {
  it('lets a burst through, then asks to wait until a token refills', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const rules = [['chat:1', { burst: 3, perSecond: 1 }]] as const;
    for (let i = 0; i < 3; i++) {
      expect(limiter.waitSeconds(rules)).toBe(0);
      limiter.take(rules);
    }
    expect(limiter.waitSeconds(rules)).toBe(1);
    now += 999;
    expect(limiter.waitSeconds(rules)).toBe(1);
    now += 1;
    expect(limiter.waitSeconds(rules)).toBe(0);
  });

  it('reports the longest wait of several rules and rounds up to whole seconds', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const slow = ['slow:1', { burst: 1, perSecond: 1 / 3 }] as const;
    const chat = ['chat:1', { burst: 1, perSecond: 1 }] as const;
    limiter.take([slow, chat]);
    expect(limiter.waitSeconds([chat])).toBe(1);
    expect(limiter.waitSeconds([slow, chat])).toBe(3);
    now += 1500;
    expect(limiter.waitSeconds([slow, chat])).toBe(2);
  });

  it('counts a sliding window: max in any window, freed as the oldest leaves it', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const group = [['group:1', { max: 2, windowMs: 60_000 }]] as const;
    limiter.take(group);
    now = 10_000;
    limiter.take(group);
    expect(limiter.waitSeconds(group)).toBe(50);
    now = 60_001;
    expect(limiter.waitSeconds(group)).toBe(0);
  });

  it('keeps buckets apart by key', () => {
    const limiter = new RateLimiter(() => 0);
    limiter.take([['chat:1', { burst: 1, perSecond: 1 }]]);
    expect(limiter.waitSeconds([['chat:2', { burst: 1, perSecond: 1 }]])).toBe(0);
  });
});
