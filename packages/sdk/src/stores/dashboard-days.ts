// zone.ts itself, not the hours index: the SQLite store also loads in worker threads that strip
// types only, and the index brings in a class with parameter properties.
import { ianaZone, isIanaZone } from '../hours/zone.js';
import { DASHBOARD_MAX_DAYS, type DashboardQuery } from '../ports/dashboard.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** One calendar day of the period, cut to it: [from, to). */
export interface PeriodDay {
  readonly date: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The calendar days of `timeZone` that [from, to) touches, each cut to the period, so their counts
 * add up to the period's. Computed here because SQLite knows no time zones: the store then counts
 * each day with one range seek, and a DST day is its 23 or 25 hours. Throws a RangeError for a
 * period that is empty, reversed or longer than DASHBOARD_MAX_DAYS, or an unknown zone.
 */
export function periodDays(query: Pick<DashboardQuery, 'from' | 'to' | 'timeZone'>): PeriodDay[] {
  const { from, to, timeZone } = query;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to <= from) {
    throw new RangeError(`the period [${from}, ${to}) is empty or not in whole milliseconds`);
  }
  if (!isIanaZone(timeZone)) throw new RangeError(`unknown IANA time zone "${timeZone}"`);
  const zone = ianaZone(timeZone);
  const offset = (at: number) => zone.offset(at) * MINUTE_MS;
  // The local calendar date `from` falls on, as the UTC midnight with that date (its "wall" time).
  let wall = Math.floor((from + offset(from)) / DAY_MS) * DAY_MS;
  let start = dayStart(wall, offset);
  const days: PeriodDay[] = [];
  while (start < to) {
    if (days.length === DASHBOARD_MAX_DAYS) {
      throw new RangeError(`the period is longer than ${DASHBOARD_MAX_DAYS} days`);
    }
    const next = dayStart(wall + DAY_MS, offset);
    // A date the zone skipped (Apia's 30 December 2011) has no day to count.
    if (next > start) {
      days.push({
        date: new Date(wall).toISOString().slice(0, 10),
        from: Math.max(from, start),
        to: Math.min(to, next),
      });
    }
    wall += DAY_MS;
    start = next;
  }
  return days;
}

/**
 * The instant a local day begins, given its midnight as a UTC "wall" time: the wall time less the
 * zone's offset there, found in two steps since the offset at the wall time may not be the one at
 * the instant (Luxon's own approach in `objToTS`, a few Intl calls instead of a DateTime a day,
 * which cost 40 ms for a year). Where clocks jump over midnight (no 00:00 that day) the day begins
 * at the jump, the later candidate; where midnight happens twice, at the first.
 */
function dayStart(wall: number, offset: (at: number) => number): number {
  const first = wall - offset(wall);
  const firstFits = offset(first) === wall - first;
  const second = wall - offset(first);
  const secondFits = offset(second) === wall - second;
  if (firstFits && secondFits) return Math.min(first, second);
  if (firstFits) return first;
  if (secondFits) return second;
  return Math.max(first, second);
}
