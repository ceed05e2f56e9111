import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/hours/lru.js';
import { steadyOffset } from '../../src/hours/zone-offsets.js';
import { instantArb, offsetSwitches, zoneArb } from './arbitraries.js';

describe('steadyOffset', () => {
  it('finds every real switch to the millisecond (2018–2027, zones that switch oddly or not)', () => {
    for (const { zone: name, at } of offsetSwitches(2018, 2027)) {
      const zone = IANAZone.create(name);
      expect(steadyOffset(zone, at - 1)).toEqual({ offset: zone.offset(at - 1), until: at });
      expect(steadyOffset(zone, at).offset).toBe(zone.offset(at));
    }
  });

  it("agrees with Luxon's offset, and the offset holds until `until`", () => {
    fc.assert(
      fc.property(instantArb, zoneArb, (instant, name) => {
        const zone = IANAZone.create(name);
        const at = instant.getTime();
        const { offset, until } = steadyOffset(zone, at);
        expect(offset).toBe(zone.offset(at));
        expect(until).toBeGreaterThan(at);
        expect(zone.offset(until - 1)).toBe(offset);
        expect(until - at).toBeLessThanOrEqual(86_400_000);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps to Luxon in the last days a Date can hold, where Luxon has no offset (NaN)', () => {
    const zone = IANAZone.create('Asia/Vladivostok');
    for (let at = 8.64e15 - 15 * 86_400_000; at <= 8.64e15; at += 3_600_000) {
      expect(steadyOffset(zone, at).offset).toBe(zone.offset(at));
    }
  });
});

describe('LruCache', () => {
  it('keeps the most recently used entries and drops the least recently used one', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // 'b' is now the least recently used
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('replaces the value of a key it holds without growing', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBe(2);
  });
});
