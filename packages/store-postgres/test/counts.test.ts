import type { CounterHit, CountResult } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { runSeed, seededRandom } from '../../sdk/test/support/seed.js';
import { type CountCall, type CounterRow, countCalls, lockArgs } from '../src/counts.js';

// The countHits calls of one turn share two statements (counts.ts): each call's answer, and the
// counters written back, must be what the calls would have given each locking and writing alone
// in turn (the store's way before), whatever their `now`s, windows and limits. The reference
// below is that way: lockCounters with the call's own `now`, then all its hits or none.

type Rows = Map<string, CounterRow>;

/** One call alone: lockCounters' restart with its own `now`, then its hits added or none. */
function alone(rows: Rows, call: CountCall): CountResult {
  const keys = new Map<string, number>();
  for (const hit of call.hits) if (!keys.has(hit.key)) keys.set(hit.key, hit.until);
  for (const [key, until] of keys) {
    const row = rows.get(key);
    if (row === undefined || row.until <= call.now) rows.set(key, { total: 0, until });
  }
  const before = call.hits.map((hit) => rows.get(hit.key)?.total ?? 0);
  if (call.hits.some((hit, i) => (before[i] ?? 0) + hit.by > hit.limit))
    return { counted: false, totals: before };
  return {
    counted: true,
    totals: call.hits.map((hit) => {
      const row = rows.get(hit.key) as CounterRow;
      row.total += hit.by;
      return row.total;
    }),
  };
}

/** The calls together: lockCounters once (lockArgs), then countCalls. */
function together(rows: Rows, calls: CountCall[]): void {
  const { keys, now } = lockArgs(calls);
  for (const [key, until] of keys) {
    const row = rows.get(key);
    if (row === undefined || row.until <= now) rows.set(key, { total: 0, until });
  }
  countCalls(calls, rows);
}

const copy = (rows: Rows): Rows => new Map([...rows].map(([key, row]) => [key, { ...row }]));

describe('countHits of one turn together (counts.ts)', () => {
  it('answers each call and leaves each counter as the calls alone in turn would', () => {
    const random = seededRandom(runSeed());
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    for (let round = 0; round < 2_000; round++) {
      const start: Rows = new Map();
      for (const key of ['a', 'b', 'c']) {
        if (random() < 0.7)
          start.set(key, { total: Math.floor(random() * 4), until: 100 + Math.floor(random() * 10) });
      }
      const calls: CountCall[] = Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({
        now: 100 + Math.floor(random() * 10),
        hits: Array.from(
          { length: 1 + Math.floor(random() * 3) },
          (): CounterHit => ({
            key: pick(['a', 'b', 'c']),
            by: 1 + Math.floor(random() * 2),
            limit: 1 + Math.floor(random() * 5),
            until: 105 + Math.floor(random() * 10),
          }),
        ),
      }));
      const expected = copy(start);
      const answers = calls.map((call) => alone(expected, call));
      const rows = copy(start);
      together(rows, calls);
      expect(calls.map((call) => call.result)).toEqual(answers);
      expect(rows).toEqual(expected);
    }
  });
});
