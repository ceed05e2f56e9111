import { DateTime, type IANAZone } from 'luxon';
import type { CallRules, MinuteSpan } from '../../src/hours/call-rules.js';

// The wall-clock helpers of the first nextCallWindow, used only by its reference copy
// (reference-next-call-window.ts). Not a test file itself: vitest only runs *.test.ts.

const HOUR_MS = 3_600_000;

/**
 * Every instant at which clocks in `zone` read `minuteOfDay` (00:00–23:59) on the calendar date `date`
 * (a UTC DateTime used only for its year, month and day): none inside a spring-forward gap, two inside
 * a repeated fall-back hour, one otherwise.
 *
 * Luxon's fromObject alone is not enough: it moves a nonexistent time forward by the gap (02:30 on
 * Berlin's spring day becomes 03:30, an hour after the window really opened at 03:00), and for a
 * repeated time it picks one offset based on the current date. getPossibleOffsets lists both, and the
 * gap case is left to offsetTransitions, whose instants are candidates too.
 */
export function wallClockInstants(zone: IANAZone, date: DateTime, minuteOfDay: number): number[] {
  const hour = Math.floor(minuteOfDay / 60);
  const minute = minuteOfDay % 60;
  const wanted = DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour, minute },
    { zone },
  );
  if (!wanted.isValid) return [];
  return wanted
    .getPossibleOffsets()
    .filter(
      (at) =>
        at.year === date.year &&
        at.month === date.month &&
        at.day === date.day &&
        at.hour === hour &&
        at.minute === minute &&
        at.second === 0,
    )
    .map((at) => at.toMillis());
}

/**
 * The instants in (fromMs, toMs] at which the zone's UTC offset changes (DST switches, a zone moving
 * to another standard time). Luxon has no transition list, so the offset is sampled hourly and each
 * change narrowed down to the millisecond; no zone changes its offset twice within one hour.
 */
export function offsetTransitions(zone: IANAZone, fromMs: number, toMs: number): number[] {
  const transitions: number[] = [];
  let before = fromMs;
  let offset = zone.offset(before);
  while (before < toMs) {
    const after = Math.min(before + HOUR_MS, toMs);
    const next = zone.offset(after);
    if (next !== offset) transitions.push(firstChange(zone, before, after, offset));
    before = after;
    offset = next;
  }
  return transitions;
}

// Bisection keeping offset(lo) === offset and offset(hi) !== offset: returns the first changed millisecond.
function firstChange(zone: IANAZone, lo: number, hi: number, offset: number): number {
  let low = lo;
  let high = hi;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (zone.offset(mid) === offset) low = mid;
    else high = mid;
  }
  return high;
}

/**
 * The calendar dates (as UTC DateTimes) that clocks in `zone` show between two instants, with one
 * day of margin on each side so that no wall-clock time inside the range is missed.
 */
export function localDates(zone: IANAZone, fromMs: number, toMs: number): DateTime[] {
  const first = DateTime.fromMillis(fromMs, { zone });
  const last = DateTime.fromMillis(toMs, { zone });
  const stop = DateTime.utc(last.year, last.month, last.day).plus({ days: 1 });
  const dates: DateTime[] = [];
  for (let day = DateTime.utc(first.year, first.month, first.day).minus({ days: 1 }); day <= stop; ) {
    dates.push(day);
    day = day.plus({ days: 1 });
  }
  return dates;
}

/**
 * The first canCallAt: wall clocks read through two Luxon DateTimes an instant. The reference
 * nextCallWindow checks its candidates with it, so the fast walk is compared with Luxon, not itself.
 */
export function isCallable(epochMs: number, rules: CallRules): boolean {
  const shop = DateTime.fromMillis(epochMs, { zone: rules.shopZone });
  const open = rules.week[shop.weekday - 1];
  if (!open || !inSpan(shop.hour * 60 + shop.minute, open)) return false;
  if (!rules.quiet) return true;
  const customer = DateTime.fromMillis(epochMs, { zone: rules.quiet.zone });
  return !inSpan(customer.hour * 60 + customer.minute, rules.quiet.span);
}

function inSpan(minute: number, span: MinuteSpan): boolean {
  return span.from < span.to
    ? span.from <= minute && minute < span.to
    : minute >= span.from || minute < span.to;
}
