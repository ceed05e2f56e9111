import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { percentileOf } from '../../src/stores/dashboard-figures.js';
import {
  bucketedDelay,
  histogramPercentile,
  SPEED_BUCKET_LOWER,
  speedBucket,
} from '../../src/stores/speed-buckets.js';
import { bucketOf } from '../../src/stores/sqlite/dashboard-rollups.js';
import { applyMigrations } from '../../src/stores/sqlite/migrations.js';
import { runSeed, seededRandom } from '../support/seed.js';

describe('speed-to-lead buckets', () => {
  it('are under 5 % wide (1 ms under 20 ms) up to past a 398-day delay', () => {
    for (let k = 1; k < SPEED_BUCKET_LOWER.length - 1; k += 1) {
      const lower = SPEED_BUCKET_LOWER[k] as number;
      const next = SPEED_BUCKET_LOWER[k + 1] as number;
      expect(next).toBeGreaterThan(lower);
      if (lower < 20) expect(next - lower).toBe(1);
      else expect(next - lower).toBeLessThanOrEqual(lower * 0.05);
    }
    expect(SPEED_BUCKET_LOWER.at(-1)).toBeGreaterThan(398 * 86_400_000);
  });

  it('place each bound and the delay under it in their buckets, in SQL as in JavaScript', () => {
    const db = new DatabaseSync(':memory:');
    applyMigrations(db);
    const sql = db.prepare(`SELECT ${bucketOf(':delay')} AS bucket`);
    try {
      expect(speedBucket(-5)).toBe(0);
      expect(speedBucket(0.5)).toBe(0);
      for (let k = 1; k < SPEED_BUCKET_LOWER.length; k += 1) {
        const lower = SPEED_BUCKET_LOWER[k] as number;
        for (const [delay, bucket] of [
          [lower, k],
          [lower - 1, k - 1],
        ] as const) {
          expect(speedBucket(delay)).toBe(bucket);
          expect(sql.get({ delay })?.bucket).toBe(bucket);
        }
      }
    } finally {
      db.close();
    }
  });

  it('give from a histogram the bucket of the exact percentile, within 5 % under it', () => {
    const random = seededRandom(runSeed());
    for (let run = 0; run < 50; run += 1) {
      const delays = Array.from({ length: 1 + Math.floor(random() * 300) }, () =>
        Math.floor(random() ** 3 * 3_600_000),
      ).sort((a, b) => a - b);
      const histogram = new Map<number, number>();
      for (const delay of delays)
        histogram.set(speedBucket(delay), (histogram.get(speedBucket(delay)) ?? 0) + 1);
      for (const percent of [50, 90]) {
        const exact = percentileOf(delays, percent) as number;
        const read = histogramPercentile(histogram, percent) as number;
        expect(read).toBe(bucketedDelay(exact));
        expect(read).toBeLessThanOrEqual(exact);
        expect(exact).toBeLessThan(Math.max(read * 1.05, read + 1));
      }
    }
    expect(histogramPercentile(new Map(), 50)).toBeNull();
  });
});
