import { DateTime } from 'luxon';
// zone.ts itself, not the hours index: the SQLite store also loads in worker threads that strip
// types only, and the index brings in a class with parameter properties.
import { isIanaZone } from '../hours/zone.js';
import { DASHBOARD_MAX_DAYS, type DashboardQuery } from '../ports/dashboard.js';

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
  const days: PeriodDay[] = [];
  let start = DateTime.fromMillis(from, { zone: timeZone }).startOf('day');
  while (start.toMillis() < to) {
    if (days.length === DASHBOARD_MAX_DAYS) {
      throw new RangeError(`the period is longer than ${DASHBOARD_MAX_DAYS} days`);
    }
    const next = start.plus({ days: 1 }).startOf('day');
    days.push({
      date: start.toISODate() ?? '',
      from: Math.max(from, start.toMillis()),
      to: Math.min(to, next.toMillis()),
    });
    start = next;
  }
  return days;
}
