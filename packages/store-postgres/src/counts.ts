import type { CounterHit, CountResult } from '@prozvon/sdk';

/** A countHits call, and its answer once its group's statements ran. */
export interface CountCall {
  readonly hits: readonly CounterHit[];
  readonly now: number;
  result?: CountResult;
}

/** A counter's row: its total and the end of its window. */
export interface CounterRow {
  total: number;
  until: number;
}

/**
 * What lockCounters is asked for on behalf of `calls` (the countHits of one turn of one
 * transaction): their keys in the order first named, each with the `until` of its first hit, and
 * the earliest `now` of them, so that the statement restarts only counters every call finds ended.
 */
export function lockArgs(calls: readonly CountCall[]): { keys: Map<string, number>; now: number } {
  const keys = new Map<string, number>();
  for (const call of calls) for (const hit of call.hits) if (!keys.has(hit.key)) keys.set(hit.key, hit.until);
  return { keys, now: Math.min(...calls.map((call) => call.now)) };
}

/**
 * Each call's answer, in order, as if each had locked and written the counters alone (what the
 * store did before the calls of a turn shared their statements): a counter the call finds ended
 * at its `now` counts from zero with the `until` of its first hit (as lockCounters restarts one),
 * then the call adds all its hits or, when one would pass its limit, none. `rows`: the counters as
 * lockCounters left them, changed in place into what setCounters writes back.
 */
export function countCalls(calls: readonly CountCall[], rows: Map<string, CounterRow>): void {
  for (const call of calls) {
    const seen = new Set<string>();
    for (const hit of call.hits) {
      if (seen.has(hit.key)) continue;
      seen.add(hit.key);
      const row = rows.get(hit.key);
      if (row === undefined) rows.set(hit.key, { total: 0, until: hit.until });
      else if (row.until <= call.now) {
        row.total = 0;
        row.until = hit.until;
      }
    }
    const before = call.hits.map((hit) => rows.get(hit.key)?.total ?? 0);
    if (call.hits.some((hit, i) => (before[i] ?? 0) + hit.by > hit.limit)) {
      call.result = { counted: false, totals: before };
      continue;
    }
    const totals = call.hits.map((hit) => {
      const row = rows.get(hit.key) as CounterRow;
      row.total += hit.by;
      return row.total;
    });
    call.result = { counted: true, totals };
  }
}
