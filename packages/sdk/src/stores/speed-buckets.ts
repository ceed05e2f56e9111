/**
 * The fixed log-scale buckets speed-to-lead delays are counted in, so that a store can keep a
 * histogram per day and group (its rollups) and read a period's percentiles from the summed
 * histograms instead of sorting every delay of the period.
 *
 * Bucket 0 holds every delay under 1 ms (a negative one too: a clock that stepped back); bucket k
 * holds [LOWER[k], LOWER[k + 1]); the last is open above. Widths: 1 ms up to 20 ms, then 5 % of the
 * lower bound rounded down (so under 5 % of any delay in it), up to about 3.5 years. The bounds are
 * integers computed here once and written by the SQLite migration into `dashboard_speed_buckets`,
 * which the SQL reads, so SQL and JavaScript place every delay in the same bucket (no floating-point
 * logarithm that could round differently at a bound).
 */
function lowerBounds(): number[] {
  const bounds = [Number.MIN_SAFE_INTEGER, 1];
  // 1.1e11 ms: past the longest delay a 398-day period can hold.
  while ((bounds.at(-1) as number) < 110_000_000_000) {
    const last = bounds.at(-1) as number;
    bounds.push(Math.max(last + 1, Math.floor(last * 1.05)));
  }
  return bounds;
}

/** LOWER[k]: the least delay of bucket k (ms); LOWER[0] stands for −∞. */
export const SPEED_BUCKET_LOWER: readonly number[] = lowerBounds();

/** The bucket of a delay (ms). */
export function speedBucket(delayMs: number): number {
  if (delayMs < 1) return 0;
  let lo = 1;
  let hi = SPEED_BUCKET_LOWER.length - 1;
  // The greatest k with LOWER[k] ≤ delay.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((SPEED_BUCKET_LOWER[mid] as number) <= delayMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** What a percentile landing in bucket k reads as: its lower bound (0 for bucket 0). */
export function speedBucketValue(bucket: number): number {
  return bucket === 0 ? 0 : (SPEED_BUCKET_LOWER[bucket] as number);
}

/** A delay as the dashboard reports it: its bucket's lower bound. */
export function bucketedDelay(delayMs: number): number {
  return speedBucketValue(speedBucket(delayMs));
}

/**
 * The percentile (0–100) of a histogram (bucket → count): the value of the bucket holding the
 * delay at 0-based index ⌊p·(n−1)⌋ of the sorted delays. Null when it counts none.
 */
export function histogramPercentile(histogram: ReadonlyMap<number, number>, percent: number): number | null {
  let n = 0;
  for (const count of histogram.values()) n += count;
  if (n === 0) return null;
  const index = Math.floor((percent * (n - 1)) / 100);
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket) as number;
    if (seen > index) return speedBucketValue(bucket);
  }
  return null;
}
