import type { IANAZone } from 'luxon';
import { LruCache } from './lru.js';

const DAY_MS = 86_400_000;

/** From `at` on, a zone is `offset` minutes ahead of UTC (as Luxon reports it) until the next change. */
interface OffsetChange {
  readonly at: number;
  readonly offset: number;
}

/** One UTC day of a zone: the offset at its midnight, then each change in order (almost always none). */
type OffsetDay = readonly [OffsetChange, ...OffsetChange[]];

/**
 * Days looked up recently, by zone and UTC day. A lead machine asks about the next fortnight again
 * and again, for a handful of zones: 4,096 days hold a fortnight of 250 zones, and one day costs
 * two Intl calls to compute (plus a bisection on the rare day with a switch).
 */
const days = new LruCache<string, OffsetDay>(4096);

/**
 * The zone's UTC offset at `at` and the first instant after it at which the offset may change (the
 * next switch that day, or the next UTC midnight): between the two its wall clock runs steadily.
 * Offsets are Luxon's, `zone.offset(at)`, found twice a day per zone instead of at every instant.
 */
export function steadyOffset(zone: IANAZone, at: number): { offset: number; until: number } {
  const day = Math.floor(at / DAY_MS);
  const changes = offsetDay(zone, day);
  let offset = changes[0].offset;
  for (let i = 1; i < changes.length; i++) {
    const change = changes[i] as OffsetChange;
    if (change.at > at) return { offset, until: change.at };
    offset = change.offset;
  }
  return { offset, until: (day + 1) * DAY_MS };
}

function offsetDay(zone: IANAZone, day: number): OffsetDay {
  const key = `${day} ${zone.name}`;
  let changes = days.get(key);
  if (!changes) {
    changes = offsetChanges(zone, day * DAY_MS, (day + 1) * DAY_MS);
    days.set(key, changes);
  }
  return changes;
}

/**
 * Comparing the offsets at both midnights is enough to know whether a day has a switch: in the
 * whole tz database (2025b, 1850–2060, 598 zones) one zone's offset changes at least four days apart
 * (Freetown 1939), at least seven since 1970 (Recife 2000, Gaza's future Ramadan breaks), so it
 * never goes and comes back within a day. Luxon's getPossibleOffsets relies on the same thing.
 */
function offsetChanges(zone: IANAZone, from: number, to: number): OffsetDay {
  const changes: [OffsetChange, ...OffsetChange[]] = [{ at: from, offset: zone.offset(from) }];
  const last = zone.offset(to);
  for (let change = changes[0]; !Object.is(change.offset, last); ) {
    const at = firstChange(zone, change.at, to, change.offset);
    change = { at, offset: zone.offset(at) };
    changes.push(change);
  }
  return changes;
}

// Bisection keeping offset(low) === offset and offset(high) !== offset: the first changed millisecond.
// Object.is, because in the last hours a Date can hold Luxon has no offset (NaN): that is a change
// too, after which the zone's wall clock is unknown, as it is for canCallAt.
function firstChange(zone: IANAZone, lo: number, hi: number, offset: number): number {
  let low = lo;
  let high = hi;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (Object.is(zone.offset(mid), offset)) low = mid;
    else high = mid;
  }
  return high;
}
